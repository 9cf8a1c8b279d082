/**
 * Synthetic directory data for the benchmarks: what an authority is in the six UN languages, how a
 * State's name is mixed into it, and a generator of whole authority records (names in the six
 * scripts, several designations, addresses, phones, e-mails, contact persons) derived from
 * seed/data, deterministic for a given size.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Authority, AuthorityKind, Localized, State, UnLanguage } from '../src/directory/directory.types';
import { UN_LANGUAGES } from '../src/directory/directory.types';

/** Deterministic PRNG (mulberry32) so every run generates the same synthetic directory. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What an authority is, in the six languages; the generator adds the State's name. */
export interface Concept {
  key: string;
  kind: AuthorityKind;
  names: Localized;
}

export const CONCEPTS: Concept[] = [
  { key: 'moj', kind: 'ministry-of-justice', names: { en: 'Ministry of Justice', fr: 'Ministère de la Justice', es: 'Ministerio de Justicia', ru: 'Министерство юстиции', ar: 'وزارة العدل', zh: '司法部' } },
  { key: 'prosecutor', kind: 'prosecution-service', names: { en: 'Office of the Prosecutor General', fr: 'Parquet général', es: 'Fiscalía General', ru: 'Генеральная прокуратура', ar: 'النيابة العامة', zh: '总检察长办公室' } },
  { key: 'court', kind: 'court', names: { en: 'Supreme Court', fr: 'Cour suprême', es: 'Corte Suprema de Justicia', ru: 'Верховный суд', ar: 'المحكمة العليا', zh: '最高法院' } },
  { key: 'mfa', kind: 'ministry-of-foreign-affairs', names: { en: 'Ministry of Foreign Affairs', fr: 'Ministère des Affaires étrangères', es: 'Ministerio de Relaciones Exteriores', ru: 'Министерство иностранных дел', ar: 'وزارة الخارجية', zh: '外交部' } },
  { key: 'interior', kind: 'ministry-of-interior', names: { en: 'Ministry of the Interior', fr: "Ministère de l'Intérieur", es: 'Ministerio del Interior', ru: 'Министерство внутренних дел', ar: 'وزارة الداخلية', zh: '内政部' } },
  { key: 'police', kind: 'police', names: { en: 'National Police', fr: 'Police nationale', es: 'Policía Nacional', ru: 'Национальная полиция', ar: 'الشرطة الوطنية', zh: '国家警察' } },
  { key: 'coop', kind: 'ministry-of-justice', names: { en: 'Department of International Legal Cooperation', fr: 'Direction de la coopération judiciaire internationale', es: 'Dirección de Cooperación Jurídica Internacional', ru: 'Департамент международного правового сотрудничества', ar: 'الإدارة العامة للتعاون الدولي', zh: '国际司法合作司' } },
  { key: 'fiu', kind: 'other', names: { en: 'Financial Intelligence Unit', fr: 'Cellule de renseignement financier', es: 'Unidad de Inteligencia Financiera', ru: 'Подразделение финансовой разведки', ar: 'وحدة الاستخبارات المالية', zh: '金融情报机构' } },
  { key: 'anticorruption', kind: 'other', names: { en: 'Anti-Corruption Commission', fr: 'Commission de lutte contre la corruption', es: 'Comisión Anticorrupción', ru: 'Комиссия по противодействию коррупции', ar: 'هيئة مكافحة الفساد', zh: '反腐败委员会' } },
  { key: 'customs', kind: 'other', names: { en: 'Customs Administration', fr: 'Direction générale des douanes', es: 'Dirección General de Aduanas', ru: 'Таможенная служба', ar: 'مصلحة الجمارك', zh: '海关总署' } },
  { key: 'immigration', kind: 'other', names: { en: 'Immigration Service', fr: "Direction de l'immigration", es: 'Dirección General de Migraciones', ru: 'Миграционная служба', ar: 'الإدارة العامة للهجرة والجوازات', zh: '移民局' } },
  { key: 'interpol', kind: 'police', names: { en: 'INTERPOL National Central Bureau', fr: "Bureau central national d'INTERPOL", es: 'Oficina Central Nacional de INTERPOL', ru: 'Национальное центральное бюро Интерпола', ar: 'المكتب المركزي الوطني للإنتربول', zh: '国际刑警组织国家中心局' } },
  { key: 'drugs', kind: 'other', names: { en: 'National Drug Control Agency', fr: 'Office central de répression du trafic illicite des stupéfiants', es: 'Comisión Nacional contra las Drogas', ru: 'Агентство по контролю за наркотиками', ar: 'الإدارة العامة لمكافحة المخدرات', zh: '国家禁毒委员会' } },
  { key: 'trafficking', kind: 'police', names: { en: 'Anti-Human Trafficking Unit', fr: 'Office central pour la répression de la traite des êtres humains', es: 'Unidad contra la Trata de Personas', ru: 'Отдел по борьбе с торговлей людьми', ar: 'وحدة مكافحة الاتجار بالبشر', zh: '打击贩运人口办公室' } },
  { key: 'extradition', kind: 'ministry-of-justice', names: { en: 'Extradition Directorate', fr: "Bureau de l'extradition", es: 'Dirección de Extradiciones', ru: 'Управление по вопросам экстрадиции', ar: 'مديرية تسليم المجرمين', zh: '引渡事务局' } },
  { key: 'cyber', kind: 'police', names: { en: 'Cybercrime Unit', fr: 'Office de lutte contre la cybercriminalité', es: 'Unidad de Delitos Informáticos', ru: 'Управление по борьбе с киберпреступностью', ar: 'وحدة مكافحة الجرائم الإلكترونية', zh: '网络犯罪调查局' } },
];

