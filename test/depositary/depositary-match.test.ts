import fs from 'node:fs';
import path from 'node:path';
import { indexStateNames, matchParticipant } from '../../src/depositary/depositary.match';
import { readStatusText } from '../../src/depositary/depositary.read';
import type { State } from '../../src/directory/directory.types';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'depositary', name), 'utf8');

const UNTOC_CODES = ['AFG', 'ALB', 'DZA', 'AND', 'AGO', 'ATG', 'ARG', 'ARM', 'AUS', 'AUT', 'AZE', 'BHS', 'BHR', 'BGD', 'BRB', 'BLR', 'BEL', 'BLZ'];
const UNCAC_CODES = ['AFG', 'ALB', 'DZA', 'AGO', 'ATG', 'ARG', 'ARM', 'AUS', 'AUT', 'AZE', 'BHS', 'BHR', 'BGD', 'BRB', 'BLR', 'BEL', 'BLZ', 'BEN', 'BOL', 'BIH', 'BWA', 'BRA', 'BRN', 'BGR', 'BFA', 'BDI'];

describe('matching the depositary participants to States', () => {
  let states: State[];
  beforeAll(() => {
    // The reference data as seeded: names in six languages, aliases, ISO codes
    const seeded = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'seed', 'data', 'states.json'), 'utf8')) as { states: Array<Omit<State, 'parties'>> };
    states = seeded.states.map((state) => ({ ...state, parties: [] }) as State);
  });
  const codesOf = (text: string) => {
    const names = indexStateNames(states);
    return readStatusText(text).rows.map((row) => matchParticipant(row.name, names));
  };

  it('when the UNTOC excerpt is matched, then every participant is its State, "Argentina 1" Argentina', () => {
    const matches = codesOf(fixture('untoc-status-excerpt.txt'));
    expect(matches.map((match) => (match.kind === 'matched' ? match.code : match.kind))).toEqual(UNTOC_CODES);
  });

  it('when the UNCAC excerpt is matched, then every participant is its State, "Bolivia (Plurinational State of)" Bolivia', () => {
    const matches = codesOf(fixture('uncac-status-excerpt.txt'));
    expect(matches.map((match) => (match.kind === 'matched' ? match.code : match.kind))).toEqual(UNCAC_CODES);
  });

  it('when a name is written in another language, case or punctuation, or under its qualifier, then it still matches', () => {
    const names = indexStateNames(states);
    expect(['Российская Федерация', 'COTE D’IVOIRE', 'Netherlands (Kingdom of the)', 'Bolivia', 'the Bahamas', '玻利维亚'].map((name) => matchParticipant(name, names))).toEqual(
      ['RUS', 'CIV', 'NLD', 'BOL', 'BHS', 'BOL'].map((code) => ({ kind: 'matched', code, by: 'name' })),
    );
  });

  it('when a name is no State\'s, or several States go by it, then the row is unmatched or ambiguous with its candidates', () => {
    const names = indexStateNames(states);
    expect(matchParticipant('Atlantis', names)).toEqual({ kind: 'unmatched' });
    expect(matchParticipant('Congo (Republic of the)', names).kind).not.toBe('unmatched');
    const twins = indexStateNames([...states, { ...states.find((state) => state.code === 'ARG')!, code: 'XAR', iso2: undefined, aliases: [] }]);
    expect(matchParticipant('Argentina', twins)).toEqual({ kind: 'ambiguous', codes: ['ARG', 'XAR'] });
  });
});
