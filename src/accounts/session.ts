import MongoStore from 'connect-mongo';
import session from 'express-session';
import mongoose from 'mongoose';
import type { Config } from '../config';
import type { RequestHandler } from 'express';
import { databaseUnavailableSince, isDatabaseUnavailable, markDatabaseUnavailable } from '../shared/database/availability';
import { ServiceUnavailableError } from '../shared/errors';
import { repeatInBackground } from '../shared/background';
import { hasSessionCookie, SESSION_COOKIE } from '../shared/session-cookie';

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
 * sessions are removed by our own acknowledged deleteMany (scheduleSessionCleanup), not a TTL index
 * (FerretDB has none) and not connect-mongo's interval clean-up, which sends it with `w: 0`:
 * FerretDB v1 answers unacknowledged writes anyway, and the driver then hands that answer, and
 * every later one, to the wrong queries on the connection.
 */
export function sessionMiddleware(config: Pick<Config, 'COOKIE_SECRET' | 'PUBLIC_URL'>): RequestHandler {
  const store = MongoStore.create({
    clientPromise: connectedClient() as never,
    collectionName: SESSION_COLLECTION,
    ttl: SESSION_HOURS * 3600,
    autoRemove: 'disabled',
    touchAfter: 300,
  });
  const sessions = session({
    name: SESSION_COOKIE,
    secret: config.COOKIE_SECRET,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.PUBLIC_URL.startsWith('https:'),
      maxAge: SESSION_HOURS * 3600 * 1000,
    },
  });
  return degradeWhenUnreachable(sessions);
}

/**
 * While the database is unreachable a reader with a session cookie reads anonymously (the public
 * directory is in memory) instead of waiting for the session store, and a write is refused at once.
 */
function degradeWhenUnreachable(sessions: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const reading = req.method === 'GET' || req.method === 'HEAD';
    if (databaseUnavailableSince() && hasSessionCookie(req)) {
      return reading ? next() : next(new ServiceUnavailableError());
    }
    sessions(req, res, (error?: unknown) => {
      if (error && isDatabaseUnavailable(error)) {
        markDatabaseUnavailable();
        return reading ? next() : next(new ServiceUnavailableError());
      }
      next(error as Error | undefined);
    });
  };
}

export async function ensureSessionCollection(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  const existing = await db.listCollections({ name: SESSION_COLLECTION }).toArray();
  if (existing.length === 0) await db.createCollection(SESSION_COLLECTION);
}

/** Deletes expired sessions with an acknowledged write; returns how many. */
export async function removeExpiredSessions(now = new Date()): Promise<number> {
  const db = mongoose.connection.db;
  if (!db) return 0;
  const result = await db.collection(SESSION_COLLECTION).deleteMany({ expires: { $lt: now } });
  return result.deletedCount;
}

/** Runs removeExpiredSessions every `intervalMs` without keeping the process alive; returns a stop function. */
export function scheduleSessionCleanup(intervalMs = 10 * 60 * 1000): () => void {
  return repeatInBackground(intervalMs, 'removing expired sessions', () => removeExpiredSessions());
}
