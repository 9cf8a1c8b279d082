import { randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';
import request from 'supertest';
import type { RequestListener } from 'node:http';
import type { Express } from 'express';
import { insertUser, saveTotp } from '../../src/accounts/accounts.repository';
import type { AccountUser } from '../../src/accounts/accounts.types';
import { hashPassword } from '../../src/accounts/password';
import { currentTotpStep, hashRecoveryCode } from '../../src/accounts/totp';
import type { Role } from '../../src/shared/viewer';
import { page } from './html';

export interface TestUser {
  user: AccountUser;
  password: string;
  /** TOTP secret when two-step sign-in is set up. */
  totpSecret?: string;
  recoveryCodes: string[];
}

/** Creates a user directly in the database; focal points and the secretariat get TOTP unless told otherwise. */
export async function createTestUser(options: { role: Role; states?: string[]; totp?: boolean; email?: string }): Promise<TestUser> {
  const password = `test-password-${randomBytes(4).toString('hex')}`;
  const email = options.email ?? `${options.role}-${randomBytes(4).toString('hex')}@test.example`;
  const user = await insertUser({ email, name: `Test ${options.role}`, role: options.role, states: options.states ?? [], language: 'en', passwordHash: await hashPassword(password) });
  const wantsTotp = options.totp ?? options.role !== 'practitioner';
  if (!wantsTotp) return { user, password, recoveryCodes: [] };
  const totpSecret = authenticator.generateSecret(20);
  const recoveryCodes = ['abcd-efgh', 'jkmn-pqrs'];
  // An older step than now, so the current code is accepted at the first sign-in
  await saveTotp(user.id, totpSecret, recoveryCodes.map(hashRecoveryCode), currentTotpStep() - 5);
  return { user: { ...user, totpEnabled: true, recoveryCodesLeft: recoveryCodes.length }, password, totpSecret, recoveryCodes };
}

/** The hidden CSRF token of the first form in a page. */
export function csrfTokenIn(html: string): string {
  return page(html).csrfToken();
}

/** Signs in through the real forms (password, then TOTP code) and returns the agent holding the session. */
export async function signedInAgent(app: Express | RequestListener, testUser: TestUser): Promise<request.Agent> {
  const agent = request.agent(app);
  const form = await agent.get('/sign-in');
  const res = await agent.post('/sign-in').type('form').send({ email: testUser.user.email, password: testUser.password, _csrf: csrfTokenIn(form.text) });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  if (res.headers.location === '/sign-in/code') {
    const codePage = await agent.get('/sign-in/code');
    const done = await agent
      .post('/sign-in/code')
      .type('form')
      .send({ code: authenticator.generate(testUser.totpSecret!), _csrf: csrfTokenIn(codePage.text) });
    if (done.status !== 303) throw new Error(`second factor answered ${done.status}`);
  }
  return agent;
}
