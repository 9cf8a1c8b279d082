import type { Express } from 'express';
import request from 'supertest';
import { AuditEventModel } from '../../src/audit/audit.model';
import { findState } from '../../src/editing/editing.repository';
import { testApp } from '../helpers/app';
import { createTestUser, csrfTokenIn, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { authorityOf, formFields, postPairs, withValues } from '../editing/editing-helpers';

type Fields = Record<string, string>;
const LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;

/** Posts a form as a browser would, with the CSRF token of the page it comes from. */
async function post(agent: request.Agent, pagePath: string, action: string, fields: Fields) {
  const form = await agent.get(pagePath);
  return agent.post(action).type('form').send(new URLSearchParams({ ...fields, _csrf: csrfTokenIn(form.text) }).toString());
}

const inSixLanguages = (prefix: string, texts: Record<(typeof LANGUAGES)[number], string>): Fields =>
  Object.fromEntries(LANGUAGES.map((lang) => [`${prefix}[${lang}]`, texts[lang]]));

// What a secretariat officer types for the 2024 Convention; the articles are the officer's to enter, not the Directory's
const CYBERCRIME: Fields = {
  code: 'cybercrime',
  order: '7',
  ...inSixLanguages('titles', {
    ar: 'اتفاقية الأمم المتحدة لمكافحة الجرائم السيبرانية',
    zh: '《联合国打击网络犯罪公约》',
    en: 'United Nations Convention against Cybercrime',
    fr: 'Convention des Nations Unies contre la cybercriminalité',
    ru: 'Конвенция Организации Объединённых Наций против киберпреступности',
    es: 'Convención de las Naciones Unidas contra la Ciberdelincuencia',
  }),
  ...inSixLanguages('shortNames', {
    ar: 'اتفاقية الجرائم السيبرانية',
    zh: '《网络犯罪公约》',
    en: 'Convention against Cybercrime',
    fr: 'Convention contre la cybercriminalité',
    ru: 'Конвенция против киберпреступности',
    es: 'Convención contra la Ciberdelincuencia',
  }),
};

const MLA_AUTHORITY: Fields = {
  code: 'CYBERCRIME-40',
  instrument: 'CYBERCRIME',
  article: 'art. 40',
  role: 'mla',
  order: '20',
  core: 'on',
  ...inSixLanguages('titles', {
    ar: 'السلطة المركزية للمساعدة القانونية المتبادلة (اتفاقية الجرائم السيبرانية)',
    zh: '司法协助中央机关（《网络犯罪公约》）',
    en: 'Central authority for mutual legal assistance (Cybercrime Convention)',
    fr: 'Autorité centrale chargée de l’entraide judiciaire (Convention contre la cybercriminalité)',
    ru: 'Центральный орган по вопросам взаимной правовой помощи (Конвенция против киберпреступности)',
    es: 'Autoridad central de asistencia judicial recíproca (Convención contra la Ciberdelincuencia)',
  }),
  ...inSixLanguages('shortTitles', { ar: 'المساعدة (سيبراني)', zh: '司法协助（网络）', en: 'MLA (cyber)', fr: 'EJ (cyber)', ru: 'ВПП (кибер)', es: 'AJR (ciber)' }),
};

const CONTACT_POINT: Fields = {
  code: 'CYBERCRIME-41',
  instrument: 'CYBERCRIME',
  article: 'art. 41',
  role: 'contact-point',
  order: '21',
  core: 'on',
  ...inSixLanguages('titles', {
    ar: 'جهة الاتصال العاملة على مدار الساعة (اتفاقية الجرائم السيبرانية)',
    zh: '全天候联络点（《网络犯罪公约》）',
    en: '24/7 point of contact (Cybercrime Convention)',
    fr: 'Point de contact 24 h/24, 7 j/7 (Convention contre la cybercriminalité)',
    ru: 'Круглосуточный контактный пункт (Конвенция против киберпреступности)',
    es: 'Punto de contacto 24/7 (Convención contra la Ciberdelincuencia)',
  }),
  ...inSixLanguages('shortTitles', { ar: '24/7 (سيبراني)', zh: '24/7（网络）', en: '24/7 (cyber)', fr: '24/7 (cyber)', ru: '24/7 (кибер)', es: '24/7 (ciber)' }),
};

/** The dashboard row of a State: the marks of the designations expected of it, with the held ones marked. */
function dashboardMarks(html: string, code: string): { held: string[]; missing: string[]; partyTo: string } {
  const { $ } = page(html);
  const row = $('tr').filter((_, el) => $(el).find(`a[href="/states/${code}"]`).length > 0).first();
  const marks = (kind: string) => row.find(`ul.glance li.${kind}`).toArray().map((el) => $(el).attr('title') ?? '');
  return { held: marks('held'), missing: marks('missing'), partyTo: row.find('td').first().text().trim() };
}

describe('an instrument added through the console, with no change to the code', () => {
  useTestDatabase();
  let app: Express;
  let secretariat: request.Agent;
  let focal: request.Agent;
  beforeAll(async () => {
    app = testApp();
    secretariat = await signedInAgent(app, await createTestUser({ role: 'secretariat' }));
    focal = await signedInAgent(app, await createTestUser({ role: 'focal-point', states: ['FRA'] }));
  });

  it('when an instrument is posted with mistakes, then the form comes back with each error at its field in words, and the input kept', async () => {
    const res = await post(secretariat, '/admin/instruments', '/admin/instruments', { ...CYBERCRIME, code: '1x', 'titles[zh]': '', depositaryReference: 'chapter 18', order: 'seventh' });
    expect(res.status).toBe(422);
    const form = page(res.text);
    expect(form.fieldErrors()).toEqual(expect.arrayContaining(['code', 'titles-zh', 'depositaryReference', 'order']));
    expect(form.field('titles[en]')).toBe('United Nations Convention against Cybercrime');
    expect(form.field('depositaryReference')).toBe('chapter 18');
    // The summary names each field in words, never its id
    const summary = form.texts('.error-summary li');
    expect(summary).toContain('Full title in the six languages — Chinese: Enter a value.');
    expect(summary.some((line) => /titles-zh|depositaryReference:/.test(line))).toBe(false);
  });

  it('when the secretariat adds the Convention against Cybercrime and its two designation types, then they are in the catalogue, audited', async () => {
    const added = await post(secretariat, '/admin/instruments', '/admin/instruments', CYBERCRIME);
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe('/admin/instruments/CYBERCRIME?done=created');
    const catalogue = page((await secretariat.get('/admin/instruments')).text);
    expect(catalogue.attrs('table tbody th a', 'href')).toContain('/admin/instruments/CYBERCRIME');

    for (const type of [MLA_AUTHORITY, CONTACT_POINT]) {
      const res = await post(secretariat, '/admin/designations', '/admin/designations', type);
      expect({ code: type.code, status: res.status }).toEqual({ code: type.code, status: 303 });
    }
    const instrumentPage = page((await secretariat.get('/admin/instruments/CYBERCRIME')).text);
    expect(instrumentPage.attrs('main ul a[href^="/admin/designations/"], ul a[href^="/admin/designations/"]', 'href')).toEqual(
      expect.arrayContaining(['/admin/designations/CYBERCRIME-40', '/admin/designations/CYBERCRIME-41']),
    );
    const events = await AuditEventModel.find({ type: 'directory-record-changed', subject: { $in: ['instrument:CYBERCRIME', 'designation:CYBERCRIME-40'] } }).lean();
    expect(events.map((event) => (event.details as { action: string }).action).sort()).toEqual(['designation-added', 'instrument-added']);
  });

  it('when the API is read, then the instrument and its designation types are listed', async () => {
    const instruments = await request(app).get('/api/v1/instruments');
    expect(instruments.status).toBe(200);
    expect(instruments.body.data).toContainEqual(expect.objectContaining({ code: 'CYBERCRIME', retired: false, shortNames: expect.objectContaining({ zh: '《网络犯罪公约》' }) }));
    const designations = await request(app).get('/api/v1/designations');
    expect(designations.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'CYBERCRIME-40', instrument: 'CYBERCRIME', role: 'mla', retired: false }),
        expect.objectContaining({ code: 'CYBERCRIME-41', instrument: 'CYBERCRIME', role: 'contact-point', retired: false }),
      ]),
    );
  });

  it('when a focal point edits an authority, then the new designations are offered and one can be held', async () => {
    const offered = page((await focal.get('/states/FRA/authorities/new')).text).attrs('input[name="designations"]', 'value');
    expect(offered).toEqual(expect.arrayContaining(['CYBERCRIME-40', 'CYBERCRIME-41']));

    const ministry = await authorityOf('FRA', 'Ministry of Justice');
    const editPath = `/states/FRA/authorities/${ministry.id}/edit`;
    const form = await focal.get(editPath);
    const action = editPath;
    const saved = await postPairs(focal, action, [...formFields(form.text, action), ['designations', 'CYBERCRIME-40']]);
    expect(saved.status).toBe(303);
    expect((await authorityOf('FRA', 'Ministry of Justice')).designations).toContain('CYBERCRIME-40');
  });

  it('when the search is filtered by the new instrument, then the filter offers it and finds the authority that holds it', async () => {
    const search = page((await request(app).get('/search')).text);
    expect(search.options('instrument')).toContain('CYBERCRIME');
    expect(search.options('designation')).toContain('CYBERCRIME-41');
    const api = await request(app).get('/api/v1/authorities?instrument=CYBERCRIME');
    expect(api.status).toBe(200);
    expect(api.body.data.map((authority: { state: string }) => authority.state)).toEqual(['FRA']);
    const unknown = await request(app).get('/api/v1/authorities?instrument=NOSUCHTREATY');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields?.instrument ?? JSON.stringify(unknown.body)).toMatch(/unknown instrument/);
  });

  it('when the finder is asked for mutual legal assistance under it, then the authority holding it answers, on the page and in the API', async () => {
    const form = page((await request(app).get('/find')).text);
    expect(form.options('need')).toEqual(expect.arrayContaining(['CYBERCRIME-40', 'CYBERCRIME-41']));
    const answer = await request(app).get('/find?to=FRA&need=CYBERCRIME-40&lang=fr');
    expect(answer.status).toBe(200);
    expect(page(answer.text).text('h2#answer-heading')).toContain('Autorité centrale chargée de l’entraide judiciaire (Convention contre la cybercriminalité)');
    const api = await request(app).get('/api/v1/find?to=FRA&need=CYBERCRIME-40');
    expect(api.status).toBe(200);
    expect(api.body.data).toMatchObject({ outcome: 'designated', designation: 'CYBERCRIME-40', holderCount: 1 });
    // Nobody holds the 24/7 contact yet: another designation of the State is offered
    const contact = await request(app).get('/api/v1/find?to=FRA&need=CYBERCRIME-41');
    expect(contact.body.data.outcome).toBe('fallback');
    expect((await request(app).get('/api/v1/find?to=FRA&need=CYBERCRIME-99')).status).toBe(400);
  });

  it('when the directory is exported, then the authority carries the new designation', async () => {
    const csv = await request(app).get('/export/directory.csv');
    expect(csv.status).toBe(200);
    const { id } = await authorityOf('FRA', 'Ministry of Justice');
    const line = csv.text.split('\n').find((row) => row.includes(id));
    expect(line).toContain('CYBERCRIME-40');
  });

  it('when France is recorded as a party, then the dashboard expects both designations of France and names the instrument', async () => {
    const state = (await findState('FRA'))!;
    const stateForm = await secretariat.get('/admin/states/FRA');
    expect(page(stateForm.text).options('parties[CYBERCRIME][status]')).toContain('party');
    const pairs = withValues(formFields(stateForm.text, '/admin/states/FRA'), { 'parties[CYBERCRIME][status]': 'party', 'parties[CYBERCRIME][signed]': '2025-10-25' });
    const saved = await postPairs(secretariat, '/admin/states/FRA', pairs);
    expect(saved.status).toBe(303);
    expect((await findState('FRA'))!.parties).toContainEqual({ instrument: 'CYBERCRIME', status: 'party', signed: '2025-10-25' });
    expect((await findState('FRA'))!.version).toBe(state.version + 1);

    const marks = dashboardMarks((await secretariat.get('/admin/dashboard')).text, 'FRA');
    expect(marks.held).toContain(MLA_AUTHORITY['titles[en]']);
    expect(marks.missing).toContain(CONTACT_POINT['titles[en]']);
    expect(marks.partyTo).toContain('Convention against Cybercrime');
    const statePage = page((await request(app).get('/states/FRA?lang=es')).text);
    expect(statePage.text('main')).toContain('Convención contra la Ciberdelincuencia: ');
  });

  it('when a designation type is retired, then it leaves the forms, filters and finder but stays where it was recorded', async () => {
    const retired = await post(secretariat, '/admin/designations/CYBERCRIME-40', '/admin/designations/CYBERCRIME-40/retired', { retired: 'true' });
    expect(retired.status).toBe(303);
    expect(retired.headers.location).toBe('/admin/designations/CYBERCRIME-40?done=retired');

    expect(page((await focal.get('/states/FRA/authorities/new')).text).attrs('input[name="designations"]', 'value')).not.toContain('CYBERCRIME-40');
    expect(page((await request(app).get('/search')).text).options('designation')).not.toContain('CYBERCRIME-40');
    expect(page((await request(app).get('/find')).text).options('need')).not.toContain('CYBERCRIME-40');
    // Held: still shown on the authority's own form, ticked and marked retired, so saving keeps it
    const ministry = await authorityOf('FRA', 'Ministry of Justice');
    const edit = page((await focal.get(`/states/FRA/authorities/${ministry.id}/edit`)).text);
    expect(edit.chosen('designations')).toContain('CYBERCRIME-40');
    expect(ministry.designations).toContain('CYBERCRIME-40');
    const api = await request(app).get('/api/v1/designations');
    expect(api.body.data).toContainEqual(expect.objectContaining({ code: 'CYBERCRIME-40', retired: true }));
    const marks = dashboardMarks((await secretariat.get('/admin/dashboard')).text, 'FRA');
    expect([...marks.held, ...marks.missing]).not.toContain(MLA_AUTHORITY['titles[en]']);

    const restored = await post(secretariat, '/admin/designations/CYBERCRIME-40', '/admin/designations/CYBERCRIME-40/retired', { retired: 'false' });
    expect(restored.headers.location).toBe('/admin/designations/CYBERCRIME-40?done=restored');
    expect(page((await request(app).get('/search')).text).options('designation')).toContain('CYBERCRIME-40');
  });

  it('when a designation type is edited, then its new titles show and its code and instrument stay', async () => {
    const res = await post(secretariat, '/admin/designations/CYBERCRIME-41', '/admin/designations/CYBERCRIME-41', {
      ...CONTACT_POINT,
      'titles[en]': '24/7 network point of contact (Cybercrime Convention art. 41)',
      instrument: 'UNTOC',
    });
    expect(res.status).toBe(303);
    const api = await request(app).get('/api/v1/designations');
    expect(api.body.data).toContainEqual(expect.objectContaining({ code: 'CYBERCRIME-41', instrument: 'CYBERCRIME', titles: expect.objectContaining({ en: '24/7 network point of contact (Cybercrime Convention art. 41)' }) }));
  });

  it('when the instrument is retired, then its types leave the filters while its party records stay', async () => {
    const res = await post(secretariat, '/admin/instruments/CYBERCRIME', '/admin/instruments/CYBERCRIME/retired', { retired: 'true' });
    expect(res.status).toBe(303);
    const search = page((await request(app).get('/search')).text);
    expect(search.options('instrument')).not.toContain('CYBERCRIME');
    expect(search.options('designation')).not.toContain('CYBERCRIME-41');
    expect((await request(app).get('/api/v1/instruments')).body.data).toContainEqual(expect.objectContaining({ code: 'CYBERCRIME', retired: true }));
    expect((await findState('FRA'))!.parties).toContainEqual(expect.objectContaining({ instrument: 'CYBERCRIME' }));
    // A retired instrument's row stays in the form of a State that has a record of it
    expect(page((await secretariat.get('/admin/states/FRA')).text).options('parties[CYBERCRIME][status]')).toContain('party');
  });

  it('when someone other than the secretariat tries the catalogue pages, then they are refused', async () => {
    expect((await focal.get('/admin/instruments')).status).toBe(403);
    expect((await request(app).get('/admin/instruments')).status).toBe(303);
  });
});
