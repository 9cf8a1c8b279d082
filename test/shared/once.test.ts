import { findState, updateStateAtVersion } from '../../src/directory/directory.repository';
import { claimOnce, onlyOnce } from '../../src/shared/database/once';
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
});
