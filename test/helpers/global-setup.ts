import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/shared/database/embedded-database';

declare global {
  // eslint-disable-next-line no-var
  var __EMBEDDED_DATABASE__: { database: EmbeddedDatabase; dir: string } | undefined;
}

/**
 * One database server for the whole run: MONGODB_URI when given (a real MongoDB), otherwise an
 * embedded server on a throw-away directory. Each test file then uses a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = 'test';
  if (process.env.MONGODB_URI) {
    process.env.TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  // /dev/shm, where there is one, keeps the throw-away files in memory without FerretDB's memory mode
  const tmp = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(tmp, 'directory-test-'));
  const database = await startEmbeddedDatabase({ dataDir: dir });
  globalThis.__EMBEDDED_DATABASE__ = { database, dir };
  process.env.TEST_MONGODB_URI = database.uri;
  process.env.TEST_DATABASE_ENGINE = database.engine;
}
