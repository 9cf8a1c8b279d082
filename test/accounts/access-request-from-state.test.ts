import type { Express } from 'express';
import request from 'supertest';
import { AccessRequestModel } from '../../src/accounts/access-request.model';
import { AuthorityModel } from '../../src/directory/directory.models';
import { testApp } from '../helpers/app';
import { createTestUser, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';

/** A restricted State's page is no dead end: it leads to the access request, which carries the State to the secretariat. */
describe('asking for access from a restricted State', () => {
  useTestDatabase();
  let smtp: TestSmtp;
  let app: Express;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    app = testApp({ mailer: smtp.mailer });
  });
  afterAll(async () => {
    await smtp.close();
  });

  it.each([['/states/RUS'], ['/find?to=RUS&need=extradition']])('when an anonymous reader opens %s, then beside "sign in" a link asks for access from that State', async (path) => {
    const res = await request(app).get(path).expect(200);
    expect(page(res.text).attrs('.restricted-notice a', 'href')).toContain('/access/request?for=RUS');
  });

  it('when an anonymous reader opens a restricted authority, then its notice asks for access from its State', async () => {
    const russian = await AuthorityModel.findOne({ state: 'RUS' }).lean();
    const authority = page((await request(app).get(`/authorities/${String(russian!._id)}`).expect(200)).text);
    expect(authority.attrs('.restricted-notice a', 'href')).toContain('/access/request?for=RUS');
  });

  it('when the request is sent from that link, then the form names the State, and the secretariat sees where it came from', async () => {
    const agent = request.agent(app);
    const form = page((await agent.get('/access/request?for=rus&lang=fr')).text);
    expect(form.text('[data-testid="for-state"]')).toContain('Fédération de Russie');
    expect(form.field('forState')).toBe('RUS');
    // the requester's own State is still theirs to choose
    expect(form.field('state')).toBe('');

    const email = 'asked.from.russia@justice.test.example';
    const fields = { name: 'Lea Procureure', institution: 'Parquet général', state: 'FRA', email, reason: 'Demandes d’entraide adressées à la Russie.', forState: 'RUS', _csrf: form.csrfToken() };
    const sent = await agent.post('/access/request').type('form').send(fields);
    expect(sent.status).toBe(200);
    expect(await AccessRequestModel.findOne({ email }).lean()).toMatchObject({ state: 'FRA', forState: 'RUS' });

    const secretariat = await signedInAgent(app, await createTestUser({ role: 'secretariat' }));
    const list = page((await secretariat.get('/admin/access-requests')).text);
    expect(list.texts('[data-testid="for-state"]')).toContain('Russian Federation (RUS)');
  });

  it('when the link names no State of the directory, then the form is the plain one', async () => {
    const form = page((await request(app).get('/access/request?for=XYZ')).text);
    expect(form.count('[data-testid="for-state"]')).toBe(0);
    expect(form.field('forState')).toBeUndefined();
  });

  it('when a crafted request names an unknown State as where it came from, then it is refused and nothing is stored', async () => {
    const agent = request.agent(app);
    const form = page((await agent.get('/access/request?for=RUS')).text);
    const email = 'crafted.for.state@justice.test.example';
    const res = await agent
      .post('/access/request')
      .type('form')
      .send({ name: 'Crafted', institution: 'Somewhere', state: 'FRA', email, reason: 'Testing.', forState: 'XYZ', _csrf: form.csrfToken() });
    expect(res.status).toBe(422);
    expect(await AccessRequestModel.countDocuments({ email })).toBe(0);
  });
});
