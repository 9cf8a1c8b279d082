import type { Express } from 'express';
import request from 'supertest';
import { OneTimeTokenModel } from '../../src/accounts/one-time-token.model';
import { UserModel } from '../../src/accounts/user.model';
import { AuditEventModel } from '../../src/audit/audit.model';
import { testApp } from '../helpers/app';
import { createTestUser, csrfTokenIn, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { linkIn, mailsTo, submitForm } from './account-test-helpers';

describe('password reset by e-mail', () => {
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

  const askForLink = (email: string, agent = request.agent(app)) => submitForm(agent, '/password/forgot', '/password/forgot', { email });
  const choosePassword = (agent: request.Agent, path: string, password: string, confirm = password) => submitForm(agent, path, path, { password, confirm });

  it('when a user asks for a reset, then a link valid one hour arrives in their language, and it sets the password once', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const res = await askForLink(user.user.email);
    expect(res.status).toBe(200);
    expect(page(res.text).text('[role="status"]')).toContain(`If an account exists for ${user.user.email}`);

    const [mail] = await mailsTo(smtp, user.user.email);
    expect(mail!.subject).toBe('Reset your password for the Central Authorities Directory');
    expect(mail!.text).toContain('within 1 hour');
    const link = linkIn(mail!);

    const agent = request.agent(app);
    const form = await agent.get(link);
    expect(form.status).toBe(200);
    expect(form.headers['cache-control']).toBe('no-store');
    const done = await choosePassword(agent, link, 'a brand new passphrase');
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/sign-in?notice=password-set');

    await signedInAgent(app, { ...user, password: 'a brand new passphrase' });
    await expect(signedInAgent(app, user)).rejects.toThrow('sign-in answered 401');

    const again = await agent.get(link);
    expect(again.status).toBe(410);
    const refused = page(again.text);
    expect(refused.text('h1')).toBe('This link has expired or has already been used');
    expect(refused.linkTo('Ask for a new link')).toBe('/password/forgot');
    expect(await AuditEventModel.countDocuments({ type: 'password-reset', subject: user.user.id })).toBe(1);
  });

  it('when a Russian-speaking user asks for a reset, then the message is in Russian', async () => {
    const user = await createTestUser({ role: 'focal-point', states: ['RUS'] });
    await UserModel.updateOne({ _id: user.user.id }, { $set: { language: 'ru' } });
    await askForLink(user.user.email);
    const [mail] = await mailsTo(smtp, user.user.email);
    expect(mail!.subject).toBe('Сброс пароля в Справочнике центральных органов');
    expect(mail!.text).toContain('в течение 1 часа');
    expect(mail!.headers.get('content-language')).toBe('ru');
    linkIn(mail!);
  });

  it('when the password is reset, then every session the user had ends', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const laptop = await signedInAgent(app, user);
    expect((await laptop.get('/account')).status).toBe(200);
    await askForLink(user.user.email);
    const link = linkIn((await mailsTo(smtp, user.user.email))[0]!);
    expect((await choosePassword(request.agent(app), link, 'another long passphrase')).status).toBe(303);
    const after = await laptop.get('/account');
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/^\/sign-in/);
  });

  it('when the link has expired, then the form is refused with a page that offers a new link', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    await askForLink(user.user.email);
    const link = linkIn((await mailsTo(smtp, user.user.email))[0]!);
    const agent = request.agent(app);
    const form = await agent.get(link);
    expect(form.status).toBe(200);
    await OneTimeTokenModel.updateMany({ email: user.user.email }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await agent.post(link).type('form').send({ password: 'a passphrase too late', confirm: 'a passphrase too late', _csrf: csrfTokenIn(form.text) });
    expect(res.status).toBe(410);
    expect(page(res.text).linkTo('Ask for a new link')).toBe('/password/forgot');
    expect((await agent.get(link)).status).toBe(410);
  });

  it('when the new passwords are too short or differ, then the form comes back with 422 and the message at each field', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    await askForLink(user.user.email);
    const link = linkIn((await mailsTo(smtp, user.user.email))[0]!);
    const agent = request.agent(app);
    const res = await choosePassword(agent, link, 'short', 'different');
    expect(res.status).toBe(422);
    const form = page(res.text);
    expect(form.errorSummaryFields()).toEqual(['password', 'confirm']);
    expect(form.fieldError('password')).toBe('Enter at least 12 characters.');
    expect(form.fieldError('confirm')).toBe('The two passwords are not the same.');
    // The link was not used up by the mistake
    expect((await choosePassword(agent, link, 'now a good passphrase')).status).toBe(303);
  });

  it('when the e-mail is unknown, then the answer is the same and nothing is sent', async () => {
    const known = await createTestUser({ role: 'practitioner' });
    const before = smtp.messages.length;
    const unknown = await askForLink('nobody-here@test.example');
    const existing = await askForLink(known.user.email);
    expect(unknown.status).toBe(existing.status);
    const strip = (html: string, email: string) => {
      const answer = page(html.replaceAll(email, 'EMAIL'));
      answer.$('input[name="_csrf"]').attr('value', '');
      return answer.$.html();
    };
    expect(strip(unknown.text, 'nobody-here@test.example')).toBe(strip(existing.text, known.user.email));
    await mailsTo(smtp, known.user.email);
    // Mail goes out in order; the known address's message has arrived, and nothing came before it
    expect(smtp.messages.length).toBe(before + 1);
    expect(smtp.to('nobody-here@test.example')).toHaveLength(0);
  });

  it('when the e-mail is malformed, then the form comes back with 422 and the input kept', async () => {
    const res = await askForLink('not-an-address');
    expect(res.status).toBe(422);
    const form = page(res.text);
    expect(form.errorSummaryFields()).toEqual(['email']);
    expect(form.field('email')).toBe('not-an-address');
  });

  it('when a link is asked for the same address too often, then the answer is 429', async () => {
    const limitedApp = testApp({ mailer: smtp.mailer });
    const agent = request.agent(limitedApp);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await askForLink('flood@test.example', agent)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const last = await askForLink('flood@test.example', agent);
    expect(last.status).toBe(429);
    expect(last.headers['retry-after']).toBeDefined();
    expect(page(last.text).text('h1')).toBe('Too many attempts');
  });
});
