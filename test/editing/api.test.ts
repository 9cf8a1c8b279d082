import request from 'supertest';
import { AuditEventModel } from '../../src/audit/audit.model';
import { findAuthority, findState } from '../../src/editing/editing.repository';
import { csrfTokenIn } from '../helpers/accounts';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { checkingRequests, expectOnlyDocumentedRequests, openApiErrors, type PathTemplate } from '../helpers/openapi-validator';
import { apiToken, authorityOf, editor } from './editing-helpers';

type Method = 'get' | 'post' | 'put' | 'delete';

describe('API writes', () => {
  useTestDatabase();
  const app = checkingRequests(testApp());
  expectOnlyDocumentedRequests(app);
  let token: string;
  let tokenUserEmail: string;

  beforeAll(async () => {
    const created = await apiToken('focal-point', ['FRA']);
    token = created.token;
    tokenUserEmail = created.user.user.email;
  });

  /** Sends a request with the focal point's token and checks the answer against the OpenAPI document. */
  async function call(method: Method, path: PathTemplate, url: string, body?: unknown, headers: Record<string, string> = {}) {
    let req = request(app)[method](`/api/v1${url}`).set('Authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    const res = body === undefined ? await req : await req.send(body as object);
    expect({ url, errors: openApiErrors(res, path, method) }).toEqual({ url, errors: [] });
    return res;
  }

  const newAuthority = () => ({
    designations: ['UNTOC-18-13', 'UNTOC-16'],
    name: { original: 'Parquet général (exemple)', originalLanguage: 'fr', en: 'Prosecutor General’s office (sample)' },
    kind: 'prosecution-service',
    address: { lines: ['3, rue de l’Exemple'], city: 'Paris', postalCode: '75001' },
    phones: [{ number: '+442079460150', label: 'Standard' }],
    emails: ['parquet.general@justice.fr.example'],
    website: 'https://parquet.fr.example/',
    officeHours: { timeZone: 'Europe/Paris', days: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:30' },
    languages: ['fr', 'en'],
    channels: ['email', 'post'],
    urgent: { accepted: true, means: ['email'] },
    contactPersons: [{ name: 'Alex Exemple', phones: [], emails: ['alex@parquet.fr.example'], languages: ['fr'] }],
  });

  it('when an authority is created, changed with the version read, and removed with If-Match, then each answer conforms and the public data follows', async () => {
    const created = await call('post', '/states/{code}/authorities', '/states/FRA/authorities', newAuthority());
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    expect(created.headers.location).toBe(`/api/v1/authorities/${id}`);
    expect(created.headers.etag).toBe('"0"');
    expect(created.body.data).toMatchObject({ state: 'FRA', version: 0, emails: ['parquet.general@justice.fr.example'] });
    expect((await request(app).get(`/api/v1/authorities/${id}`)).body.data.name.en).toBe('Prosecutor General’s office (sample)');

    // what was read may be sent back with one change
    const read = (await request(app).get(`/api/v1/authorities/${id}`)).body.data;
    const updated = await call('put', '/authorities/{id}', `/authorities/${id}`, { ...read, emails: ['nouveau@parquet.fr.example'] });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ version: 1, emails: ['nouveau@parquet.fr.example'] });

    const viaIfMatch = await call('put', '/authorities/{id}', `/authorities/${id}`, { ...newAuthority(), notes: 'Via If-Match' }, { 'If-Match': '"1"' });
    expect(viaIfMatch.status).toBe(200);
    expect(viaIfMatch.headers.etag).toBe('"2"');

    const removed = await call('delete', '/authorities/{id}', `/authorities/${id}`, undefined, { 'If-Match': '"2"' });
    expect(removed.status).toBe(204);
    expect((await request(app).get(`/api/v1/authorities/${id}`)).status).toBe(404);
  });

  it('when a change is sent from a stale version, then 409 lists the changed fields with their values now and who changed them, and nothing is written', async () => {
    const authority = await authorityOf('FRA', 'Maritime');
    const fresh = await call('put', '/authorities/{id}', `/authorities/${authority.id}`, { ...authority, emails: ['first@mer.fr.example'], version: authority.version });
    expect(fresh.status).toBe(200);
    const stale = await call('put', '/authorities/{id}', `/authorities/${authority.id}`, { ...authority, notes: 'Stale', version: authority.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({
      code: 'conflict',
      currentVersion: authority.version + 1,
      changes: [{ field: 'emails', current: ['first@mer.fr.example'] }],
      changedBy: { email: tokenUserEmail, role: 'focal-point' },
    });
    expect(stale.body.error.message).toContain('emails');
    expect((await findAuthority(authority.id))?.notes).toBe(authority.notes);
    const staleRemoval = await call('delete', '/authorities/{id}', `/authorities/${authority.id}`, { version: authority.version });
    expect(staleRemoval.status).toBe(409);
    expect(await findAuthority(authority.id)).toBeDefined();
  });

  it('when the input is invalid, then 400 names each field in English, the same rules as the forms', async () => {
    const authority = await authorityOf('FRA', 'Ministry of Justice');
    const res = await call('put', '/authorities/{id}', `/authorities/${authority.id}`, {
      ...newAuthority(),
      version: authority.version,
      emails: ['ok@justice.fr.example', 'not-an-address'],
      phones: [{ number: '12345' }],
      website: 'ftp://files.example',
      officeHours: { timeZone: 'Mars/Olympus', opens: '9', closes: '17:00' },
      languages: ['fr', 'klingon'],
      name: { original: 'x'.repeat(301), originalLanguage: 'fr', en: 'X' },
      colour: 'blue',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_parameters');
    expect(res.body.error.fields).toEqual({
      'emails.1': 'Enter an e-mail address such as name@example.org.',
      'phones.0.number': expect.stringContaining('international format'),
      website: 'Enter a web address starting with https:// or http://.',
      'officeHours.timeZone': 'Enter an IANA time zone such as Europe/Paris.',
      'officeHours.opens': 'Enter a time as HH:MM on the 24-hour clock, e.g. 09:00.',
      languages: '“klingon” is not a language we know: give each language’s name, such as Russian, or its ISO 639-1 code, such as ru, separated by commas.',
      'name.original': 'Enter at most 300 characters.',
      colour: 'This field is not accepted.',
    });
    const noVersion = await call('put', '/authorities/{id}', `/authorities/${authority.id}`, newAuthority());
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.fields).toHaveProperty('version');
    const badJson = await request(app).post('/api/v1/states/FRA/authorities').set('Authorization', `Bearer ${token}`).type('json').send('{"designations": [');
    expect(badJson.status).toBe(400);
    const unknownDesignation = await call('post', '/states/{code}/authorities', '/states/FRA/authorities', { ...newAuthority(), designations: ['UNTOC-99'] });
    expect(unknownDesignation.status).toBe(400);
    expect(unknownDesignation.body.error.fields.designations).toBe('UNTOC-99 is not a designation in the Directory’s catalogue.');
  });

  it('when a body is over the limit a write takes, then 413 says so in the documented error body and nothing is written', async () => {
    const state = (await findState('FRA'))!;
    const res = await call('put', '/states/{code}/optional', '/states/FRA/optional', {
      version: state.version,
      alternativeArrangements: { text: 'x'.repeat(150 * 1024), language: 'en', format: 'plain' },
    });
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({ code: 'payload_too_large', message: 'The request body is too large (at most 100 KB)' });
    expect((await findState('FRA'))!.version).toBe(state.version);
  });

  it('when the optional section and the access setting are changed, then the State follows, the access change is audited, and a stale version is refused', async () => {
    const state = (await findState('FRA'))!;
    const optional = await call('put', '/states/{code}/optional', '/states/FRA/optional', {
      version: state.version,
      requirements: { mla: { text: 'Requests must be in French or English (sample).', language: 'en', format: 'plain' } },
      laws: [{ title: 'Code of criminal procedure (sample)', url: 'https://laws.fr.example/cpp', language: 'fr' }],
      treaties: [],
      untocLegalBasisForExtradition: 'unknown',
    });
    expect(optional.status).toBe(200);
    expect(optional.body.data.version).toBe(state.version + 1);
    const publicState = (await request(app).get('/api/v1/states/FRA')).body.data;
    expect(publicState.optional.requirements).toEqual({ mla: { text: 'Requests must be in French or English (sample).', language: 'en', format: 'plain' } });
    expect(publicState.optional.alternativeArrangements).toBeUndefined();
    expect(publicState.version).toBe(state.version + 1);

    const stale = await call('put', '/states/{code}/access', '/states/FRA/access', { access: 'restricted', version: state.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error.changes.map((change: { field: string }) => change.field)).toEqual(expect.arrayContaining(['optional.requirements.mla.text', 'optional.laws']));
    const access = await call('put', '/states/{code}/access', '/states/FRA/access', { access: 'restricted' }, { 'If-Match': `"${state.version + 1}"` });
    expect(access.status).toBe(200);
    expect((await request(app).get('/api/v1/states/FRA')).body.data.detailsRestricted).toBe(true);
    expect(await AuditEventModel.countDocuments({ type: 'access-setting-changed', subject: 'FRA' })).toBe(1);
    await call('put', '/states/{code}/access', '/states/FRA/access', { access: 'public', version: state.version + 2 });
  });

  it('when the State is confirmed and its revisions are listed, then both answers conform and the revisions say who did what', async () => {
    const confirmed = await call('post', '/states/{code}/confirm', '/states/FRA/confirm');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.data.lastConfirmed.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
    const revisions = await call('get', '/states/{code}/revisions', '/states/FRA/revisions?limit=50');
    expect(revisions.status).toBe(200);
    const actions = (revisions.body.data as Array<{ action: string; actor: { email: string } }>).map((revision) => revision.action);
    expect(actions[0]).toBe('confirm');
    expect(actions).toEqual(expect.arrayContaining(['create', 'update', 'remove']));
    expect(revisions.body.data[0].actor.email).toBe(tokenUserEmail);
    expect((await call('get', '/states/{code}/revisions', '/states/FRA/revisions?limit=0')).status).toBe(400);
  });

  it('when a signed-in focal point writes through the API with their session, then the CSRF token is required', async () => {
    const focal = await editor(app, 'focal-point', ['FRA']);
    const without = await focal.agent.post('/api/v1/states/FRA/confirm').send({});
    expect(without.status).toBe(403);
    const page = await focal.agent.get('/states/FRA/edit');
    const withToken = await focal.agent.post('/api/v1/states/FRA/confirm').set('X-CSRF-Token', csrfTokenIn(page.text)).send({});
    expect(withToken.status).toBe(200);
  });
});
