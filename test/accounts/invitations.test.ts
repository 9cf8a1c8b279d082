import type { Express } from 'express';
import request from 'supertest';
import { UserModel } from '../../src/accounts/user.model';
import { AuditEventModel } from '../../src/audit/audit.model';
import { testApp } from '../helpers/app';
import { createTestUser, csrfTokenIn, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { formBody, linkIn, mailsTo, submitForm } from './account-test-helpers';

describe('focal-point invitations', () => {
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

  const invite = (fields: Record<string, string | string[]>) => submitForm(secretariat, '/admin/invitations', '/admin/invitations', { name: 'Ирина Координатор', language: 'ru', states: ['RUS', 'CHN'], ...fields });

  async function accept(link: string, fields: { name: string; password: string; confirm?: string }) {
    const agent = request.agent(app);
    const form = await agent.get(link);
    // A refused link shows no form: take the session's token from another page to post anyway
    const csrf = csrfTokenIn(form.status === 200 ? form.text : (await agent.get('/sign-in')).text);
    const res = await agent.post(link).type('form').send(formBody({ name: fields.name, password: fields.password, confirm: fields.confirm ?? fields.password, _csrf: csrf }));
    return { form, res };
  }

  it('when the secretariat invites in Russian, then a Russian e-mail arrives, and accepting makes a focal point of those States who must set up TOTP at sign-in', async () => {
    const email = 'irina@mid.test.example';
    const sent = await invite({ email });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/admin/invitations?sent=${encodeURIComponent(email)}`);

    const [mail] = await mailsTo(smtp, email);
    expect(mail!.subject).toBe('Приглашение выполнять функции координатора в Справочнике центральных органов');
    expect(mail!.text).toContain('Уважаемый(ая) Ирина Координатор!');
    expect(mail!.text).toContain('Российская Федерация');
    expect(mail!.text).toContain('в течение 7 дней');
    const link = linkIn(mail!);

    const sentRow = page((await secretariat.get('/admin/invitations')).text)
      .rows('table')
      .find((cells) => cells[1] === email);
    expect(sentRow?.[4]).toMatch(/^Waiting/);

    const { form, res } = await accept(link, { name: 'Irina Koordinator', password: 'focal point passphrase' });
    expect(form.status).toBe(200);
    expect(page(form.text).texts('.narrow ul li')).toEqual(['Russian Federation (RUS)', 'China (CHN)']);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in?notice=invitation-accepted');

    const stored = await UserModel.findOne({ email }).lean();
    expect(stored).toMatchObject({ role: 'focal-point', name: 'Irina Koordinator', language: 'ru', status: 'active' });
    expect([...(stored?.states ?? [])].sort()).toEqual(['CHN', 'RUS']);

    const agent = request.agent(app);
    const signIn = await agent.get('/sign-in');
    const password = await agent.post('/sign-in').type('form').send({ email, password: 'focal point passphrase', _csrf: csrfTokenIn(signIn.text) });
    expect(password.headers.location).toBe('/sign-in/enrol');

    expect(await AuditEventModel.countDocuments({ type: 'invitation-sent', 'details.email': email })).toBe(1);
    expect(await AuditEventModel.countDocuments({ type: 'invitation-accepted', subject: String(stored!._id) })).toBe(1);
  });

  it('when an invitation link has been used, then it is refused', async () => {
    const email = 'once@test.example';
    await invite({ email, language: 'en' });
    const link = linkIn((await mailsTo(smtp, email))[0]!);
    expect((await accept(link, { name: 'Once Only', password: 'the first passphrase' })).res.status).toBe(303);
    const second = await accept(link, { name: 'Someone Else', password: 'the second passphrase' });
    expect(second.form.status).toBe(410);
    expect(second.form.text).toContain('This link has expired or has already been used');
    expect(second.res.status).toBe(410);
    expect((await UserModel.findOne({ email }).lean())?.name).toBe('Once Only');
  });

  it('when an existing practitioner accepts an invitation, then the account becomes a focal point of those States and its sessions end', async () => {
    const practitioner = await createTestUser({ role: 'practitioner' });
    const session = await signedInAgent(app, practitioner);
    await invite({ email: practitioner.user.email, language: 'en', states: ['MEX'] });
    const link = linkIn((await mailsTo(smtp, practitioner.user.email))[0]!);
    const { form, res } = await accept(link, { name: 'Pat Focal', password: 'upgraded passphrase' });
    expect(page(form.text).text('.notice')).toContain('You already have an account');
    expect(res.status).toBe(303);
    expect(await UserModel.findById(practitioner.user.id).lean()).toMatchObject({ role: 'focal-point', states: ['MEX'] });
    expect((await session.get('/account')).status).toBe(303);
  });

  it('when the form names no State or a member of the secretariat, then it comes back with 422 and a message at the field', async () => {
    const noState = await invite({ email: 'nostate@test.example', states: [] });
    expect(noState.status).toBe(422);
    const noStateForm = page(noState.text);
    expect(noStateForm.errorSummaryFields()).toEqual(['states']);
    expect(noStateForm.fieldError('states')).toBe('Choose at least one State.');
    expect(noStateForm.field('email')).toBe('nostate@test.example');

    const member = await createTestUser({ role: 'secretariat' });
    const secretariatMember = await invite({ email: member.user.email });
    expect(secretariatMember.status).toBe(422);
    const memberForm = page(secretariatMember.text);
    expect(memberForm.errorSummaryFields()).toEqual(['email']);
    expect(memberForm.fieldError('email')).toContain('member of the secretariat');

    const unknownState = await invite({ email: 'unknown@test.example', states: ['RUS', 'ZZZ'] });
    expect(unknownState.status).toBe(422);
    const unknownStateForm = page(unknownState.text);
    expect(unknownStateForm.fieldErrors()).toEqual(['states']);
    // The choices made are kept
    expect(unknownStateForm.chosen('states')).toEqual(['RUS']);
  });

  it('when the accept form has a short password, then it comes back with 422 and the link still works', async () => {
    const email = 'retry@test.example';
    await invite({ email, language: 'en' });
    const link = linkIn((await mailsTo(smtp, email))[0]!);
    const short = await accept(link, { name: 'Retry Person', password: 'short' });
    expect(short.res.status).toBe(422);
    const shortForm = page(short.res.text);
    expect(shortForm.errorSummaryFields()).toEqual(['password']);
    expect(shortForm.fieldErrors()).toEqual(['password']);
    expect(shortForm.field('name')).toBe('Retry Person');
    expect((await accept(link, { name: 'Retry Person', password: 'long enough passphrase' })).res.status).toBe(303);
  });
});
