import MongoStore from 'connect-mongo';
import session from 'express-session';
import mongoose from 'mongoose';
import type { Config } from '../config';

export const SESSION_COLLECTION = 'sessions';
const SESSION_HOURS = 12;

/** The Mongoose connection's driver client, once connected (the app may be built before). */
function connectedClient(): Promise<ReturnType<typeof mongoose.connection.getClient>> {
  const connection = mongoose.connection;
  if (connection.readyState === 1) return Promise.resolve(connection.getClient());
  return new Promise((resolve) => connection.once('open', () => resolve(connection.getClient())));
}

/**
 * Sessions in the database, so they survive restarts and are shared by every instance. Expired
 * sessions are removed by a periodic deleteMany, not a TTL index (FerretDB has none).
 */
export function sessionMiddleware(config: Pick<Config, 'COOKIE_SECRET' | 'PUBLIC_URL'>) {
  const store = MongoStore.create({
    clientPromise: connectedClient() as never,
    collectionName: SESSION_COLLECTION,
    ttl: SESSION_HOURS * 3600,
    autoRemove: 'interval',
    autoRemoveInterval: 10,
    touchAfter: 300,
  });
  return session({
    name: 'cad.sid',
    secret: config.COOKIE_SECRET,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.PUBLIC_URL.startsWith('https:'),
      maxAge: SESSION_HOURS * 3600 * 1000,
    },
  });
}

export async function ensureSessionCollection(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  const existing = await db.listCollections({ name: SESSION_COLLECTION }).toArray();
  if (existing.length === 0) await db.createCollection(SESSION_COLLECTION);
}
