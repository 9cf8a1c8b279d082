import request from 'supertest';
import { AuditEventModel } from '../../src/audit/audit.model';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createTestUser, csrfTokenIn } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';

const production = { NODE_ENV: 'production' as const, COOKIE_SECRET: 'test-cookie-secret-0123456789', PUBLIC_URL: 'http://localhost' };

async function failSignIn(app: ReturnType<typeof createApp>, email: string, forwardedFor: string) {
  const agent = request.agent(app);
  const form = await agent.get('/sign-in');
  return agent.post('/sign-in').set('X-Forwarded-For', forwardedFor).type('form').send({ email, password: 'wrong-password-123', _csrf: csrfTokenIn(form.text) });
}

describe('which clients may name the address a request comes from', () => {
  useTestDatabase({ sample: false });

  it('when TRUST_PROXY is not set, then production trusts no X-Forwarded-For', () => {
    expect(loadConfig({ ...production, SMTP_URL: 'smtp://127.0.0.1:25' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ ...production, SMTP_URL: 'smtp://127.0.0.1:25', TRUST_PROXY: 'loopback' }).TRUST_PROXY).toBe('loopback');
    expect(loadConfig({ ...production, SMTP_URL: 'smtp://127.0.0.1:25', TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(() => loadConfig({ ...production, SMTP_URL: 'smtp://127.0.0.1:25', TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });

  it('when proxies are not trusted, then a forged X-Forwarded-For neither changes the recorded address nor resets the per-address limit', async () => {
    const app = createApp(production);
    const user = await createTestUser({ role: 'practitioner' });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 31; attempt += 1) {
      statuses.push((await failSignIn(app, `nobody-${attempt}@test.example`, `198.51.100.${attempt + 1}`)).status);
    }
    // 30 sign-in posts per address per 15 minutes, whatever the header says
    expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    await failSignIn(createApp(production), user.user.email, '203.0.113.5');
    const event = await AuditEventModel.findOne({ type: 'sign-in-failed', subject: user.user.id }).lean();
    expect(event?.ip).not.toBe('203.0.113.5');
  });

  it('when the proxy in front is trusted by address, then the address it forwards is the one recorded', async () => {
    const app = createApp({ ...production, TRUST_PROXY: 'loopback' });
    const user = await createTestUser({ role: 'practitioner' });
    await failSignIn(app, user.user.email, '203.0.113.9');
    const event = await AuditEventModel.findOne({ type: 'sign-in-failed', subject: user.user.id }).lean();
    expect(event?.ip).toBe('203.0.113.9');
  });
});
