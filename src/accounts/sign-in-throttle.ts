import { createHash } from 'node:crypto';
import { Schema, Types, model } from 'mongoose';
import { repeatInBackground } from '../shared/background';

/**
 * Slows password guessing per account *and* client (OWASP ASVS 2.2.1: a soft lock-out with a
 * growing delay). Throttling by account alone would let anyone lock the secretariat out; by
 * client alone would let a botnet guess one account from many addresses at the per-address rate
 * limit. Unknown e-mail addresses are throttled exactly like known ones, so the answers never
 * tell whether an account exists.
 *
 * Each attempt is an inserted document (an insert is atomic on MongoDB and FerretDB alike, unlike
 * a read-then-write counter), recorded *before* the password is checked: of parallel attempts,
 * the one inserted k-th sees at least k-1 others, so a burst gets at most FREE_FAILURES guesses,
 * and the attempts refused count as failures too.
 */

/** Failures from one client on one account before each further attempt must wait. */
export const FREE_FAILURES = 5;
/** The first wait, doubled after each further failure, up to MAX_DELAY_SECONDS. */
const FIRST_DELAY_SECONDS = 30;
const MAX_DELAY_SECONDS = 15 * 60;
/** Failures older than this are forgotten. */
const MEMORY_HOURS = 24;

interface AttemptDocument {
  _id: Types.ObjectId;
  /** Hash of account and client: neither the e-mail address nor the address is stored in clear. */
  key: string;
  /** Hash of the account alone, to forget its failures when its password is reset. */
  account: string;
  at: Date;
}

const attemptSchema = new Schema<AttemptDocument>(
  {
    key: { type: String, required: true, index: true },
    account: { type: String, required: true, index: true },
    at: { type: Date, required: true, index: true },
  },
  { collection: 'sign_in_attempts', versionKey: false },
);
const SignInAttemptModel = model<AttemptDocument>('SignInAttempt', attemptSchema);

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');
const accountKey = (email: string) => digest(`account:${email.trim().toLowerCase()}`);
const attemptKey = (email: string, client: string) => digest(`attempt:${email.trim().toLowerCase()}\n${client}`);

/** How long a client must wait after `failures` failures, the last one just made. */
export function delayAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(FIRST_DELAY_SECONDS * 2 ** (failures - FREE_FAILURES), MAX_DELAY_SECONDS);
}

export type AttemptTicket =
  /** The attempt may check the password; report the outcome with `succeeded` (or leave it as a failure). */
  | { allowed: true; id: Types.ObjectId; key: string }
  /** Too many recent failures from this client on this account. */
  | { allowed: false; retryAfterSeconds: number; failures: number };

/** Records an attempt before its password is checked, or refuses it while this client must wait. */
export async function beginAttempt(email: string, client: string, now = new Date()): Promise<AttemptTicket> {
  const key = attemptKey(email, client);
  const id = new Types.ObjectId();
  await SignInAttemptModel.create({ _id: id, key, account: accountKey(email), at: now });
  const since = new Date(now.getTime() - MEMORY_HOURS * 3600_000);
  const others = await SignInAttemptModel.find({ key: { $eq: key }, at: { $gt: since }, _id: { $ne: id } }, { at: 1 }).lean<Array<Pick<AttemptDocument, 'at'>>>();
  const latest = Math.max(0, ...others.map((attempt) => attempt.at.getTime()));
  const wait = delayAfter(others.length);
  if (wait > 0 && now.getTime() < latest + wait * 1000) {
    // Kept as a failure: a client that tries before its time waits longer (only that client), counted from now
    return { allowed: false, retryAfterSeconds: delayAfter(others.length + 1), failures: others.length + 1 };
  }
  return { allowed: true, id, key };
}

/** The password was right: this client's failures on this account are forgotten. */
export async function attemptSucceeded(ticket: Extract<AttemptTicket, { allowed: true }>): Promise<void> {
  await SignInAttemptModel.deleteMany({ key: { $eq: ticket.key } });
}

/** A new password: every client's failures on this account are forgotten. */
export async function forgetFailures(email: string): Promise<void> {
  await SignInAttemptModel.deleteMany({ account: { $eq: accountKey(email) } });
}

/** Deletes attempts too old to count (FerretDB has no TTL index); returns how many. */
export async function removeOldAttempts(now = new Date()): Promise<number> {
  const result = await SignInAttemptModel.deleteMany({ at: { $lt: new Date(now.getTime() - MEMORY_HOURS * 3600_000) } });
  return result.deletedCount;
}

/** Runs removeOldAttempts every `intervalMs` without keeping the process alive; returns a stop function. */
export function scheduleAttemptCleanup(intervalMs = 60 * 60 * 1000): () => void {
  return repeatInBackground(intervalMs, 'removing old sign-in attempts', () => removeOldAttempts());
}

export async function ensureSignInAttemptIndexes(): Promise<void> {
  await SignInAttemptModel.createCollection();
  await SignInAttemptModel.createIndexes();
}
