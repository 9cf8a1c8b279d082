import mongoose from 'mongoose';
import { removeExpiredSessions, sessionMiddleware, SESSION_COLLECTION } from '../../src/accounts/session';
import { useTestDatabase } from '../helpers/database';
import { watchUnacknowledgedCommands } from '../helpers/unacknowledged-writes';

describe('unacknowledged writes', () => {
  useTestDatabase({ seed: false });

  it('when a command is sent with w: 0, then the watcher records it (so the guard on every test file can fail)', async () => {
    const client = new mongoose.mongo.MongoClient(process.env.TEST_MONGODB_URI!, { monitorCommands: true });
    const seen = watchUnacknowledgedCommands(client);
    try {
      await client.db(mongoose.connection.name).collection('probe').deleteMany({ nothing: true }, { writeConcern: { w: 0 } });
    } finally {
      await client.close();
    }
    expect(seen).toEqual([{ commandName: 'delete', collection: 'probe' }]);
  });

  it('when the session store has run longer than any clean-up interval, then it sent no unacknowledged command', async () => {
    const seen = watchUnacknowledgedCommands(mongoose.connection.getClient());
    const intervals = jest.spyOn(global, 'setInterval');
    try {
      sessionMiddleware({ COOKIE_SECRET: 'test-cookie-secret-0123456789', PUBLIC_URL: 'http://localhost' });
      // Let the store open its collection, then run every timer it set, as ten minutes would
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const call of intervals.mock.calls) (call[0] as () => void)();
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      intervals.mockRestore();
    }
    expect(seen).toEqual([]);
  });

  it('when sessions have expired, then the clean-up removes them with an acknowledged write and keeps the live ones', async () => {
    const sessions = mongoose.connection.db!.collection<{ _id: string; expires: Date; session: string }>(SESSION_COLLECTION);
    const now = new Date('2026-06-01T12:00:00Z');
    await sessions.insertMany([
      { _id: 'expired', expires: new Date('2026-06-01T11:59:00Z'), session: '{}' },
      { _id: 'live', expires: new Date('2026-06-01T12:30:00Z'), session: '{}' },
    ]);
    const seen = watchUnacknowledgedCommands(mongoose.connection.getClient());
    expect(await removeExpiredSessions(now)).toBe(1);
    expect(await sessions.find({}).map((doc) => doc._id).toArray()).toEqual(['live']);
    expect(seen).toEqual([]);
  });
});
