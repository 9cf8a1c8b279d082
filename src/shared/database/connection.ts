import mongoose from 'mongoose';
import type { Config } from '../../config';
import { logger } from '../logger';
import { isDatabaseUnavailable, markDatabaseUnavailable } from './availability';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';

export interface DatabaseHandle {
  uri: string;
  engine: 'external' | EmbeddedDatabase['engine'];
  close(): Promise<void>;
}

/**
 * Driver options every connection of the Directory uses. Writes are acknowledged by default
 * (`w: 'majority'`, which a single server counts as itself): FerretDB v1 answers an unacknowledged
 * (`w: 0`) write anyway, and the driver then gives that stray answer to the next query on the
 * connection, mixing replies between requests. test/helpers/database.ts fails a test file that
 * sends any command with `w: 0`.
 */
export const DRIVER_OPTIONS = {
  // An unreachable database fails an operation within 1.5 s (a 503 page or JSON error) instead of
  // queueing it: Mongoose's buffering made every request hang for 10 s and more during an outage.
  serverSelectionTimeoutMS: 1500,
  bufferCommands: false,
  writeConcern: { w: 'majority' },
} as const satisfies mongoose.ConnectOptions;

/** Waits between start-up attempts to reach MONGODB_URI: doubling from 1 s, at most 30 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), 30_000);
}

/** Where a connection string points, without user, password or options, for log lines. */
export function describeUri(uri: string): string {
  try {
    const url = new URL(uri);
    return `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(unparsable)';
  }
}

async function connectWithRetry(uri: string, setting: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await mongoose.connect(uri, DRIVER_OPTIONS);
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const delay = retryDelayMs(attempt);
      logger.warn(`database at ${setting} (${describeUri(uri)}) does not answer (attempt ${attempt}); retrying in ${Math.round(delay / 1000)} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Connects Mongoose to MONGODB_URI, or to an embedded server under DATA_DIR when none is given. */
export async function connectDatabase(config: Pick<Config, 'MONGODB_URI' | 'DATA_DIR' | 'FERRETDB_BIN'>): Promise<DatabaseHandle> {
  const embedded = config.MONGODB_URI
    ? undefined
    : await startEmbeddedDatabase({ dataDir: config.DATA_DIR, ferretdbBin: config.FERRETDB_BIN, supervise: true });
  const uri = config.MONGODB_URI ?? `${embedded!.uri}directory`;
  mongoose.set('strictQuery', true);
  await connectWithRetry(uri, config.MONGODB_URI ? 'MONGODB_URI' : 'the embedded database');
  // The driver reconnects by itself; readiness and the directory's freshness follow its state.
  mongoose.connection.on('disconnected', markDatabaseUnavailable);
  logger.info({ engine: embedded?.engine ?? 'external' }, 'database connected');
  return {
    uri,
    engine: embedded?.engine ?? 'external',
    close: async () => {
      await mongoose.disconnect();
      await embedded?.stop();
    },
  };
}
