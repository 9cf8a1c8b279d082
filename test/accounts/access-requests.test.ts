import type { Express } from 'express';
import request from 'supertest';
import { AccessRequestModel } from '../../src/accounts/access-request.model';
import { UserModel } from '../../src/accounts/user.model';
import { AuditEventModel } from '../../src/audit/audit.model';
import { testApp } from '../helpers/app';
import { createTestUser, csrfTokenIn, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { linkIn, mailsTo, submitForm } from './account-test-helpers';

describe('access requests from practitioners', () => {
  useTestDatabase();
  let smtp: TestSmtp;
  let app: Express;
  let secretariat: request.Agent;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    app = testApp({ mailer: smtp.mailer });
    secretariat = await signedInAgent(app, await createTestUser({ role: 'secretariat' }));
  });
  afterAll(async () => {
    await smtp.close();
  });

  const requestAccess = (fields: Record<string, string>, lang = 'en') =>
    submitForm(request.agent(app), `/access/request?lang=${lang}`, '/access/request', { name: 'Ana Prosecutor', institution: 'Office of the Prosecutor General', state: 'BRA', reason: 'I handle MLA requests to Russia.', ...fields });

  async function decide(email: string, action: 'approve' | 'reject', note = '') {
    const request = await AccessRequestModel.findOne({ email }).lean();
    return submitForm(secretariat, '/admin/access-requests', `/admin/access-requests/${String(request!._id)}/${action}`, { note });
  }

  it('when a practitioner asks for access and the secretariat approves, then a link arrives, the password is chosen and the practitioner sees restricted details', async () => {
    const email = 'ana.prosecutor@mpf.test.example';
    const sent = await requestAccess({ email });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain(email);
    expect(await AccessRequestModel.countDocuments({ email, status: 'pending' })).toBe(1);

    const list = await secretariat.get('/admin/access-requests');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Ana Prosecutor');
    expect(list.text).toContain('Office of the Prosecutor General');
    const index = await secretariat.get('/admin');
    expect(page(index.text).text('[data-testid="pending-access-requests"]')).toBe('1 request waiting for a decision');

    const approved = await decide(email, 'approve');
    expect(approved.status).toBe(303);
    const stored = await UserModel.findOne({ email }).lean();
    expect(stored).toMatchObject({ role: 'practitioner', institution: 'Office of the Prosecutor General', status: 'active' });
    expect(stored?.passwordHash).toBeUndefined();

    // the acknowledgement, then the approval
    const mail = (await mailsTo(smtp, email, 2)).find((message) => message.subject === 'Your access to the Central Authorities Directory has been approved');
    expect(mail).toBeDefined();
    expect(mail!.text).toContain('within 7 days');
    const link = linkIn(mail!);
    const agent = request.agent(app);
    const form = await agent.get(link);
    expect(form.text).toContain('Choose your password');
    const set = await agent.post(link).type('form').send({ password: 'my practitioner passphrase', confirm: 'my practitioner passphrase', _csrf: csrfTokenIn(form.text) });
    expect(set.status).toBe(303);

    const practitioner = await signedInAgent(app, { user: { email } as never, password: 'my practitioner passphrase', recoveryCodes: [] });
    expect((await practitioner.get('/states/RUS')).text).toContain('mailto:');
    expect((await request(app).get('/states/RUS')).text).not.toContain('mailto:');

    const audit = await AuditEventModel.findOne({ type: 'access-request-decided', subject: String(stored!._id) }).lean();
    expect(audit?.details).toMatchObject({ decision: 'approved', email });
  });

  it('when the secretariat rejects a request with a note, then the applicant is e-mailed the note in the language of the request', async () => {
    const email = 'someone@private.test.example';
    await requestAccess({ email }, 'ru');
    const rejected = await decide(email, 'reject', 'Укажите служебный адрес электронной почты.');
    expect(rejected.status).toBe(303);
    expect(await AccessRequestModel.findOne({ email }).lean()).toMatchObject({ status: 'rejected', note: 'Укажите служебный адрес электронной почты.' });
    const mail = (await mailsTo(smtp, email, 2)).find((message) => message.subject === 'Ваш запрос на доступ к Справочнику центральных органов');
    expect(mail).toBeDefined();
    expect(mail!.text).toContain('Причина: Укажите служебный адрес электронной почты.');
    expect(await UserModel.countDocuments({ email })).toBe(0);
  });

  it('when a request has been decided, then deciding it again is refused with a clear message', async () => {
    const email = 'twice@test.example';
    await requestAccess({ email });
    expect((await decide(email, 'reject')).status).toBe(303);
    const again = await decide(email, 'approve');
    expect(again.status).toBe(409);
    expect(again.text).toContain('This request has already been decided.');
    expect(await UserModel.countDocuments({ email })).toBe(0);
  });

  it('when an account already exists for the address, then approval is refused and nothing is sent', async () => {
    const existing = await createTestUser({ role: 'practitioner' });
    await requestAccess({ email: existing.user.email });
    await mailsTo(smtp, existing.user.email);
    const before = smtp.to(existing.user.email).length;
    const res = await decide(existing.user.email, 'approve');
    expect(res.status).toBe(409);
    expect(res.text).toContain('already exists');
    expect(await AccessRequestModel.findOne({ email: existing.user.email }).lean()).toMatchObject({ status: 'pending' });
    expect(smtp.to(existing.user.email)).toHaveLength(before);
  });

  it('when a practitioner asks for access, then an acknowledgement arrives in the language of the request', async () => {
    const email = 'acknowledged@test.example';
    await requestAccess({ email }, 'fr');
    const [mail] = await mailsTo(smtp, email);
    expect(mail!.subject).toBe('Nous avons reçu votre demande d’accès au Répertoire des autorités centrales');
    expect(mail!.text).toContain('Ana Prosecutor');
  });

  it('when the same address asks again while its request is pending, then there is one request with the latest details, and no second acknowledgement', async () => {
    const email = 'Twice.Asked@test.example';
    await requestAccess({ email });
    await mailsTo(smtp, email.toLowerCase());
    const again = await requestAccess({ email: email.toLowerCase(), institution: 'Ministry of Justice', reason: 'Extradition casework.' });
    expect(again.status).toBe(200);
    const stored = await AccessRequestModel.find({ email: email.toLowerCase() }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'pending', institution: 'Ministry of Justice', reason: 'Extradition casework.', submissions: 2 });
    const list = page((await secretariat.get('/admin/access-requests')).text);
    expect(list.text(`section[aria-labelledby="request-${String(stored[0]!._id)}"] [data-testid="resubmitted"]`)).toBe('Sent 2 times; the details shown are the latest');
    expect(smtp.to(email.toLowerCase())).toHaveLength(1);
  });

  it('when a request is rejected for an address that has an account by now, then its holder is not told "not approved"', async () => {
    const email = 'approved.elsewhere@test.example';
    await requestAccess({ email });
    expect((await decide(email, 'approve')).status).toBe(303);
    await mailsTo(smtp, email, 2);
    await requestAccess({ email, reason: 'Asked again by mistake.' });
    await mailsTo(smtp, email, 3);
    const pending = await AccessRequestModel.findOne({ email, status: 'pending' }).lean();
    const rejected = await submitForm(secretariat, '/admin/access-requests', `/admin/access-requests/${String(pending!._id)}/reject`, { note: 'Duplicate.' });
    expect(rejected.status).toBe(303);
    expect(await AccessRequestModel.findById(pending!._id).lean()).toMatchObject({ status: 'rejected' });
    // wait for anything still on its way, then: the two acknowledgements and the approval, no rejection
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.to(email).map((mail) => mail.subject).sort()).toEqual([
      'We have received your request for access to the Central Authorities Directory',
      'We have received your request for access to the Central Authorities Directory',
      'Your access to the Central Authorities Directory has been approved',
    ]);
    expect(await UserModel.findOne({ email }).lean()).toMatchObject({ status: 'active' });
  });

  it('when the form is incomplete, then it comes back with 422, the input kept and a message at each missing field', async () => {
    const res = await requestAccess({ email: 'not-an-address', institution: '', state: '' });
    expect(res.status).toBe(422);
    const form = page(res.text);
    expect(form.errorSummaryFields()).toEqual(expect.arrayContaining(['email', 'institution', 'state']));
    expect(form.fieldErrors()).toEqual(expect.arrayContaining(['email', 'institution', 'state']));
    expect(form.field('name')).toBe('Ana Prosecutor');
    expect(form.field('email')).toBe('not-an-address');
    expect(form.field('reason')).toBe('I handle MLA requests to Russia.');
  });
});
