import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { invalidateDirectory } from '../../src/directory/directory-cache';
import { seedDirectory } from '../../src/seeding/seed.service';
import { DRIVER_OPTIONS } from '../../src/shared/database/connection';
import { prepareDatabase } from '../../src/setup';
import { watchUnacknowledgedCommands, type UnacknowledgedCommand } from './unacknowledged-writes';

/** Builds a connection string for a database of this test file's own on the run's server. */
function testDatabaseUri(name: string): string {
  const base = process.env.TEST_MONGODB_URI;
  if (!base) throw new Error('TEST_MONGODB_URI is not set: run the tests through Jest (globalSetup starts the database)');
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Gives a test file its own database, seeded with the reference data (and the sample data unless
 * told otherwise), and drops it afterwards. The file fails if anything in it (the app, a job, a
 * library such as the session store) sent a command without asking for an acknowledgement.
 */
export function useTestDatabase(options: { sample?: boolean; seed?: boolean } = {}): void {
  let unacknowledged: UnacknowledgedCommand[] = [];
  beforeAll(async () => {
    const name = `test_${randomBytes(6).toString('hex')}`;
    mongoose.set('strictQuery', true);
    await mongoose.connect(testDatabaseUri(name), { ...DRIVER_OPTIONS, monitorCommands: true });
    unacknowledged = watchUnacknowledgedCommands(mongoose.connection.getClient());
    invalidateDirectory();
    await prepareDatabase();
    // without the sample history, so a test counts only the revisions it makes and reads the sample's dates as written
    if (options.seed !== false) await seedDirectory({ sample: options.sample ?? true, history: false });
  });
  afterAll(async () => {
    await mongoose.connection.dropDatabase();
    await mongoose.disconnect();
    invalidateDirectory();
    expect(unacknowledged).toEqual([]);
  });
}
