import mongoose from 'mongoose';
import request from 'supertest';
import { createApiToken } from '../../src/accounts/api-tokens.service';
import { remindStateNow } from '../../src/reminders/reminders.service';
import { createTestUser, csrfTokenIn } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';

/** The cookies a response sets, as a Cookie header for the next request. */
function cookiesOf(res: request.Response, previous = ''): string {
  const jar = new Map(previous.split('; ').filter(Boolean).map((pair) => pair.split('=') as [string, string]));
  for (const cookie of [res.headers['set-cookie'] ?? []].flat()) {
    const [pair] = cookie.split(';');
    const [name, value] = pair!.split('=');
    jar.set(name!, value!);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** Posts the sign-in form of one instance; returns the answer and the cookies the browser would now hold. */
async function signIn(baseUrl: string, email: string, password: string): Promise<{ status: number; cookies: string }> {
  const form = await request(baseUrl).get('/sign-in');
  const cookies = cookiesOf(form);
  const res = await request(baseUrl).post('/sign-in').set('Cookie', cookies).type('form').send({ email, password, _csrf: csrfTokenIn(form.text) });
  return { status: res.status, cookies: cookiesOf(res, cookies) };
}

/**
 * Two Directory processes on one database, as behind the reverse proxy of docker-compose.yml:
 * whatever one instance learns (a session, failed sign-ins, a change, a queued reminder), the
 * other acts on.
 */
describe('two instances on one database', () => {
  useTestDatabase();
  let smtp: TestSmtp;
  const instances: ServerProcess[] = [];
  const [a, b] = [() => instances[0]!.baseUrl, () => instances[1]!.baseUrl];

  beforeAll(async () => {
    smtp = await startTestSmtp();
    const url = new URL(process.env.TEST_MONGODB_URI!);
    url.pathname = `/${mongoose.connection.name}`;
    const env = {
      NODE_ENV: 'production',
      DIRECTORY_MODE: 'production',
      MONGODB_URI: url.toString(),
      COOKIE_SECRET: 'two-instances-cookie-secret-0123456789',
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'http://directory.test',
      LOG_LEVEL: 'info',
    };
    instances.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await smtp.close();
  });

  it('when a user signs in on one instance, then the other knows the session, and signing out on either ends it', async () => {
    const practitioner = await createTestUser({ role: 'practitioner' });
    const { status, cookies } = await signIn(a(), practitioner.user.email, practitioner.password);
    expect(status).toBe(303);
    expect((await request(b()).get('/account').set('Cookie', cookies)).status).toBe(200);
    const account = await request(b()).get('/account').set('Cookie', cookies);
    const out = await request(b()).post('/sign-out').set('Cookie', cookiesOf(account, cookies)).type('form').send({ _csrf: csrfTokenIn(account.text) });
    expect(out.status).toBe(303);
    expect((await request(a()).get('/account').set('Cookie', cookies)).status).toBe(303);
  });

  it('when passwords fail on one instance, then the other instance makes the same client wait', async () => {
    const practitioner = await createTestUser({ role: 'practitioner' });
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await signIn(a(), practitioner.user.email, 'wrong-password-123')).status).toBe(401);
    expect((await signIn(b(), practitioner.user.email, practitioner.password)).status).toBe(429);
  });

  it('when an authority is changed through one instance while the other is under load, then the other serves the change', async () => {
    const focal = await createTestUser({ role: 'focal-point', states: ['FRA'] });
    const { token } = await createApiToken(focal.user, { name: 'two instances' });
    const france = (await request(b()).get('/api/v1/states/FRA')).body.data;
    const id = france.authorities[0].id as string;
    const read = (await request(a()).get(`/api/v1/authorities/${id}`)).body.data;
    let loading = true;
    const load = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (loading) await request(b()).get('/api/v1/authorities?q=justice');
      }),
    );
    try {
      const saved = await request(a()).put(`/api/v1/authorities/${id}`).set('Authorization', `Bearer ${token}`).send({ ...read, emails: ['seen.on.both@justice.fr.example'] });
      expect(saved.status).toBe(200);
      let emails: string[] = [];
      for (let poll = 0; poll < 100 && !emails.includes('seen.on.both@justice.fr.example'); poll += 1) {
        emails = (await request(b()).get(`/api/v1/authorities/${id}`)).body.data.emails;
        if (!emails.includes('seen.on.both@justice.fr.example')) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(emails).toContain('seen.on.both@justice.fr.example');
      expect((await request(b()).get('/states/FRA')).text).toContain('seen.on.both@justice.fr.example');
    } finally {
      loading = false;
      await load;
    }
  });

  it('when reminders are queued, then the workers of both instances send each exactly once', async () => {
    const secretariat = await createTestUser({ role: 'secretariat' });
    const codes = ['DEU', 'ITA', 'JPN'];
    for (const code of codes) {
      for (let person = 0; person < 2; person += 1) await createTestUser({ role: 'focal-point', states: [code], email: `focal-${person}-${code.toLowerCase()}@reminders.test` });
    }
    for (const code of codes) await remindStateNow(secretariat.user, code);
    const messages = await smtp.waitForMessages(codes.length * 2, 30_000);
    // Two more polls of both workers: nothing is sent twice
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    expect(smtp.messages).toHaveLength(messages.length);
    expect(new Set(smtp.messages.map((message) => message.messageId)).size).toBe(codes.length * 2);
    for (const code of codes) {
      for (let person = 0; person < 2; person += 1) expect(smtp.to(`focal-${person}-${code.toLowerCase()}@reminders.test`)).toHaveLength(1);
    }
  }, 60_000);
});