/** How the State's name is mixed into an authority's name in each language. */
export const WITH_STATE: Record<UnLanguage, (authority: string, state: string) => string> = {
  en: (authority, state) => `${authority} of ${state}`,
  fr: (authority, state) => `${authority} – ${state}`,
  es: (authority, state) => `${authority} de ${state}`,
  ru: (authority, state) => `${authority} (${state})`,
  ar: (authority, state) => `${authority} - ${state}`,
  zh: (authority, state) => `${state}${authority}`,
};

/** The language most of a State's authorities would write their names in (English otherwise). */
const HOME_LANGUAGE: Partial<Record<UnLanguage, string[]>> = {
  ar: ['DZA', 'BHR', 'COM', 'DJI', 'EGY', 'IRQ', 'JOR', 'KWT', 'LBN', 'LBY', 'MRT', 'MAR', 'OMN', 'PSE', 'QAT', 'SAU', 'SOM', 'SDN', 'SYR', 'TUN', 'ARE', 'YEM'],
  es: ['ARG', 'BOL', 'CHL', 'COL', 'CRI', 'CUB', 'DOM', 'ECU', 'SLV', 'GTM', 'HND', 'MEX', 'NIC', 'PAN', 'PRY', 'PER', 'ESP', 'URY', 'VEN', 'GNQ'],
  fr: ['FRA', 'BEL', 'LUX', 'MCO', 'CHE', 'BEN', 'BFA', 'BDI', 'CMR', 'CAF', 'TCD', 'COD', 'COG', 'CIV', 'GAB', 'GIN', 'MDG', 'MLI', 'NER', 'RWA', 'SEN', 'TGO', 'HTI'],
  ru: ['RUS', 'BLR', 'KAZ', 'KGZ', 'TJK', 'UZB', 'ARM', 'AZE'],
  zh: ['CHN'],
};
export const homeLanguage = new Map<string, UnLanguage>();
for (const [lang, codes] of Object.entries(HOME_LANGUAGE)) for (const code of codes ?? []) homeLanguage.set(code, lang as UnLanguage);

interface SeedState {
  code: string;
  iso2?: string;
  names: Localized;
}
interface SeedAuthority {
  state: string;
  address: { city: string };
  contactPersons: Array<{ name: string; title?: string }>;
  officeHours?: Authority['officeHours'];
}

const seedFile = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'seed', 'data', name), 'utf8')) as T;

/** The designation codes a generated authority may hold, in their seed order. */
function designationCodes(): string[] {
  return seedFile<{ designations: Array<{ code: string }> }>('designations.json').designations.map((entry) => entry.code);
}

/** Capital-like cities: the sample's city where the sample has the State, otherwise a placeholder. */
function citiesByState(sample: SeedAuthority[]): Map<string, string> {
  const cities = new Map<string, string>();
  for (const authority of sample) if (!cities.has(authority.state)) cities.set(authority.state, authority.address.city);
  return cities;
}

