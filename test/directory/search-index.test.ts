import fs from 'node:fs';
import path from 'node:path';
import { buildDirectorySearch, buildSearchIndex, letterSwapsOf, namesInOtherLanguages, searchIndex, withoutStopWords } from '../../src/directory/search-index';
import type { Authority, State } from '../../src/directory/directory.types';
import { foldText, words } from '../../src/shared/text';

const seedDir = path.join(__dirname, '..', '..', 'seed', 'data');
const states = (JSON.parse(fs.readFileSync(path.join(seedDir, 'states.json'), 'utf8')).states as State[]).map((state) => ({
  ...state,
  access: 'public' as const,
  parties: [],
  optional: { requirements: {}, laws: [], treaties: [] },
  sample: false,
}));
const authorities = (JSON.parse(fs.readFileSync(path.join(seedDir, 'sample.json'), 'utf8')).authorities as Authority[]).map(
  (authority, index) => ({ ...authority, id: `a${index}` }),
);
const index = buildSearchIndex(states, authorities);
const everything = () => true;
const onlyStates = (hit: { kind: string }) => hit.kind === 'state';
const firstState = (query: string) => searchIndex(index, query, onlyStates)[0]?.ref;

describe('text folding', () => {
  it('when text has accents, apostrophes, ё or Arabic letter variants, then they fold to one form', () => {
    expect(foldText('Côte d’Ivoire')).toBe(foldText("cote d'ivoire"));
    expect(foldText('Ёлка')).toBe('елка');
    expect(foldText('الإمارات')).toBe(foldText('الامارات'));
    expect(foldText('جمهورية')).toBe(foldText('جمهوريه'));
  });

  it('when a name has an apostrophe, then both the joined word and its parts are words', () => {
    expect(words('Côte d’Ivoire')).toEqual(expect.arrayContaining(['Côte', 'd’Ivoire', 'Ivoire']));
  });

  it.each([
    ['Ministère de la Justice – France'],
    ['中华人民共和国 司法部\u3000国际合作局'],
    ['Côte d’Ivoire\u00a0(Abidjan)\tOffice 12,500.5'],
    ['وزارة العدل - الجزائر\nالمكتب الإقليمي 1'],
    ['a \u0301b person1.office1@x.example'],
  ])('when "%s" is split piece by piece between spaces, then its words are those ICU finds in the whole text', (text) => {
    const segmenter = new Intl.Segmenter('und', { granularity: 'word' });
    const whole = [...segmenter.segment(text)].filter((segment) => segment.isWordLike).map((segment) => segment.segment);
    expect(words(text)).toEqual(expect.arrayContaining(whole));
    expect(words(text).filter((word) => !whole.includes(word)).every((word) => /[’']/.test(text))).toBe(true);
  });

  it('when Chinese text is split, then dictionary words come out, not single characters only', () => {
    expect(words('俄罗斯联邦')).toContain('俄罗斯');
  });
});

describe('search index over every State', () => {
  it.each([
    ['Russian Federation', 'RUS'],
    ['Российская Федерация', 'RUS'],
    ['Россия', 'RUS'],
    ['россия', 'RUS'],
    ['Fédération de Russie', 'RUS'],
    ['federation de russie', 'RUS'],
    ['الاتحاد الروسي', 'RUS'],
    ['俄罗斯', 'RUS'],
    ['中国', 'CHN'],
    ['Turkey', 'TUR'],
    ['Türkiye', 'TUR'],
    ['turkiye', 'TUR'],
    ['Swaziland', 'SWZ'],
    ['Ivory Coast', 'CIV'],
    ['Côte d’Ivoire', 'CIV'],
    ["cote d'ivoire", 'CIV'],
    ['Bolvia', 'BOL'],
    ['Venezuala', 'VEN'],
    ['Allemagne', 'DEU'],
    ['Alemania', 'DEU'],
    ['Германия', 'DEU'],
    ['المملكة العربية السعودية', 'SAU'],
    ['UK', 'GBR'],
    ['Viet Nam', 'VNM'],
    ['Vietnam', 'VNM'],
    ['Estados Unidos', 'USA'],
    ['FRA', 'FRA'],
  ])('when searching "%s", then %s comes first', (query, code) => {
    expect(firstState(query)).toBe(code);
  });

  it('when searching an authority by its original-language name, then it is found', () => {
    const hit = searchIndex(index, 'Ministère de la Justice', everything).find((result) => result.kind === 'authority');
    expect(hit && authorities.find((authority) => authority.id === hit.ref)?.state).toBe('FRA');
  });

  it('when searching an authority by its English name, then it is found', () => {
    const english = authorities[0]!.name.en;
    expect(searchIndex(index, english, everything).some((hit) => hit.ref === authorities[0]!.id)).toBe(true);
  });

  it('when a filter hides a State\'s authorities, then none of them is found, even by its exact name', () => {
    const hidden = authorities[0]!;
    const accept = (hit: { kind: string; state: string }) => !(hit.kind === 'authority' && hit.state === hidden.state);
    expect(searchIndex(index, hidden.name.original, accept).some((hit) => hit.kind === 'authority' && hit.state === hidden.state)).toBe(false);
    expect(searchIndex(index, hidden.name.original, everything).some((hit) => hit.ref === hidden.id)).toBe(true);
  });

  it('when a word finds something as typed, then it is not also sought with typos: "Iran" finds Iran and not Iraq, "Irak" finds Iraq', () => {
    const statesFound = (query: string) => searchIndex(index, query, onlyStates).map((hit) => hit.ref);
    expect(statesFound('Iran')).toContain('IRN');
    expect(statesFound('Iran')).not.toContain('IRQ');
    expect(statesFound('Iraq')).not.toContain('IRN');
    expect(statesFound('Irak')).toContain('IRQ');
  });

  it('when a State is named as typed, then only it and what is its own are found, nothing of a State one typo away', () => {
    const found = searchIndex(index, 'Iran', everything);
    expect(found[0]?.ref).toBe('IRN');
    expect(found.filter((hit) => hit.state !== 'IRN')).toEqual([]);
  });

  it('when one word of several is mistyped, then the typo is tried for the whole query and the authority found', () => {
    const french = authorities.find((authority) => authority.state === 'FRA' && /Justice/.test(authority.name.original))!;
    const typed = french.name.original.replace('Justice', 'Justise');
    expect(searchIndex(index, typed, everything).some((hit) => hit.ref === french.id)).toBe(true);
  });

  it('when searching nonsense, then nothing is found', () => {
    expect(searchIndex(index, 'zzxqwv', everything)).toEqual([]);
  });

  it.each([
    ['an e-mail address', (authority: Authority) => authority.emails[0], 'emails'],
    ['the part of an e-mail address before "@"', (authority: Authority) => authority.emails[0]?.split('@')[0], 'emails'],
    ['a contact person', (authority: Authority) => authority.contactPersons[0]?.name, 'people'],
    ['a city', (authority: Authority) => authority.address.city, 'cities'],
  ] as const)('when searching by %s, then the authority is found and the match names that field', (_what, valueOf, field) => {
    const authority = authorities.find((candidate) => valueOf(candidate) && candidate.contactPersons.length > 0)!;
    const hit = searchIndex(index, valueOf(authority)!, everything).find((candidate) => candidate.ref === authority.id);
    expect(hit?.matched.field).toBe(field);
  });

  it('when an address is typed whole, then only the authority holding it is found, not one whose address shares its first part', () => {
    const atJustice = { ...authorities[0]!, id: 'justice', emails: ['mla@justice.example'], contactPersons: [] };
    const atInterior = { ...authorities[0]!, id: 'interior', emails: ['mla@interior.example'], contactPersons: [] };
    const twoAddresses = buildSearchIndex(states, [atJustice, atInterior]);
    expect(searchIndex(twoAddresses, 'mla@justice.example', everything).map((hit) => hit.ref)).toEqual(['justice']);
    expect(searchIndex(twoAddresses, 'mla', everything).map((hit) => hit.ref).sort()).toEqual(['interior', 'justice']);
  });

  it('when a word names a State in another script than its authorities\' names, then they are found by it and the match is the State\'s name', () => {
    const french = { ...authorities[0]!, id: 'paris', state: 'FRA', name: { original: 'Ministère de la Justice', originalLanguage: 'fr' as const, en: 'Ministry of Justice' }, contactPersons: [] };
    const hit = searchIndex(buildSearchIndex(states, [french]), 'Франция', everything).find((candidate) => candidate.kind === 'authority');
    expect(hit).toMatchObject({ ref: 'paris', matched: { field: 'stateNames', terms: ['франция'] } });
  });

  it('when an index of authorities alone is searched by a State\'s name, then that State\'s authorities are found: the API\'s list of authorities searches so', async () => {
    const publicAuthorities = await buildDirectorySearch(states, authorities).authoritiesVisibleWith([]);
    const hits = searchIndex(publicAuthorities, 'Франция', everything);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.kind === 'authority' && hit.state === 'FRA' && hit.matched.field === 'stateNames')).toBe(true);
  });

  it('when searching by an e-mail domain, then no authority is found by it: a whole ministry shares one', () => {
    expect(searchIndex(index, 'justice.fr.example', everything)).toEqual([]);
  });
});

describe('stop words', () => {
  const justice = { ...authorities[0]!, id: 'justice', state: 'FRA', name: { original: 'Ministry of Justice', originalLanguage: 'en', en: 'Ministry of Justice' } };
  const withJustice = buildSearchIndex(states, [justice]);
  // The service searches States in an index of their own, as here
  const statesOnly = buildSearchIndex(states, []);

  it.each([['ministry of justice'], ['ministère de la justice'], ['министерство юстиции и'], ['وزارة العدل في']])(
    'when "%s" is sought, then no State is found for a word such as "of", "de", "и" or "في" alone',
    (query) => {
      expect(withoutStopWords(query).split(' ').length).toBeLessThan(words(query).length);
      // "Congo (Democratic Republic of the)", "Iran (Islamic Republic of)", "République de ..." share only the stop word
      expect(searchIndex(statesOnly, query, onlyStates)).toEqual([]);
    },
  );

  it('when the authority is sought with its stop words, then it is found', () => {
    expect(searchIndex(withJustice, 'ministry of justice', everything).map((hit) => hit.ref)).toEqual(['justice']);
  });

  it('when a query is made of stop words alone, then they are what is sought: "US" is still the United States', () => {
    expect(withoutStopWords('US')).toBe('US');
    expect(firstState('US')).toBe('USA');
  });
});

describe('State names in other languages', () => {
  it.each([['Deutschland', 'DEU'], ['德國', 'DEU'], ['Niemcy', 'DEU'], ['Italia', 'ITA'], ['日本', 'JPN'], ['Nederland', 'NLD'], ['Brasil', 'BRA']])(
    'when "%s" is sought, then %s comes first: names CLDR gives in other languages count as aliases',
    (query, code) => {
      expect(firstState(query)).toBe(code);
    },
  );

  it('when a State has no two-letter code, then it has no names from other languages', () => {
    expect(namesInOtherLanguages(undefined)).toEqual([]);
    expect(namesInOtherLanguages('DE')).toEqual(expect.arrayContaining(['Deutschland', '德國']));
  });
});

describe('letter swaps', () => {
  it.each([['Frnace', 'FRA'], ['Itlay', 'ITA'], ['Gemrany', 'DEU'], ['Фарнция', 'FRA'], ['Mexcio', 'MEX']])(
    'when "%s" is sought, then %s comes first: two neighbouring letters typed the wrong way round still find it',
    (query, code) => {
      expect(firstState(query)).toBe(code);
    },
  );

  it('when a word is short, Chinese or of the same letter twice, then no swap is tried for it', () => {
    expect(letterSwapsOf('Iarn')).toEqual(['aIrn', 'Iran', 'Ianr']);
    expect(letterSwapsOf('USA')).toEqual([]);
    expect(letterSwapsOf('德国联邦')).toEqual([]);
    expect(letterSwapsOf('Mall')).toEqual(['aMll', 'Mlal']);
  });
});
