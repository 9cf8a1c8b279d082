import mongoose from 'mongoose';
import type { Config } from '../../config';
import { logger } from '../logger';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';

export interface DatabaseHandle {
  uri: string;
  engine: 'external' | EmbeddedDatabase['engine'];
  close(): Promise<void>;
}

/** Connects Mongoose to MONGODB_URI, or to an embedded server under DATA_DIR when none is given. */
export async function connectDatabase(config: Pick<Config, 'MONGODB_URI' | 'DATA_DIR' | 'FERRETDB_BIN'>): Promise<DatabaseHandle> {
  const embedded = config.MONGODB_URI
    ? undefined
    : await startEmbeddedDatabase({ dataDir: config.DATA_DIR, ferretdbBin: config.FERRETDB_BIN });
  const uri = config.MONGODB_URI ?? `${embedded!.uri}directory`;
  mongoose.set('strictQuery', true);
  await mongoose.connect(uri, { serverSelectionTimeoutMS: 10_000 });
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
