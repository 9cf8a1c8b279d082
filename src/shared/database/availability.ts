import mongoose from 'mongoose';
import { logger } from '../logger';

/**
 * Errors of the MongoDB driver (and Mongoose's wrappers of them) that mean "the database cannot be
 * reached now", as opposed to a bad query. Matched by name because Mongoose re-wraps some of them
 * (MongooseServerSelectionError) and connect-mongo hands the driver's errors through unchanged.
 */
const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
]);

/** Whether `error` (or an error it wraps) says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const name = (current as { name?: unknown }).name;
    if (typeof name === 'string' && UNREACHABLE.has(name)) return true;
    // Mongoose refuses an operation outright while disconnected when commands are not buffered
    const message = (current as { message?: unknown }).message;
    if (name === 'MongooseError' && typeof message === 'string' && /bufferCommands = false|buffering timed out/.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

let unavailableSince: Date | undefined;
let probe: NodeJS.Timeout | undefined;

/** How often the database is pinged while it is down, so recovery is noticed without traffic. */
const PROBE_INTERVAL_MS = 1000;

/** Asks the database for a ping, giving up after `timeoutMs`; true when it answered, and otherwise marked unavailable. */
export async function pingDatabase(timeoutMs = 1000): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db) return false;
  if (mongoose.connection.readyState !== 1) {
    // Connected once and lost: the same news as the connection's 'disconnected' event, which a
    // connection made elsewhere (a test's, a script's) has no listener for
    markDatabaseUnavailable();
    return false;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const answered = await Promise.race([db.admin().command({ ping: 1 }).then(() => true as const), timeout]);
    // No answer in time is an outage for readers too, not for readiness alone: the driver's own
    // verdict (server selection, 1.5 s) comes after readiness has already answered 503, and a page
    // served meanwhile would not say that the directory may be out of date
    if (answered) markDatabaseAvailable();
    else markDatabaseUnavailable();
    return answered;
  } catch (error) {
    if (isDatabaseUnavailable(error)) markDatabaseUnavailable();
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Notes that the database did not answer. Until a ping succeeds again, reads are served from
 * memory without first waiting for it, and writes are refused at once.
 */
export function markDatabaseUnavailable(): void {
  if (unavailableSince) return;
  unavailableSince = new Date();
  logger.warn('database unreachable: reads are served from memory, writes are refused until it answers again');
  probe = setInterval(() => void pingDatabase(), PROBE_INTERVAL_MS);
  probe.unref();
}

export function markDatabaseAvailable(): void {
  if (!unavailableSince) return;
  logger.info({ downForMs: Date.now() - unavailableSince.getTime() }, 'database reachable again');
  unavailableSince = undefined;
  clearInterval(probe);
  probe = undefined;
}

/** When the database was last found unreachable, or undefined while it answers. */
export function databaseUnavailableSince(): Date | undefined {
  return unavailableSince;
}
