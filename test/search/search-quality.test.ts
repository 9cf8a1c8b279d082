import request from 'supertest';
import { AuthorityModel } from '../../src/directory/directory.models';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { editor } from '../editing/editing-helpers';

/**
 * What a practitioner types, in the six languages, and what they expect to see first, read from
 * the search page of the real app over the sample data. A result is named `state:DEU` or
 * `authority:GBR:<name as written>`, so a case reads as the person who wrote it meant it.
 */

type Who = 'anonymous' | 'practitioner';

interface Case {
  lang: 'ar' | 'zh' | 'en' | 'fr' | 'ru' | 'es';
  q: string;
  who?: Who;
  /** The first result. */
  first?: string;
  /** Results expected among the first `within` ones (every one of them when `within` is the list's length). */
  top?: string[];
  within?: number;
  /** Results that must not appear at all. */
  never?: string[];
  /** Why the first result matched, as the page says it in the reader's language. */
  reason?: string;
}

const cases: Case[] = [
  // English
  {
    lang: 'en',
    q: 'ministry of justice',
    top: [
      'authority:FRA:Ministère de la Justice (exemple)',
      'authority:DEU:Bundesministerium der Justiz (Beispiel)',
      'authority:GBR:Ministry of Justice – Prisoner Transfer Unit (sample)',
      'authority:UKR:Міністерство юстиції (зразок)',
      'authority:EGY:وزارة العدل (مثال)',
      'authority:BRA:Ministério da Justiça (exemplo)',
      'authority:JPN:法務省（サンプル）',
    ],
    reason: 'name',
  },
  { lang: 'en', q: 'ministry of justice France', first: 'authority:FRA:Ministère de la Justice (exemple)' },
  { lang: 'en', q: 'Germany', first: 'state:DEU', reason: 'name' },
  { lang: 'en', q: 'Deutschland', first: 'state:DEU', reason: 'alias: Deutschland' },
  { lang: 'en', q: 'Gemrany', first: 'state:DEU' },
  { lang: 'en', q: 'Jane Sample', first: 'authority:GBR:Central Authority for Mutual Legal Assistance (sample)', reason: 'contact person: Jane Sample' },
  { lang: 'en', q: 'Southampton', first: 'authority:GBR:Maritime Coordination Centre (sample)', reason: 'city: Southampton' },
  { lang: 'en', q: 'mla@centralauthority.gb.example', first: 'authority:GBR:Central Authority for Mutual Legal Assistance (sample)', reason: 'e-mail: mla@centralauthority.gb.example' },
  { lang: 'en', q: 'Ivory Coast', first: 'state:CIV' },
  // Endonyms and names in other languages, from CLDR
  { lang: 'en', q: 'Suomi', first: 'state:FIN', reason: 'alias: Suomi' },
  { lang: 'en', q: 'Polska', first: 'state:POL' },
  { lang: 'en', q: 'Ελλάδα', first: 'state:GRC' },
  { lang: 'ar', q: 'ایران', first: 'state:IRN' },
  { lang: 'zh', q: '日本', first: 'state:JPN' },
  { lang: 'zh', q: '義大利', first: 'state:ITA' },
  // Chinese
  { lang: 'zh', q: '司法部', who: 'practitioner', first: 'authority:CHN:司法部（示例）', reason: '名称' },
  { lang: 'zh', q: '中国的司法部', who: 'practitioner', first: 'authority:CHN:司法部（示例）' },
  { lang: 'zh', q: '德國', first: 'state:DEU', reason: '别名：德國' },
  { lang: 'zh', q: '俄罗斯', first: 'state:RUS' },
  { lang: 'zh', q: '张三', who: 'practitioner', first: 'authority:CHN:司法部（示例）', reason: '联系人：张三（示例）' },
  { lang: 'zh', q: '上海', who: 'practitioner', first: 'authority:CHN:海上执法协调中心（示例）', reason: '城市：上海' },
  // Arabic
  { lang: 'ar', q: 'وزارة العدل', first: 'authority:EGY:وزارة العدل (مثال)' },
  { lang: 'ar', q: 'وزارة العدل في', who: 'practitioner', top: ['authority:EGY:وزارة العدل (مثال)', 'authority:MAR:وزارة العدل (مثال)'], within: 2 },
  { lang: 'ar', q: 'ألمانيا', first: 'state:DEU' },
  { lang: 'ar', q: 'المانيا', first: 'state:DEU' },
  { lang: 'ar', q: 'القاهرة', first: 'authority:EGY:وزارة العدل (مثال)', reason: 'المدينة: القاهرة' },
  // Russian
  { lang: 'ru', q: 'министерство юстиции', who: 'practitioner', first: 'authority:RUS:Министерство юстиции (образец)' },
  { lang: 'ru', q: 'Германия', first: 'state:DEU' },
  { lang: 'ru', q: 'Фарнция', first: 'state:FRA' },
  { lang: 'ru', q: 'Иван Примеров', who: 'practitioner', first: 'authority:RUS:Генеральная прокуратура (образец)', reason: 'контактное лицо: Иван Примеров' },
  { lang: 'ru', q: 'Москва', who: 'practitioner', top: ['authority:RUS:Генеральная прокуратура (образец)', 'authority:RUS:Министерство юстиции (образец)'], within: 2 },
  // French
  { lang: 'fr', q: 'ministère de la justice', first: 'authority:FRA:Ministère de la Justice (exemple)' },
  { lang: 'fr', q: 'Allemagne', first: 'state:DEU' },
  { lang: 'fr', q: 'Brest', first: 'authority:FRA:Centre opérationnel maritime (exemple)', reason: 'ville : Brest' },
  { lang: 'fr', q: 'Camille Exemple', first: 'authority:FRA:Ministère de la Justice (exemple)', reason: 'personne à contacter : Camille Exemple' },
  // Spanish
  { lang: 'es', q: 'ministerio de justicia', first: 'authority:BRA:Ministério da Justiça (exemplo)' },
  { lang: 'es', q: 'Alemania', first: 'state:DEU' },
  { lang: 'es', q: 'Estados Unidos', first: 'state:USA' },
  { lang: 'es', q: 'fiscalía general', who: 'practitioner', first: 'authority:MEX:Fiscalía General (ejemplo)' },
  { lang: 'es', q: 'Buenos Aires', top: ['authority:ARG:Ministerio de Relaciones Exteriores (ejemplo)', 'authority:ARG:Prefectura Naval (ejemplo)'], within: 2, reason: 'ciudad: Buenos Aires' },
  // A restricted State's authorities are found by their contacts only by those who may see them
  { lang: 'ru', q: 'Иван Примеров', never: ['authority:RUS:Генеральная прокуратура (образец)'] },
  { lang: 'zh', q: '张三', never: ['authority:CHN:司法部（示例）'] },
  { lang: 'ar', q: 'الرياض', never: ['authority:SAU:النيابة العامة (مثال)', 'authority:SAU:وزارة الداخلية (مثال)'] },
  { lang: 'en', q: 'taawun@prosecution.sa.example', never: ['authority:SAU:النيابة العامة (مثال)'] },
];

