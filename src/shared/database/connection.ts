import mongoose from 'mongoose';
import type { Config } from '../../config';
import { logger } from '../logger';
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
export const DRIVER_OPTIONS = { serverSelectionTimeoutMS: 10_000, writeConcern: { w: 'majority' } } as const satisfies mongoose.ConnectOptions;

/** Connects Mongoose to MONGODB_URI, or to an embedded server under DATA_DIR when none is given. */
export async function connectDatabase(config: Pick<Config, 'MONGODB_URI' | 'DATA_DIR' | 'FERRETDB_BIN'>): Promise<DatabaseHandle> {
  const embedded = config.MONGODB_URI
    ? undefined
    : await startEmbeddedDatabase({ dataDir: config.DATA_DIR, ferretdbBin: config.FERRETDB_BIN });
  const uri = config.MONGODB_URI ?? `${embedded!.uri}directory`;
  mongoose.set('strictQuery', true);
  await mongoose.connect(uri, DRIVER_OPTIONS);
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
