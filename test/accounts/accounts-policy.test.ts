import { assertNotSelfLockout, assertSecretariat, tokenMayAct } from '../../src/accounts/accounts.policy';
import type { AccountUser } from '../../src/accounts/accounts.types';
import { ForbiddenError, ValidationError } from '../../src/shared/errors';

const user = (overrides: Partial<AccountUser>): AccountUser => ({
  id: 'u1',
  email: 'u1@test.example',
  name: 'U One',
  role: 'practitioner',
  states: [],
  status: 'active',
  language: 'en',
  totpEnabled: false,
  recoveryCodesLeft: 0,
  sessionEpoch: 0,
  createdAt: new Date(),
  sample: false,
  ...overrides,
});

describe('accounts policy', () => {
  it('when someone other than an active secretariat member manages accounts, then it is refused', () => {
    expect(() => assertSecretariat(user({ role: 'secretariat' }))).not.toThrow();
    for (const actor of [undefined, user({ role: 'practitioner' }), user({ role: 'focal-point', states: ['RUS'] }), user({ role: 'secretariat', status: 'disabled' })]) {
      expect(() => assertSecretariat(actor)).toThrow(ForbiddenError);
    }
  });

  it('when a secretariat member changes their own role or status, then it is refused; another user, it is not', () => {
    const me = user({ id: 'me', role: 'secretariat' });
    expect(() => assertNotSelfLockout(me, me, { role: 'focal-point', status: 'active' })).toThrow(ValidationError);
    expect(() => assertNotSelfLockout(me, me, { role: 'secretariat', status: 'disabled' })).toThrow(ValidationError);
    expect(() => assertNotSelfLockout(me, me, { role: 'secretariat', status: 'active' })).not.toThrow();
    expect(() => assertNotSelfLockout(me, user({ id: 'other', role: 'secretariat' }), { role: 'practitioner', status: 'disabled' })).not.toThrow();
  });

  it('when a token is used, then it acts only for an active user who has the second factor their role needs', () => {
    expect(tokenMayAct(user({ role: 'practitioner' }))).toBe(true);
    expect(tokenMayAct(user({ role: 'practitioner', status: 'disabled' }))).toBe(false);
    expect(tokenMayAct(user({ role: 'focal-point', states: ['RUS'], totpEnabled: true }))).toBe(true);
    expect(tokenMayAct(user({ role: 'focal-point', states: ['RUS'], totpEnabled: false }))).toBe(false);
    expect(tokenMayAct(user({ role: 'secretariat', totpEnabled: false }))).toBe(false);
  });
});
