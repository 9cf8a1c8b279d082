import { createHash, randomBytes } from 'node:crypto';
import { onlyOnce } from '../shared/database/once';
import { OneTimeTokenModel, type TokenPurpose } from './one-time-token.model';
import { repeatInBackground } from '../shared/background';

export type { TokenPurpose } from './one-time-token.model';

/** What a token stands for; the token itself is never stored. */
export interface TokenRecord {
  purpose: TokenPurpose;
  email: string;
  userId?: string;
  subject?: string;
  createdAt: Date;
  expiresAt: Date;
}

type TokenDocument = Omit<TokenRecord, 'userId' | 'subject'> & { userId?: string | null; subject?: string | null };

/** SHA-256 suffices: the token is 256 random bits, so there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** 32 random bytes, base64url: safe in a URL path and in an e-mail line. */
export function newTokenValue(): string {
  return randomBytes(32).toString('base64url');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function toRecord(doc: TokenDocument): TokenRecord {
  return { purpose: doc.purpose, email: doc.email, userId: doc.userId ?? undefined, subject: doc.subject ?? undefined, createdAt: doc.createdAt, expiresAt: doc.expiresAt };
}

/** Creates a single-use token valid for `ttlMs`; returns the value to send, once. */
export async function issueToken(input: { purpose: TokenPurpose; email: string; userId?: string; subject?: string; ttlMs: number; now?: Date }): Promise<{ token: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  const token = newTokenValue();
  const expiresAt = new Date(now.getTime() + input.ttlMs);
  await OneTimeTokenModel.create({ hash: hashToken(token), purpose: input.purpose, email: input.email, userId: input.userId, subject: input.subject, createdAt: now, expiresAt, usedAt: null });
  return { token, expiresAt };
}

function usableQuery(token: string, purposes: readonly TokenPurpose[], now: Date) {
  return { hash: { $eq: hashToken(token) }, purpose: { $in: [...purposes] }, usedAt: null, expiresAt: { $gt: now } };
}

/** The token's record if it is unused and unexpired, without using it (to show the form it opens). */
export async function peekToken(token: string, purposes: readonly TokenPurpose[], now = new Date()): Promise<TokenRecord | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const doc = await OneTimeTokenModel.findOne(usableQuery(token, purposes, now)).lean<TokenDocument>();
  return doc ? toRecord(doc) : undefined;
}

/**
 * Uses the token: one atomic conditional update, so of two requests racing with the same token
 * exactly one gets the record and the other gets undefined, as for an expired or unknown token.
 */
export async function consumeToken(token: string, purposes: readonly TokenPurpose[], now = new Date()): Promise<TokenRecord | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const used = await onlyOnce(`token:${hashToken(token)}`, async () => {
    const result = await OneTimeTokenModel.updateOne(usableQuery(token, purposes, now), { $set: { usedAt: now } });
    return result.modifiedCount === 1;
  });
  if (!used) return undefined;
  const doc = await OneTimeTokenModel.findOne({ hash: { $eq: hashToken(token) } }).lean<TokenDocument>();
  return doc ? toRecord(doc) : undefined;
}

/** Marks a user's outstanding tokens of these purposes as used (e.g. other reset links once a password is set). */
export async function revokeUserTokens(userId: string, purposes: readonly TokenPurpose[], now = new Date()): Promise<void> {
  await OneTimeTokenModel.updateMany({ userId: { $eq: userId }, purpose: { $in: [...purposes] }, usedAt: null }, { $set: { usedAt: now } });
}

/** Deletes expired tokens, used or not (FerretDB has no TTL index); returns how many. */
export async function removeExpiredTokens(now = new Date()): Promise<number> {
  const result = await OneTimeTokenModel.deleteMany({ expiresAt: { $lte: now } });
  return result.deletedCount ?? 0;
}

/** Runs removeExpiredTokens every `intervalMs` without keeping the process alive; returns a stop function. */
export function scheduleTokenCleanup(intervalMs = 60 * 60 * 1000): () => void {
  return repeatInBackground(intervalMs, 'removing expired tokens', () => removeExpiredTokens());
}

export async function ensureTokenIndexes(): Promise<void> {
  await OneTimeTokenModel.createCollection();
  await OneTimeTokenModel.createIndexes();
}
