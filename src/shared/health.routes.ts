import { Router, type RequestHandler } from 'express';
import { pingDatabase } from './database/availability';

/** How long readiness waits for the database's ping: a probe must not hang with it. */
const PING_TIMEOUT_MS = 1000;

/** What readiness asks of the directory's in-memory copy (directory/directory-cache.ts). */
export interface DirectoryReadiness {
  loaded: () => boolean;
  /** Since when the copy is one the database could not confirm; undefined while it is current. */
  staleSince: () => Date | undefined;
  /** Loads the copy, or checks it again. */
  load: () => Promise<unknown>;
}

/**
 * Probes for orchestrators and load balancers. Mounted before sessions and request logging: a
 * probe every few seconds would otherwise touch the session store and flood the log.
 */
export function healthRoutes(directory: DirectoryReadiness): Router {
  const router = Router();

  /** @route GET /healthz — the process is alive and serving (200 even while the database is down: restarting would not help) */
  const alive: RequestHandler = (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  };
  router.get('/healthz', alive);
  /** @route GET /health — the former name of /healthz */
  router.get('/health', alive);

  /** @route GET /readyz — the database answers a ping within a second and the directory is in memory: send traffic here */
  router.get('/readyz', async (_req, res) => {
    const database = await pingDatabase(PING_TIMEOUT_MS);
    // Loads the directory, or checks a stale copy again, now that the database answers
    if (database && (!directory.loaded() || directory.staleSince())) await directory.load().catch(() => undefined);
    const copy = directory.loaded() ? (directory.staleSince() ? 'stale' : 'loaded') : 'not loaded';
    const ready = database && copy === 'loaded';
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? 'ready' : 'unavailable', database: database ? 'ok' : 'unreachable', directory: copy });
  });
  return router;
}
