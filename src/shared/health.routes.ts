import { Router, type RequestHandler } from 'express';
import { currentDirectory, directoryLoaded, directoryStaleSince } from '../directory/directory-cache';
import { pingDatabase } from './database/availability';

/** How long readiness waits for the database's ping: a probe must not hang with it. */
const PING_TIMEOUT_MS = 1000;

/**
 * Probes for orchestrators and load balancers. Mounted before sessions and request logging: a
 * probe every few seconds would otherwise touch the session store and flood the log.
 */
export function healthRoutes(): Router {
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
    if (database && (!directoryLoaded() || directoryStaleSince())) await currentDirectory().catch(() => undefined);
    const directory = directoryLoaded() ? (directoryStaleSince() ? 'stale' : 'loaded') : 'not loaded';
    const ready = database && directory === 'loaded';
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? 'ready' : 'unavailable', database: database ? 'ok' : 'unreachable', directory });
  });
  return router;
}
