import { authenticator } from 'otplib';
import mongoose from 'mongoose';
import request from 'supertest';
import { AuditEventModel } from '../../src/audit/audit.model';
import { UserModel } from '../../src/accounts/user.model';
import { checkPassword } from '../../src/accounts/accounts.service';
import { FREE_FAILURES } from '../../src/accounts/sign-in-throttle';
import { TooManyRequestsError, UnauthorizedError } from '../../src/shared/errors';
import { testApp } from '../helpers/app';
import { createTestUser, csrfTokenIn, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

describe('signing in', () => {
  useTestDatabase();
  const app = testApp();

  async function postSignIn(agent: request.Agent, email: string, password: string) {
    const form = await agent.get('/sign-in');
    return agent.post('/sign-in').type('form').send({ email, password, _csrf: csrfTokenIn(form.text) });
  }

  it('when a practitioner without TOTP signs in, then the session sees restricted details', async () => {
    const practitioner = await createTestUser({ role: 'practitioner' });
    const agent = await signedInAgent(app, practitioner);
    const rus = await agent.get('/states/RUS');
    expect(page(rus.text).count('a[href^="mailto:"]')).toBeGreaterThan(0);
    const anonymous = await request(app).get('/states/RUS');
    expect(anonymous.text).not.toContain('mailto:');
  });

  it('when the password is wrong, then the form comes back with 401, the e-mail kept and one message that does not say which part was wrong', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const res = await postSignIn(request.agent(app), user.user.email, 'wrong-password-123');
    expect(res.status).toBe(401);
    expect(page(res.text).texts('.error-summary li')).toEqual(['The e-mail address or password is not right.']);
    expect(page(res.text).field('email')).toBe(user.user.email);
    const unknown = await postSignIn(request.agent(app), 'nobody@test.example', 'wrong-password-123');
    expect(unknown.status).toBe(401);
    expect(page(unknown.text).texts('.error-summary li')).toEqual(['The e-mail address or password is not right.']);
  });

  it('when the e-mail is malformed, then the error is shown at the field with 422', async () => {
    const res = await postSignIn(request.agent(app), 'not-an-email', 'x');
    expect(res.status).toBe(422);
    expect(page(res.text).errorSummaryFields()).toContain('email');
    expect(page(res.text).fieldErrors()).toContain('email');
  });

  it('when a French reader signs in with a wrong password or a malformed address, then the messages are in French and the address is kept', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const agent = request.agent(app);
    await agent.get('/sign-in?lang=fr');
    const wrong = await postSignIn(agent, user.user.email, 'wrong-password-123');
    expect(wrong.status).toBe(401);
    expect(page(wrong.text).texts('.error-summary li')).toEqual(['L’adresse électronique ou le mot de passe n’est pas correct.']);
    expect(page(wrong.text).field('email')).toBe(user.user.email);
    const malformed = await postSignIn(agent, 'pas-une-adresse', 'x');
    expect(malformed.status).toBe(422);
    expect(page(malformed.text).field('email')).toBe('pas-une-adresse');
    expect(page(malformed.text).fieldError('email')).toMatch(/^Saisissez une adresse/);
  });

  it('when the password is wrong too often from one client, then even the right password waits, and the refusal is audited', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const fresh = testApp();
    for (let attempt = 0; attempt < FREE_FAILURES; attempt += 1) {
      await postSignIn(request.agent(fresh), user.user.email, 'wrong-password-123');
    }
    const locked = await postSignIn(request.agent(fresh), user.user.email, user.password);
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBeDefined();
    expect(await AuditEventModel.countDocuments({ type: 'sign-in-locked', subject: user.user.id })).toBe(1);
    expect(await AuditEventModel.countDocuments({ type: 'sign-in-failed', subject: user.user.id })).toBe(FREE_FAILURES);
  });

  it('when 25 wrong passwords arrive at once, then at most five are checked, and the right password right after is refused', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const fresh = testApp();
    const forms = [];
    for (let attempt = 0; attempt < 25; attempt += 1) {
      const agent = request.agent(fresh);
      forms.push({ agent, csrf: csrfTokenIn((await agent.get('/sign-in')).text) });
    }
    const answers = await Promise.all(forms.map(({ agent, csrf }) => agent.post('/sign-in').type('form').send({ email: user.user.email, password: 'wrong-password-123', _csrf: csrf })));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(FREE_FAILURES);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    const right = await postSignIn(request.agent(fresh), user.user.email, user.password);
    expect(right.status).toBe(429);
  });

  it('when an unknown account and a known one fail as often, then their answers are the same', async () => {
    const user = await createTestUser({ role: 'secretariat' });
    const fresh = testApp();
    const answers: Record<string, request.Response[]> = { known: [], unknown: [] };
    for (let attempt = 0; attempt <= FREE_FAILURES; attempt += 1) {
      answers.known!.push(await postSignIn(request.agent(fresh), user.user.email, 'wrong-password-123'));
      answers.unknown!.push(await postSignIn(request.agent(fresh), 'nobody-at-all@test.example', 'wrong-password-123'));
    }
    const shape = (res: request.Response) => ({ status: res.status, retryAfter: res.headers['retry-after'], summary: page(res.text).$('.error-summary').prop('outerHTML') });
    expect(answers.unknown!.map(shape)).toEqual(answers.known!.map(shape));
    expect(answers.known!.at(-1)!.status).toBe(429);
  });

  it('when someone fails to sign in as a user from elsewhere, then the user can still sign in from their own client', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    for (let attempt = 0; attempt < FREE_FAILURES * 2; attempt += 1) {
      await checkPassword(user.user.email, 'wrong-password-123', { ip: '203.0.113.66' }).catch(() => undefined);
    }
    await expect(checkPassword(user.user.email, user.password, { ip: '203.0.113.66' })).rejects.toBeInstanceOf(TooManyRequestsError);
    await expect(checkPassword(user.user.email, user.password, { ip: '198.51.100.7' })).resolves.toMatchObject({ next: 'signed-in' });
  });

  it('when a client keeps failing, then each wait is longer than the one before', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const client = { ip: '203.0.113.77' };
    let now = new Date('2026-06-01T10:00:00Z');
    for (let attempt = 0; attempt < FREE_FAILURES; attempt += 1) {
      await expect(checkPassword(user.user.email, 'wrong-password-123', { ...client, now })).rejects.toBeInstanceOf(UnauthorizedError);
    }
    const waits: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const refused = await checkPassword(user.user.email, 'wrong-password-123', { ...client, now }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(TooManyRequestsError);
      const wait = (refused as TooManyRequestsError).retryAfterSeconds!;
      waits.push(wait);
      now = new Date(now.getTime() + wait * 1000);
      await expect(checkPassword(user.user.email, 'wrong-password-123', { ...client, now })).rejects.toBeInstanceOf(UnauthorizedError);
    }
    expect(waits).toEqual([60, 240, 900]);
    now = new Date(now.getTime() + 900_000);
    await expect(checkPassword(user.user.email, user.password, { ...client, now })).resolves.toMatchObject({ next: 'signed-in' });
  });

  it('when a form is posted without its CSRF token, then it is refused with 403', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const agent = request.agent(app);
    await agent.get('/sign-in');
    const res = await agent.post('/sign-in').type('form').send({ email: user.user.email, password: user.password });
    expect(res.status).toBe(403);
  });

  it('when a focal point gives the right password, then a code is asked before any session is signed in, and a wrong code is refused', async () => {
    const focal = await createTestUser({ role: 'focal-point', states: ['RUS'] });
    const agent = request.agent(app);
    const res = await postSignIn(agent, focal.user.email, focal.password);
    expect(res.headers.location).toBe('/sign-in/code');
    expect((await agent.get('/states/RUS')).text).not.toContain('mailto:');
    const codePage = await agent.get('/sign-in/code');
    const wrong = await agent.post('/sign-in/code').type('form').send({ code: '000000', _csrf: csrfTokenIn(codePage.text) });
    expect(wrong.status).toBe(401);
    const right = await agent.post('/sign-in/code').type('form').send({ code: authenticator.generate(focal.totpSecret!), _csrf: csrfTokenIn(wrong.text) });
    expect(right.status).toBe(303);
    expect(page((await agent.get('/states/RUS')).text).count('a[href^="mailto:"]')).toBeGreaterThan(0);
  });

  it('when a TOTP code has been used, then the same code cannot sign in again', async () => {
    const focal = await createTestUser({ role: 'secretariat' });
    const code = authenticator.generate(focal.totpSecret!);
    for (const expected of [303, 401]) {
      const agent = request.agent(app);
      await postSignIn(agent, focal.user.email, focal.password);
      const codeForm = await agent.get('/sign-in/code');
      const res = await agent.post('/sign-in/code').type('form').send({ code, _csrf: csrfTokenIn(codeForm.text) });
      expect(res.status).toBe(expected);
    }
  });

  it('when a recovery code is used, then it works once', async () => {
    const focal = await createTestUser({ role: 'focal-point', states: ['FRA'] });
    for (const expected of [303, 401]) {
      const agent = request.agent(app);
      await postSignIn(agent, focal.user.email, focal.password);
      const codeForm = await agent.get('/sign-in/code');
      const res = await agent.post('/sign-in/code').type('form').send({ code: focal.recoveryCodes[0], _csrf: csrfTokenIn(codeForm.text) });
      expect(res.status).toBe(expected);
    }
  });

  it('when a focal point without TOTP signs in, then enrolment comes first, and after it the recovery codes are shown once', async () => {
    const focal = await createTestUser({ role: 'focal-point', states: ['FRA'], totp: false });
    const agent = request.agent(app);
    const res = await postSignIn(agent, focal.user.email, focal.password);
    expect(res.headers.location).toBe('/sign-in/enrol');
    const enrol = await agent.get('/sign-in/enrol');
    const enrolment = page(enrol.text);
    expect(enrolment.count('.qr svg')).toBe(1);
    const secret = enrolment.text('[data-testid="totp-secret"]');
    expect(secret).toMatch(/^[A-Z2-7]+$/);
    const done = await agent.post('/sign-in/enrol').type('form').send({ code: authenticator.generate(secret), _csrf: csrfTokenIn(enrol.text) });
    expect(done.status).toBe(200);
    const recoveryCodes = page(done.text).texts('[data-testid="recovery-codes"] > li > code');
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}$/);
    const stored = await UserModel.findById(focal.user.id).lean();
    expect(stored?.totp?.enabled).toBe(true);
    expect(stored?.totp?.recoveryCodeHashes).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toMatch(/"[a-z0-9]{4}-[a-z0-9]{4}"/);
  });

  it('when signing in, then the session id changes at each step (no fixation) and the cookie is HttpOnly and SameSite', async () => {
    const focal = await createTestUser({ role: 'focal-point', states: ['FRA'] });
    const agent = request.agent(app);
    const form = await agent.get('/sign-in');
    expect(String(form.headers['set-cookie'])).not.toMatch(/cad\.sid=/);
    const password = await agent.post('/sign-in').type('form').send({ email: focal.user.email, password: focal.password, _csrf: csrfTokenIn(form.text) });
    const pending = String(password.headers['set-cookie']).match(/cad\.sid=([^;]+)/)?.[1];
    const codePage = await agent.get('/sign-in/code');
    const done = await agent.post('/sign-in/code').type('form').send({ code: authenticator.generate(focal.totpSecret!), _csrf: csrfTokenIn(codePage.text) });
    const cookie = String(done.headers['set-cookie']);
    const signedIn = cookie.match(/cad\.sid=([^;]+)/)?.[1];
    expect(pending).toBeDefined();
    expect(signedIn).toBeDefined();
    expect(signedIn).not.toBe(pending);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('when anonymous visitors read the sign-in page and other public forms, then no session is stored, and signing in stores one', async () => {
    const sessions = () => mongoose.connection.db!.collection('sessions').countDocuments();
    const before = await sessions();
    for (const page of ['/sign-in', '/access/request', '/password/forgot', '/', '/states/FRA']) {
      for (let visit = 0; visit < 20; visit += 1) {
        const res = await request(app).get(page);
        expect(res.status).toBe(200);
        expect(String(res.headers['set-cookie'] ?? '')).not.toMatch(/cad\.sid=/);
      }
    }
    expect(await sessions()).toBe(before);
    await signedInAgent(app, await createTestUser({ role: 'practitioner' }));
    expect(await sessions()).toBe(before + 1);
  });

  it('when a form token comes from another visitor’s page, then the post is refused', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const attacker = request.agent(app);
    const stolen = csrfTokenIn((await attacker.get('/sign-in')).text);
    const victim = request.agent(app);
    await victim.get('/sign-in');
    const res = await victim.post('/sign-in').type('form').send({ email: user.user.email, password: user.password, _csrf: stolen });
    expect(res.status).toBe(403);
  });

  it('when a user signs out everywhere, then every other session of theirs ends too', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const laptop = await signedInAgent(app, user);
    const phone = await signedInAgent(app, user);
    expect((await phone.get('/account')).status).toBe(200);
    const account = await laptop.get('/account');
    await laptop.post('/sign-out-everywhere').type('form').send({ _csrf: csrfTokenIn(account.text) });
    expect((await phone.get('/account')).status).toBe(303);
    expect((await laptop.get('/account')).status).toBe(303);
  });

  it('when returnTo points off the site, then it is ignored', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const agent = request.agent(app);
    const form = await agent.get('/sign-in');
    const res = await agent.post('/sign-in').type('form').send({ email: user.user.email, password: user.password, returnTo: '//evil.example/x', _csrf: csrfTokenIn(form.text) });
    expect(res.headers.location).toBe('/account');
  });
});
