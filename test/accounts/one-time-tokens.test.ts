import { OneTimeTokenModel } from '../../src/accounts/one-time-token.model';
import { consumeToken, hashToken, issueToken, peekToken, removeExpiredTokens } from '../../src/accounts/one-time-tokens';
import { useTestDatabase } from '../helpers/database';

describe('single-use, expiring tokens', () => {
  useTestDatabase({ seed: false });

  it('when a token is issued, then only its SHA-256 hash is stored, with its purpose and expiry', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const { token, expiresAt } = await issueToken({ purpose: 'password-reset', email: 'a@test.example', userId: 'u1', ttlMs: 3600_000, now });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt.toISOString()).toBe('2030-01-01T01:00:00.000Z');
    const stored = await OneTimeTokenModel.findOne({ email: 'a@test.example' }).lean();
    expect(stored?.hash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored?.purpose).toBe('password-reset');
  });

  it('when a token is consumed, then it works once and never again', async () => {
    const { token } = await issueToken({ purpose: 'password-reset', email: 'b@test.example', userId: 'u2', ttlMs: 3600_000 });
    expect(await peekToken(token, ['password-reset'])).toMatchObject({ userId: 'u2' });
    expect(await consumeToken(token, ['password-reset'])).toMatchObject({ userId: 'u2', email: 'b@test.example' });
    expect(await consumeToken(token, ['password-reset'])).toBeUndefined();
    expect(await peekToken(token, ['password-reset'])).toBeUndefined();
  });

  it('when two requests consume the same token at once, then exactly one of them gets it', async () => {
    const { token } = await issueToken({ purpose: 'invitation', email: 'c@test.example', subject: 'inv', ttlMs: 3600_000 });
    const results = await Promise.all(Array.from({ length: 5 }, () => consumeToken(token, ['invitation'])));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('when a token has expired, or is used for another purpose, then it is refused', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const { token } = await issueToken({ purpose: 'password-reset', email: 'd@test.example', ttlMs: 3600_000, now });
    expect(await consumeToken(token, ['invitation'], now)).toBeUndefined();
    expect(await consumeToken(token, ['password-reset'], new Date('2030-01-01T01:00:01Z'))).toBeUndefined();
    expect(await consumeToken(token, ['password-reset'], new Date('2030-01-01T00:59:00Z'))).toBeDefined();
  });

  it('when the clean-up runs, then expired tokens are removed and current ones kept', async () => {
    const now = new Date('2031-06-01T00:00:00Z');
    await issueToken({ purpose: 'password-reset', email: 'old@test.example', ttlMs: 1000, now: new Date('2031-05-01T00:00:00Z') });
    await issueToken({ purpose: 'password-reset', email: 'new@test.example', ttlMs: 3600_000, now });
    expect(await removeExpiredTokens(now)).toBeGreaterThanOrEqual(1);
    expect(await OneTimeTokenModel.countDocuments({ email: 'old@test.example' })).toBe(0);
    expect(await OneTimeTokenModel.countDocuments({ email: 'new@test.example' })).toBe(1);
  });

  it('when a token has the wrong shape, then it is refused without a lookup', async () => {
    expect(await consumeToken('not a token', ['password-reset'])).toBeUndefined();
    expect(await peekToken('x'.repeat(500), ['password-reset'])).toBeUndefined();
  });
});
