import type { Express } from 'express';
import request from 'supertest';
import { AuditEventModel } from '../../src/audit/audit.model';
import { AuthorityModel } from '../../src/directory/directory.models';
import { findState } from '../../src/editing/editing.repository';
import type { State } from '../../src/directory/directory.types';
import { testApp } from '../helpers/app';
import { createTestUser, csrfTokenIn, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

type Fields = Record<string, string>;

/** Posts a form as a browser would, with the CSRF token of the page it comes from. */
async function post(agent: request.Agent, pagePath: string, action: string, fields: Fields) {
  const form = await agent.get(pagePath);
  return agent.post(action).type('form').send(new URLSearchParams({ ...fields, _csrf: csrfTokenIn(form.text) }).toString());
}

/** The State record form's fields for `state`, as the edit page fills them in. */
function stateFields(state: State, overrides: Fields = {}): Fields {
  const fields: Fields = { version: String(state.version), kind: state.kind, region: state.region, aliases: state.aliases.join('\n') };
  for (const [lang, name] of Object.entries(state.names)) fields[`names[${lang}]`] = name;
  for (const record of state.parties) {
    fields[`parties[${record.instrument}][status]`] = record.status;
    if (record.consented) fields[`parties[${record.instrument}][consented]`] = record.consented;
  }
  (state.secondaryContacts ?? []).forEach((contact, index) => {
    fields[`secondaryContacts[${index}][name]`] = contact.name;
    fields[`secondaryContacts[${index}][email]`] = contact.email;
  });
  return { ...fields, ...overrides };
}

/** The links of the console's States list, one per listed State. */
const listedStates = (html: string) => page(html).attrs('table tbody th a', 'href');

const titleFields = (prefix: string, title: string): Fields => Object.fromEntries(['ar', 'zh', 'en', 'fr', 'ru', 'es'].map((lang) => [`${prefix}[${lang}]`, `${title} (${lang})`]));

describe('managing the Directory from the console', () => {
  useTestDatabase();
  let app: Express;
  let secretariat: request.Agent;
  beforeAll(async () => {
    app = testApp();
    secretariat = await signedInAgent(app, await createTestUser({ role: 'secretariat' }));
  });

  it('when the secretariat opens the admin index, then it links to the dashboard and the management pages', async () => {
    const links = page((await secretariat.get('/admin')).text).attrs('a.result-title', 'href');
    expect(links).toEqual(expect.arrayContaining(['dashboard', 'states', 'designations', 'resources'].map((name) => `/admin/${name}`)));
  });

  it('when the States list is searched, then it finds by code or by name in any language', async () => {
    const byName = await secretariat.get('/admin/states?q=Российская');
    expect(byName.status).toBe(200);
    expect(listedStates(byName.text)).toEqual(['/admin/states/RUS']);
    const byCode = await secretariat.get('/admin/states?q=fra');
    expect(listedStates(byCode.text)).toContain('/admin/states/FRA');
  });

  it('when a party status is entered for a State holding an art. 18(13) authority, then the dashboard counts it and the change is audited', async () => {
    const holder = await AuthorityModel.findOne({ designations: 'UNTOC-18-13' }).lean();
    const code = holder!.state;
    const before = await secretariat.get('/admin/dashboard');
    expect(page(before.text).text('[data-testid="figure-parties-with-mla"]')).toBe('0 / 0');

    const state = (await findState(code))!;
    const res = await post(secretariat, `/admin/states/${code}`, `/admin/states/${code}`, stateFields(state, { 'parties[UNTOC][status]': 'party', 'parties[UNTOC][consented]': '2004-05-12', 'parties[UNTOC][source]': 'UNTC status page, read 2026-01-10' }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/states/${code}?done=saved`);
    expect((await findState(code))!.parties).toEqual([{ instrument: 'UNTOC', status: 'party', consented: '2004-05-12', source: 'UNTC status page, read 2026-01-10' }]);

    const after = await secretariat.get('/admin/dashboard');
    const dashboard = page(after.text);
    expect(dashboard.text('[data-testid="figure-parties-with-mla"]')).toBe('1 / 1');
    expect(dashboard.text('[data-testid="figure-parties-with-mla"] strong')).toBe('1');
    expect(dashboard.text('[data-testid="party-status-notice"]')).toMatch(/^Party status is not recorded for 197 States:/);
    const event = await AuditEventModel.findOne({ type: 'directory-record-changed', subject: code }).lean();
    expect(event?.details).toMatchObject({ action: 'update', fields: ['parties'], partiesBefore: [], partiesAfter: [{ instrument: 'UNTOC', status: 'party' }] });
    // the public page shows the party record
    const api = await request(app).get(`/api/v1/states/${code}`);
    expect(api.body.parties ?? api.body.data?.parties).toEqual([expect.objectContaining({ instrument: 'UNTOC', status: 'party' })]);
  });

  it('when a State record is posted with errors, then the form comes back 422 with the input kept and a message at each field', async () => {
    const state = (await findState('FRA'))!;
    const res = await post(
      secretariat,
      '/admin/states/FRA',
      '/admin/states/FRA',
      stateFields(state, { 'names[en]': '', 'parties[SOM][consented]': '12/05/2004', 'secondaryContacts[0][name]': 'Mission', 'secondaryContacts[0][email]': 'not-an-address', region: 'ATLANTIS' }),
    );
    expect(res.status).toBe(422);
    const form = page(res.text);
    expect(form.errorSummaryFields()).toContain('names-en');
    expect(form.attr('[id="f-names-en-error"]', 'class')).toBe('field-error');
    expect(form.fieldError('names-en')).toBe('Enter a value.');
    expect(form.fieldError('parties-SOM-consented')).toMatch(/^Enter a date as YYYY-MM-DD\./);
    expect(form.fieldError('parties-SOM-status')).toMatch(/^Choose a status, or clear the dates and the source\./);
    expect(form.fieldError('secondaryContacts-0-email')).toMatch(/^Enter an e-mail address/);
    expect(form.fieldErrors()).toContain('region');
    expect(form.field('secondaryContacts[0][email]')).toBe('not-an-address');
    expect(form.field('parties[SOM][consented]')).toBe('12/05/2004');
    expect((await findState('FRA'))!.version).toBe(state.version);
  });

  it('when a State record is saved from an old version, then nothing is overwritten and the answer is 409', async () => {
    const state = (await findState('DEU'))!;
    const first = await post(secretariat, '/admin/states/DEU', '/admin/states/DEU', stateFields(state, { 'secondaryContacts[0][name]': 'Permanent Mission', 'secondaryContacts[0][email]': 'Mission@Example.org', 'secondaryContacts[0][role]': 'permanent mission' }));
    expect(first.status).toBe(303);
    expect((await findState('DEU'))!.secondaryContacts).toEqual([{ name: 'Permanent Mission', email: 'mission@example.org', role: 'permanent mission' }]);
    const stale = await post(secretariat, '/admin/states/DEU', '/admin/states/DEU', stateFields(state, { aliases: 'Allemagne' }));
    expect(stale.status).toBe(409);
    expect((await findState('DEU'))!.aliases).toEqual(state.aliases);
    // secondary contacts are the secretariat's: not on the public page or in the API
    expect((await request(app).get('/states/DEU')).text).not.toContain('mission@example.org');
    expect(JSON.stringify((await request(app).get('/api/v1/states/DEU')).body)).not.toContain('mission@example.org');
  });

  it('when a participant is added, then it is listed and has a public page; the same code again is refused at the code field', async () => {
    const fields: Fields = { code: 'xkx', kind: 'non-member', region: 'EASTERN_EUROPEAN', aliases: 'Kosova', ...titleFields('names', 'Test participant') };
    const res = await post(secretariat, '/admin/states/new', '/admin/states/new', fields);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/states/XKX?done=created');
    expect(listedStates((await secretariat.get('/admin/states')).text)).toContain('/admin/states/XKX');
    expect((await request(app).get('/states/XKX')).status).toBe(200);
    const again = await post(secretariat, '/admin/states/new', '/admin/states/new', fields);
    expect(again.status).toBe(422);
    expect(page(again.text).fieldError('code')).toMatch(/^This code is taken already\./);
  });

  it('when a designation type is added, then it appears in the API, the search filter and the catalogue page', async () => {
    const fields: Fields = { code: 'UNCAC-46-14', instrument: 'UNCAC', article: 'art. 46(14)', role: 'mla', order: '20', ...titleFields('titles', 'Authority for urgent MLA requests under UNCAC') };
    const res = await post(secretariat, '/admin/designations', '/admin/designations', fields);
    expect(res.status).toBe(303);
    const api = await request(app).get('/api/v1/designations');
    expect(api.body.data).toContainEqual(expect.objectContaining({ code: 'UNCAC-46-14', instrument: 'UNCAC', article: 'art. 46(14)', core: false }));
    const search = await request(app).get('/search');
    expect(page(search.text).text('select[name="designation"] option[value="UNCAC-46-14"]')).toBe('Authority for urgent MLA requests under UNCAC (en)');
    expect((await request(app).get('/search?designation=UNCAC-46-14')).status).toBe(200);
    expect(page((await secretariat.get('/admin/designations')).text).texts('table tbody th[scope="row"]')).toContain('UNCAC-46-14');
  });

  it('when a designation type is posted with errors, then the form comes back 422 at the fields with the input kept', async () => {
    const res = await post(secretariat, '/admin/designations', '/admin/designations', { code: 'untoc 18', instrument: 'NEWTREATY', article: '', role: 'mla', order: 'first', ...titleFields('titles', 'x'), 'titles[zh]': '' });
    expect(res.status).toBe(422);
    expect(page(res.text).fieldErrors()).toEqual(expect.arrayContaining(['code', 'instrument', 'article', 'order', 'titles-zh']));
    expect(page(res.text).field('code')).toBe('untoc 18');
    const taken = await post(secretariat, '/admin/designations', '/admin/designations', { code: 'UNTOC-18-13', instrument: 'UNTOC', article: 'art. 18(13)', role: 'mla', order: '1', ...titleFields('titles', 'x') });
    expect(taken.status).toBe(422);
    expect(page(taken.text).fieldError('code')).toMatch(/^This code is taken already\./);
  });

  it('when a resource is added, edited and removed, then the public resources page follows each step', async () => {
    const created = await post(secretariat, '/admin/resources', '/admin/resources', { title: 'Model Law on MLA (test)', category: 'model-law', url: 'https://example.org/model-law-test', languages: 'en, FR', description: 'A test entry.' });
    expect(created.status).toBe(303);
    const publicTitles = async () => page((await request(app).get('/resources')).text).texts('ul.resources > li > a');
    expect(await publicTitles()).toContain('Model Law on MLA (test)');

    const list = page((await secretariat.get('/admin/resources')).text);
    const editLink = list.$('table tbody tr').filter((_, row) => list.$(row).children('th').text().trim() === 'Model Law on MLA (test)').find('a[href^="/admin/resources/"]');
    expect(editLink.find('.visually-hidden').text()).toBe(': Model Law on MLA (test)');
    const id = editLink.attr('href')?.slice('/admin/resources/'.length);
    expect(id).toMatch(/^[a-f0-9]{24}$/);
    const edited = await post(secretariat, `/admin/resources/${id}`, `/admin/resources/${id}`, { title: 'Model Law on MLA (renamed)', category: 'model-law', url: 'https://example.org/model-law-test', languages: 'en fr', description: '' });
    expect(edited.status).toBe(303);
    const renamed = await publicTitles();
    expect(renamed).toContain('Model Law on MLA (renamed)');
    expect(renamed).not.toContain('Model Law on MLA (test)');

    const removed = await post(secretariat, `/admin/resources/${id}`, `/admin/resources/${id}/remove`, {});
    expect(removed.status).toBe(303);
    expect(await publicTitles()).not.toContain('Model Law on MLA (renamed)');
    expect((await request(app).get('/resources')).text).not.toContain('Model Law on MLA (renamed)');
    expect((await secretariat.get(`/admin/resources/${id}`)).status).toBe(404);
  });

  it('when a resource is posted with errors, then the form comes back 422 at the fields with the input kept', async () => {
    const res = await post(secretariat, '/admin/resources', '/admin/resources', { title: '', category: 'blog', url: 'javascript:alert(1)', languages: 'english', description: 'kept text' });
    expect(res.status).toBe(422);
    expect(page(res.text).fieldErrors()).toEqual(expect.arrayContaining(['title', 'category', 'url', 'languages']));
    expect(page(res.text).field('description')).toBe('kept text');
    const duplicate = await post(secretariat, '/admin/resources', '/admin/resources', { title: 'Again', category: 'other', url: 'https://www.unodc.org/mla/index.html', languages: '', description: '' });
    expect(duplicate.status).toBe(422);
    expect(page(duplicate.text).fieldError('url')).toMatch(/^The list already links to this address\./);
  });

  it('when a console form is posted without its CSRF token, then it is refused and nothing changes', async () => {
    const res = await secretariat.post('/admin/resources').type('form').send('title=x&category=other&url=https%3A%2F%2Fexample.org%2Fcsrf');
    expect(res.status).toBe(403);
    expect((await request(app).get('/resources')).text).not.toContain('example.org/csrf');
  });
});
