import { findUnfinishedJournals } from '../shared/database/journal';
import { sweepExpiredClaims } from '../shared/database/once';
import { logger } from '../shared/logger';
import { settleJournal } from './editing.journal';

/** The periodic settling of writes a crashed process left half done. */

/** The periodic clean-up of crash-safe writes: unfinished imports whose writer's lease ran out, and expired claims. */
export async function recoverUnfinishedWrites(now = new Date()): Promise<{ journals: number; claims: number }> {
  const journals = await findUnfinishedJournals(now);
  for (const id of journals) {
    try {
      await settleJournal(id, now);
    } catch (error) {
      logger.error({ err: error, journal: id }, 'an unfinished import could not be settled');
    }
  }
  return { journals: journals.length, claims: await sweepExpiredClaims(now) };
}

/**
 * Runs `recoverUnfinishedWrites` now and every `intervalMs` (unref'd); returns a stop function.
 * Safe in every instance: each step is decided by a unique insert or guarded by a version claim.
 */
export function startWriteRecovery(options: { intervalMs?: number } = {}): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    recoverUnfinishedWrites()
      .catch((error: unknown) => logger.error({ err: error }, 'recovery of unfinished writes failed'))
      .finally(() => (running = false));
  };
  run();
  const timer = setInterval(run, options.intervalMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