/** Contact persons' names in several scripts, from the sample and a few more. */
function personNames(sample: SeedAuthority[]): string[] {
  const names = new Set(sample.flatMap((authority) => authority.contactPersons.map((person) => person.name)));
  for (const extra of ['Marie Dupont (exemple)', 'María Pérez (ejemplo)', 'Анна Иванова (пример)', '李明（示例）', 'أحمد علي (مثال)', 'Sam Example']) names.add(extra);
  return [...names];
}

const TITLES = ['Head of unit (sample)', 'Legal officer (sample)', 'Senior prosecutor (sample)', 'Liaison officer (sample)', 'Desk officer (sample)'];
const OFFICES: Localized = { en: 'Regional office', fr: 'Bureau régional', es: 'Oficina regional', ru: 'Региональное отделение', ar: 'المكتب الإقليمي', zh: '地区办事处' };

/** A number in the United Kingdom's range reserved for drama (020 7946 0000 to 0999), valid and fictitious. */
const phone = (n: number) => `+442079460${String(n % 1000).padStart(3, '0')}`;

/**
 * `count` authorities spread over the 198 States of seed/data/states.json (the same count to one
 * either way for every State), each concept at most once per State before a State's regional
 * offices begin. Names are written in the State's usual language three times in four, otherwise in
 * any of the six; the English name is always there.
 */
export function generateAuthorities(count: number, seed = 20240611): Array<Omit<Authority, 'id'>> {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const { states } = seedFile<{ states: SeedState[] }>('states.json');
  const sample = seedFile<{ authorities: SeedAuthority[] }>('sample.json').authorities;
  const designations = designationCodes();
  const cities = citiesByState(sample);
  const persons = personNames(sample);
  const authorities: Array<Omit<Authority, 'id'>> = [];
  for (let i = 0; i < count; i += 1) {
    const state = states[i % states.length]!;
    const round = Math.floor(i / states.length);
    const concept = CONCEPTS[round % CONCEPTS.length]!;
    const office = Math.floor(round / CONCEPTS.length);
    const home = homeLanguage.get(state.code) ?? 'en';
    const lang: UnLanguage = random() < 0.75 ? home : pick(UN_LANGUAGES);
    const suffix = (language: UnLanguage) => (office > 0 ? ` – ${OFFICES[language]} ${office}` : '');
    const domain = `${concept.key}.${(state.iso2 ?? state.code).toLowerCase()}.example`;
    const local = office > 0 ? `office${office}` : 'central';
    // The core designations first, then one or two more
    const held = [designations[round % 3]!, ...designations.slice(3).filter(() => random() < 0.25)];
    const peopleCount = 1 + Math.floor(random() * 3);
    authorities.push({
      state: state.code,
      designations: [...new Set(held)],
      name: { original: WITH_STATE[lang](concept.names[lang], state.names[lang]) + suffix(lang), originalLanguage: lang, en: WITH_STATE.en(concept.names.en, state.names.en) + suffix('en') },
      kind: concept.kind,
      address: { lines: [`${1 + (i % 200)} Example Street`], city: cities.get(state.code) ?? `${state.names.en} City`, country: state.code },
      phones: [{ number: phone(i), label: 'Office' }],
      fax: random() < 0.5 ? [{ number: phone(i + 500) }] : [],
      emails: [`${local}@${domain}`],
      website: `https://${domain}/`,
      languages: [...new Set([lang, 'en' as UnLanguage])],
      channels: random() < 0.5 ? ['post', 'email'] : ['post', 'email', 'diplomatic'],
      urgent: { accepted: random() < 0.6, means: ['email'] },
      contactPersons: Array.from({ length: peopleCount }, (_, k) => ({
        name: pick(persons),
        title: pick(TITLES),
        phones: [{ number: phone(i * 3 + k) }],
        emails: [`person${k + 1}.${local}@${domain}`],
        languages: [lang],
      })),
      updatedAt: new Date(Date.UTC(2026, 0, 1 + (i % 300))),
      sample: true,
      version: 0,
    });
  }
  return authorities;
}

type SeedStateRecord = Pick<State, 'code' | 'iso2' | 'm49' | 'kind' | 'names' | 'region' | 'aliases'>;

/** The 198 States of seed/data/states.json as the directory holds them: public, no parties, no optional fields. */
export function loadStates(): State[] {
  return seedFile<{ states: SeedStateRecord[] }>('states.json').states.map((state) => ({
    ...state,
    parties: [],
    access: 'public',
    optional: { requirements: {}, laws: [], treaties: [] },
    sample: false,
    version: 0,
  }));
}
