import type { Express } from 'express';
import request from 'supertest';
import { ApiTokenModel } from '../../src/accounts/api-token.model';
import { createApiToken } from '../../src/accounts/api-tokens.service';
import { UserModel } from '../../src/accounts/user.model';
import { AuditEventModel } from '../../src/audit/audit.model';
import { testApp } from '../helpers/app';
import { createTestUser, csrfTokenIn, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { submitForm } from './account-test-helpers';

describe('personal API tokens', () => {
  useTestDatabase();
  let app: Express;
  beforeAll(() => {
    app = testApp();
  });

  const restrictedRus = (token?: string) => {
    const req = request(app).get('/api/v1/states/RUS');
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  it('when a practitioner creates a token on the account page, then it is shown once, works as a Bearer token with their access, and is audited', async () => {
    const practitioner = await createTestUser({ role: 'practitioner' });
    const agent = await signedInAgent(app, practitioner);
    const created = await submitForm(agent, '/account', '/account/api-tokens', { name: 'Case system', expiresInDays: '90' });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const token = page(created.text).text('[data-testid="api-token"]');
    expect(token).toMatch(/^cad_[A-Za-z0-9_-]{43}$/);

    const stored = await ApiTokenModel.findOne({ userId: practitioner.user.id }).lean();
    expect(stored?.name).toBe('Case system');
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored?.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 89 * 24 * 3600_000);

    const anonymous = await restrictedRus();
    expect(anonymous.body.data.detailsRestricted).toBe(true);
    const withToken = await restrictedRus(token);
    expect(withToken.status).toBe(200);
    expect(withToken.body.data.detailsRestricted).toBe(false);
    expect(JSON.stringify(withToken.body)).toContain('@');
    expect((await ApiTokenModel.findById(stored!._id).lean())?.lastUsedAt).toBeInstanceOf(Date);

    const account = await agent.get('/account');
    expect(account.text).toContain('Case system');
    expect(account.text).toContain(token.slice(0, 10));
    expect(account.text).not.toContain(token);
    expect(await AuditEventModel.countDocuments({ type: 'api-token-created', subject: practitioner.user.id })).toBe(1);
  });

  it('when a token is revoked, then requests with it are refused with 401 JSON', async () => {
    const practitioner = await createTestUser({ role: 'practitioner' });
    const agent = await signedInAgent(app, practitioner);
    const created = await submitForm(agent, '/account', '/account/api-tokens', { name: 'Soon revoked', expiresInDays: '' });
    const token = page(created.text).text('[data-testid="api-token"]');
    expect((await restrictedRus(token)).status).toBe(200);
    const stored = await ApiTokenModel.findOne({ userId: practitioner.user.id }).lean();
    expect(stored?.expiresAt).toBeNull();

    const account = await agent.get('/account');
    const revoked = await agent.post(`/account/api-tokens/${String(stored!._id)}/revoke`).type('form').send({ _csrf: csrfTokenIn(account.text) });
    expect(revoked.status).toBe(303);
    const refused = await restrictedRus(token);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('Bearer');
    expect(refused.body.error.code).toBe('invalid_token');
    expect(await AuditEventModel.countDocuments({ type: 'api-token-revoked', subject: practitioner.user.id })).toBe(1);
  });

  it("when another user tries to revoke someone's token, then it is not found and the token keeps working", async () => {
    const owner = await createTestUser({ role: 'practitioner' });
    const { token, apiToken } = await createApiToken(owner.user, { name: 'Mine' });
    const other = await signedInAgent(app, await createTestUser({ role: 'practitioner' }));
    const res = await submitForm(other, '/account', `/account/api-tokens/${apiToken.id}/revoke`, {});
    expect(res.status).toBe(404);
    expect((await restrictedRus(token)).status).toBe(200);
  });

  it("when a user is deactivated, then their token stops working", async () => {
    const practitioner = await createTestUser({ role: 'practitioner' });
    const { token } = await createApiToken(practitioner.user, { name: 'Script' });
    expect((await restrictedRus(token)).status).toBe(200);
    await UserModel.updateOne({ _id: practitioner.user.id }, { $set: { status: 'disabled' } });
    expect((await restrictedRus(token)).status).toBe(401);
  });

  it('when a token has expired, or is unknown or malformed, then the answer is 401', async () => {
    const practitioner = await createTestUser({ role: 'practitioner' });
    const { token } = await createApiToken(practitioner.user, { name: 'Short-lived', expiresInDays: 30 }, { now: new Date(Date.now() - 31 * 24 * 3600_000) });
    expect((await restrictedRus(token)).status).toBe(401);
    expect((await restrictedRus('cad_' + 'A'.repeat(43))).status).toBe(401);
    expect((await request(app).get('/api/v1/states/RUS').set('Authorization', 'Basic dXNlcjpwYXNz')).status).toBe(401);
  });

  it('when a focal point uses a token, then it sees only what their session would: their own restricted State, not others, and nothing without a second factor', async () => {
    const focal = await createTestUser({ role: 'focal-point', states: ['CHN'] });
    const { token } = await createApiToken(focal.user, { name: 'Focal script' });
    const own = await request(app).get('/api/v1/states/CHN').set('Authorization', `Bearer ${token}`);
    expect(own.body.data.detailsRestricted).toBe(false);
    expect((await restrictedRus(token)).body.data.detailsRestricted).toBe(true);

    const withoutTotp = await createTestUser({ role: 'focal-point', states: ['RUS'], totp: false });
    const second = await createApiToken(withoutTotp.user, { name: 'No second factor' });
    expect((await restrictedRus(second.token)).status).toBe(401);
  });

  it('when the token form is empty, then the account page comes back with 422 and the message at the field', async () => {
    const agent = await signedInAgent(app, await createTestUser({ role: 'practitioner' }));
    const res = await submitForm(agent, '/account', '/account/api-tokens', { name: '', expiresInDays: '7' });
    expect(res.status).toBe(422);
    expect(page(res.text).errorSummaryFields()).toContain('name');
    expect(page(res.text).fieldErrors()).toContain('name');
    expect(page(res.text).errorSummaryFields()).toContain('expiresInDays');
  });
});
