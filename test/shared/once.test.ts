import { findState, updateStateAtVersion } from '../../src/editing/editing.repository';
import { claimOnce, claimsOf, onlyOnce, sweepExpiredClaims } from '../../src/shared/database/once';
import { useTestDatabase } from '../helpers/database';

describe('exactly-once writes under concurrency', () => {
  useTestDatabase();

  it('when many callers claim the same key at once, then exactly one gets it', async () => {
    for (let round = 0; round < 20; round += 1) {
      const results = await Promise.all([0, 1, 2, 3].map(() => claimOnce(`race:${round}`)));
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });

  it('when a guarded write reports that it did not apply, then its key is released for a later attempt', async () => {
    expect(await onlyOnce('retry-me', async () => false)).toBe(false);
    expect(await onlyOnce('retry-me', async () => true)).toBe(true);
    expect(await onlyOnce('retry-me', async () => true)).toBeUndefined();
  });

  it('when several editors save the same State at the same version at the same moment, then exactly one save applies', async () => {
    for (let round = 0; round < 5; round += 1) {
      const before = (await findState('FRA'))!;
      const saves = await Promise.all(
        ['public', 'restricted', 'public', 'restricted'].map((access) => updateStateAtVersion('FRA', before.version, { access: access as 'public' | 'restricted' })),
      );
      expect(saves.filter(Boolean)).toHaveLength(1);
      expect((await findState('FRA'))!.version).toBe(before.version + 1);
    }
  });

  it('when the holder of a claim died and the claim expired, then exactly one of several takers gets it, and nobody before the expiry', async () => {
    for (let round = 0; round < 10; round += 1) {
      const key = `expired:${round}`;
      const past = new Date(Date.now() - 60_000);
      expect(await claimOnce(key, past, { ttlMs: 1_000 })).toBe(true);
      const results = await Promise.all([0, 1, 2, 3].map(() => claimOnce(key)));
      expect(results.filter(Boolean)).toHaveLength(1);
      // the new holder's claim is live: no one takes it now
      expect(await claimOnce(key)).toBe(false);
      expect((await claimsOf(key)).map((claim) => claim.generation)).toEqual([0, 1]);
    }
  });

  it('when the sweep runs, then it removes claims expired past the grace period and leaves live ones', async () => {
    expect(await claimOnce('swept', new Date(Date.now() - 3 * 60 * 60_000), { ttlMs: 1_000 })).toBe(true);
    expect(await claimOnce('live')).toBe(true);
    await sweepExpiredClaims();
    expect(await claimsOf('swept')).toEqual([]);
    expect(await claimsOf('live')).toHaveLength(1);
    expect(await claimOnce('live')).toBe(false);
  });
});