/** One word that means nothing alone, per language, sought with a word that finds nothing: no State may come up for the stop word. */
const stopWordQueries: Array<[Case['lang'], string]> = [
  ['en', 'zzqx of the'],
  ['fr', 'zzqx de la des du'],
  ['es', 'zzqx de los y'],
  ['ru', 'zzqx и в по'],
  ['ar', 'zzqx في من على'],
  ['zh', 'zzqx 的 和'],
];

describe('search quality: what practitioners type in the six languages', () => {
  useTestDatabase();
  const app = testApp();
  const labels = new Map<string, string>();
  let practitioner: request.Agent;

  beforeAll(async () => {
    for (const authority of await AuthorityModel.find().lean()) labels.set(`/authorities/${String(authority._id)}`, `authority:${authority.state}:${authority.name.original}`);
    practitioner = (await editor(app, 'practitioner')).agent;
  });

  /** The results of the search page in the order shown, with why each matched. */
  async function results(who: Who, lang: Case['lang'], q: string): Promise<Array<{ label: string; reason: string | undefined }>> {
    const client = who === 'practitioner' ? practitioner : request(app);
    const res = await client.get('/search').query({ q, lang });
    expect(res.status).toBe(200);
    const { $ } = page(res.text);
    return $('ul.results > li')
      .toArray()
      .map((item) => {
        const href = $(item).find('a.result-title').first().attr('href') ?? '';
        const label = href.startsWith('/states/') ? `state:${href.slice('/states/'.length)}` : (labels.get(href) ?? href);
        const reason = $(item).find('.match-reason').first().text().replace(/\s+/g, ' ').trim();
        return { label, reason: reason || undefined };
      });
  }

  it.each(cases.map((c) => [`${c.lang} ${c.who ?? 'anonymous'} "${c.q}"`, c] as const))('when %s is sought, then the expected results come first', async (_name, c) => {
    const found = await results(c.who ?? 'anonymous', c.lang, c.q);
    const shown = found.map((result) => result.label);
    if (c.first) expect(shown[0]).toBe(c.first);
    if (c.top) expect(shown.slice(0, c.within ?? c.top.length)).toEqual(expect.arrayContaining(c.top));
    if (c.never) expect(shown.filter((label) => c.never!.includes(label))).toEqual([]);
    if (c.reason) expect(found[0]?.reason).toBe(c.reason);
  });

  it.each(stopWordQueries)('when a %s query holds stop words beside a word that finds nothing, then no State is found for a stop word alone', async (lang, q) => {
    expect((await results('anonymous', lang, q)).filter((result) => result.label.startsWith('state:'))).toEqual([]);
  });

  it('when "ministry of justice" is sought, then no State comes before the authorities named so, and each result says what it is', async () => {
    const res = await request(app).get('/search').query({ q: 'ministry of justice' });
    const { $ } = page(res.text);
    const items = $('ul.results > li').toArray();
    const types = items.map((item) => $(item).find('.result-type').first().text().trim());
    expect(types.slice(0, 5)).toEqual(['Authority', 'Authority', 'Authority', 'Authority', 'Authority']);
    expect(types.every((type) => type === 'Authority' || type === 'State')).toBe(true);
  });
});
