/**
 * Checks the seed list of States (seed/data/states.json): coverage, shape and a few names that
 * must read exactly as the UN writes them.
 */
import data from '../../seed/data/states.json';
import { REGIONAL_GROUPS, UN_LANGUAGES, type RegionalGroup, type UnLanguage } from '../../src/directory/directory.types';

interface StateSeed {
  code: string;
  iso2?: string;
  m49?: string;
  kind: string;
  names: Record<UnLanguage, string>;
  region: string;
  aliases: string[];
}

const states: StateSeed[] = (data as { states: StateSeed[] }).states;
const byCode = new Map(states.map((s) => [s.code, s]));

function state(code: string): StateSeed {
  const found = byCode.get(code);
  if (!found) throw new Error(`no entry for ${code}`);
  return found;
}

/** The 193 Member States of the United Nations, by ISO 3166-1 alpha-3 code. */
const MEMBER_CODES = `
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN
BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK DJI DMA
DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND
HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU
LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER
NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP
SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO
TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
`
  .trim()
  .split(/\s+/);

const normalize = (s: string): string => s.normalize('NFC').toLocaleLowerCase();

describe('states seed data', () => {
  it('when the file is read, then it says where its facts come from and lists 198 entries', () => {
    expect(typeof (data as { source: unknown }).source).toBe('string');
    expect((data as { source: string }).source.length).toBeGreaterThan(100);
    expect(states).toHaveLength(198);
  });

  it('when codes are compared, then each is unique and the list is sorted by code', () => {
    const codes = states.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(codes);
  });

  it('when an entry is read, then its codes have the right form', () => {
    for (const s of states) {
      expect(s.code).toMatch(/^[A-Z]{3}$/);
      if (s.code === 'EUU') continue;
      expect(s.iso2).toMatch(/^[A-Z]{2}$/);
      expect(s.m49).toMatch(/^\d{3}$/);
    }
    const iso2 = states.flatMap((s) => (s.iso2 ? [s.iso2] : []));
    const m49 = states.flatMap((s) => (s.m49 ? [s.m49] : []));
    expect(new Set(iso2).size).toBe(197);
    expect(new Set(m49).size).toBe(197);
  });

  it('when an entry is read, then it has a non-empty name in each of the six UN languages', () => {
    for (const s of states) {
      expect(Object.keys(s.names).sort()).toEqual([...UN_LANGUAGES].sort());
      for (const lang of UN_LANGUAGES) {
        expect(typeof s.names[lang]).toBe('string');
        expect(s.names[lang].trim()).not.toBe('');
        expect(s.names[lang]).toBe(s.names[lang].trim());
      }
    }
  });

  it('when an entry is read, then its region is a UN regional group or NONE', () => {
    for (const s of states) {
      expect(REGIONAL_GROUPS).toContain(s.region as RegionalGroup);
    }
  });

  it('when the entries are read, then party status is not recorded', () => {
    for (const s of states) {
      expect(s).not.toHaveProperty('parties');
    }
  });

  it('when the members are counted, then all 193 Member States are there and nothing else is a member', () => {
    expect(new Set(MEMBER_CODES).size).toBe(193);
    const members = states.filter((s) => s.kind === 'member').map((s) => s.code);
    expect(members.sort()).toEqual([...MEMBER_CODES].sort());
  });

  it('when the other entries are read, then they are the observer States, Cook Islands, Niue and the EU', () => {
    const others = states.filter((s) => s.kind !== 'member').map((s) => [s.code, s.kind, s.region]);
    expect(others).toEqual([
      ['COK', 'non-member', 'NONE'],
      ['EUU', 'organization', 'NONE'],
      ['NIU', 'non-member', 'NONE'],
      ['PSE', 'observer', 'ASIA_PACIFIC'],
      ['VAT', 'observer', 'NONE'],
    ]);
    const eu = state('EUU');
    expect(eu.iso2).toBeUndefined();
    expect(eu.m49).toBeUndefined();
    expect(eu.names.en).toBe('European Union');
    expect(eu.aliases).toContain('EU');
  });

  it('when regional groups are counted, then they match the UN groups', () => {
    const count = (region: RegionalGroup): number => states.filter((s) => s.kind === 'member' && s.region === region).length;
    expect(count('AFRICAN')).toBe(54);
    expect(count('ASIA_PACIFIC')).toBe(54);
    expect(count('EASTERN_EUROPEAN')).toBe(23);
    expect(count('GRULAC')).toBe(33);
    expect(count('WEOG')).toBe(29);
    expect(count('NONE')).toBe(0);
    expect(state('TUR').region).toBe('WEOG');
    expect(state('ISR').region).toBe('WEOG');
    expect(state('USA').region).toBe('WEOG');
    expect(state('KIR').region).toBe('ASIA_PACIFIC');
    expect(state('CYP').region).toBe('ASIA_PACIFIC');
  });

  it('when the Russian Federation is read, then its six names are the UN official short names', () => {
    expect(state('RUS').names).toEqual({
      ar: 'الاتحاد الروسي',
      zh: '俄罗斯联邦',
      en: 'Russian Federation',
      fr: 'Fédération de Russie',
      ru: 'Российская Федерация',
      es: 'Federación de Rusia',
    });
  });

  it('when other States are read, then their names are the UN official short names', () => {
    expect(state('TUR').names.en).toBe('Türkiye');
    expect(state('BOL').names.en).toBe('Bolivia (Plurinational State of)');
    expect(state('CIV').names.fr).toBe("Côte d'Ivoire");
    expect(state('GBR').names.ru).toBe('Соединенное Королевство Великобритании и Северной Ирландии');
    expect(state('GBR').names.fr).toBe("Royaume-Uni de Grande-Bretagne et d'Irlande du Nord");
    expect(state('USA').names.fr).toBe("États-Unis d'Amérique");
    expect(state('CHN').names.zh).toBe('中国');
    expect(state('NLD').names.en).toBe('Netherlands (Kingdom of the)');
    expect(state('VNM').names.en).toBe('Viet Nam');
    expect(state('CZE').names.en).toBe('Czechia');
    expect(state('SWZ').names.en).toBe('Eswatini');
    expect(state('MKD').names.en).toBe('North Macedonia');
    expect(state('VAT').names.en).toBe('Holy See');
    expect(state('PSE').names.en).toBe('State of Palestine');
    expect(state('DOM').names.zh).toBe('多米尼加');
    expect(state('OMN').names.ar).toBe('عمان');
    expect(state('VAT').names.ru).toBe('Святой Престол');
    // The names used before stay findable
    expect(state('DOM').aliases).toContain('多米尼加共和国');
    expect(state('VAT').aliases).toContain('Святейший Престол');
  });

  it('when aliases are read, then common and former names find the State', () => {
    expect(state('TUR').aliases).toContain('Turkey');
    expect(state('SWZ').aliases).toContain('Swaziland');
    expect(state('RUS').aliases).toEqual(expect.arrayContaining(['Russia', 'Россия']));
    expect(state('GBR').aliases).toEqual(expect.arrayContaining(['UK', 'Great Britain']));
    expect(state('USA').aliases).toEqual(expect.arrayContaining(['USA', 'US', 'America']));
    expect(state('CIV').aliases).toContain('Ivory Coast');
    expect(state('COD').aliases).toEqual(expect.arrayContaining(['Zaire', 'DRC']));
    expect(state('MMR').aliases).toContain('Burma');
  });

  it('when aliases are read, then none repeats within an entry or repeats an official name', () => {
    for (const s of states) {
      const keys = s.aliases.map(normalize);
      expect(new Set(keys).size).toBe(keys.length);
      const official = new Set(Object.values(s.names).map(normalize));
      for (const k of keys) expect(official.has(k)).toBe(false);
      for (const a of s.aliases) expect(a.trim()).not.toBe('');
    }
  });
});
