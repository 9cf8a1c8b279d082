import { NEED_CODES, NEEDS, NEEDS_BY_GROUP, needOf } from '../../src/finder/finder.needs';
import { chooseDesignation, treatiesBetween } from '../../src/finder/finder.service';
import type { OptionalSection, Treaty } from '../../src/directory/directory.types';
import designationsFile from '../../seed/data/designations.json';

const catalogue = new Set(designationsFile.designations.map((type) => type.code));

describe('kinds of request', () => {
  it('when every kind is looked up, then each names designations of the catalogue, its own first', () => {
    expect(NEEDS.map((need) => need.code)).toEqual(NEED_CODES);
    for (const need of NEEDS) {
      expect(need.designations.length).toBeGreaterThan(0);
      for (const code of [...need.designations, ...need.fallbacks]) expect(catalogue.has(code)).toBe(true);
      expect(need.fallbacks).not.toEqual(expect.arrayContaining([...need.designations]));
    }
  });

  it.each([
    ['evidence', 'UNTOC-18-13'],
    ['search-and-seizure', 'UNTOC-18-13'],
    ['freezing-and-confiscation', 'UNTOC-18-13'],
    ['service-of-documents', 'UNTOC-18-13'],
    ['video-hearing', 'UNTOC-18-13'],
    ['extradition', 'UNTOC-16'],
    ['transfer', 'UNTOC-17'],
    ['vessel', 'SOM-8-6'],
    ['corruption', 'UNCAC-46-13'],
    ['drugs', 'DRUGS1988-7-8'],
  ] as const)('when the request is %s, then %s answers it first', (code, designation) => {
    expect(needOf(code).designations[0]).toBe(designation);
  });

  it('when the form groups the kinds, then every kind is in exactly one group', () => {
    expect(NEEDS_BY_GROUP.flatMap((group) => group.needs).sort()).toEqual([...NEED_CODES].sort());
  });

  it('when only extradition bears on art. 16(5), then only extradition asks for the legal basis', () => {
    expect(NEEDS.filter((need) => need.legalBasis).map((need) => need.code)).toEqual(['extradition']);
  });
});

describe('choosing the designation', () => {
  const extradition = needOf('extradition');

  it('when the State holds the designation, then it answers', () => {
    expect(chooseDesignation(extradition, ['UNTOC-18-13', 'UNTOC-16', 'DRUGS1988-6'])).toEqual({ outcome: 'designated', designation: 'UNTOC-16' });
  });

  it('when the State holds only a fallback, then the fallback answers before any other designation', () => {
    expect(chooseDesignation(extradition, ['UNTOC-18-13', 'DRUGS1988-6'])).toEqual({ outcome: 'fallback', designation: 'DRUGS1988-6' });
  });

  it('when the State holds neither, then its first other designation is offered', () => {
    expect(chooseDesignation(needOf('transfer'), ['UNTOC-18-13', 'UNTOC-16'])).toEqual({ outcome: 'fallback', designation: 'UNTOC-18-13' });
  });

  it('when the State holds nothing, then nothing is designated', () => {
    expect(chooseDesignation(needOf('vessel'), [])).toEqual({ outcome: 'none' });
  });
});

describe('treaties between two States', () => {
  const treaty = (title: string, otherParties: string[], subject: Treaty['subject']): Treaty => ({ title, otherParties, subject });
  const section = (treaties: Treaty[]): OptionalSection => ({ requirements: {}, laws: [], treaties });

  it('when both States record the same treaty, then it is given once, and those on the request first', () => {
    const deu = { code: 'DEU', optional: section([treaty('Regional convention on extradition', ['FRA', 'GBR'], 'extradition'), treaty('Other', ['UKR'], 'transfer')]) };
    const fra = {
      code: 'FRA',
      optional: section([treaty('Bilateral MLA treaty', ['DEU'], 'mla'), treaty('Regional Convention on Extradition ', ['DEU', 'GBR'], 'extradition'), treaty('With Brazil', ['BRA'], 'mla')]),
    };
    expect(treatiesBetween(deu, fra, 'extradition').map((found) => found.title)).toEqual(['Regional convention on extradition', 'Bilateral MLA treaty']);
    expect(treatiesBetween(deu, fra, 'mla').map((found) => found.title)).toEqual(['Bilateral MLA treaty', 'Regional convention on extradition']);
  });

  it('when a State\'s section is hidden from the viewer, then only the other\'s records count', () => {
    const hidden = { code: 'RUS', optional: undefined };
    const fra = { code: 'FRA', optional: section([treaty('With Russia', ['RUS'], 'mla')]) };
    expect(treatiesBetween(hidden, fra).map((found) => found.title)).toEqual(['With Russia']);
    expect(treatiesBetween(fra, undefined)).toEqual([]);
  });
});
