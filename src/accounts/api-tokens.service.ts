import { Types } from 'mongoose';
import { recordAuditEvent } from '../audit/audit.service';
import { NotFoundError } from '../shared/errors';
import { findUserById } from './accounts.repository';
import { tokenMayAct } from './accounts.policy';
import type { RequestContext } from './accounts.service';
import type { AccountUser } from './accounts.types';
import { ApiTokenModel } from './api-token.model';
import { hashToken, newTokenValue } from './one-time-tokens';

/** Every personal token starts so, which lets secret scanners and people recognise one. */
export const API_TOKEN_PREFIX = 'cad_';
/** lastUsedAt is written at most this often, so a busy client does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt?: Date;
  expiresAt?: Date;
  revokedAt?: Date;
  status: 'active' | 'expired' | 'revoked';
}

interface ApiTokenDocument {
  _id: Types.ObjectId;
  userId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt?: Date | null;
  expiresAt?: Date | null;
  revokedAt?: Date | null;
}

function toApiToken(doc: ApiTokenDocument, now: Date): ApiToken {
  return {
    id: String(doc._id),
    name: doc.name,
    prefix: doc.prefix,
    createdAt: doc.createdAt,
    lastUsedAt: doc.lastUsedAt ?? undefined,
    expiresAt: doc.expiresAt ?? undefined,
    revokedAt: doc.revokedAt ?? undefined,
    status: doc.revokedAt ? 'revoked' : doc.expiresAt && doc.expiresAt <= now ? 'expired' : 'active',
  };
}

/** The user's tokens, newest first, revoked ones included (so the list explains a refused client). */
export async function listApiTokens(user: AccountUser, now = new Date()): Promise<ApiToken[]> {
  const docs = await ApiTokenModel.find({ userId: { $eq: user.id } }).sort({ createdAt: -1 }).limit(100).lean<ApiTokenDocument[]>();
  return docs.map((doc) => toApiToken(doc, now));
}

/** Creates a token for the user; the value is returned this once and only its hash is kept. */
export async function createApiToken(user: AccountUser, input: { name: string; expiresInDays?: number }, context: RequestContext = {}): Promise<{ token: string; apiToken: ApiToken }> {
  const now = context.now ?? new Date();
  const token = `${API_TOKEN_PREFIX}${newTokenValue()}`;
  const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 24 * 3600_000) : null;
  const doc = await ApiTokenModel.create({ userId: user.id, name: input.name, hash: hashToken(token), prefix: token.slice(0, API_TOKEN_PREFIX.length + 6), createdAt: now, expiresAt });
  await recordAuditEvent({ type: 'api-token-created', actorId: user.id, actorEmail: user.email, subject: user.id, ip: context.ip, details: { token: String(doc._id), name: input.name, expiresAt } }, now);
  return { token, apiToken: toApiToken(doc.toObject() as unknown as ApiTokenDocument, now) };
}

/** Revokes one of the user's own tokens; another user's token is simply not found. */
export async function revokeApiToken(user: AccountUser, id: string, context: RequestContext = {}): Promise<void> {
  const now = context.now ?? new Date();
  if (!Types.ObjectId.isValid(id)) throw new NotFoundError('No such token');
  const doc = await ApiTokenModel.findOne({ _id: { $eq: id }, userId: { $eq: user.id } }).lean<ApiTokenDocument>();
  if (!doc) throw new NotFoundError('No such token');
  if (doc.revokedAt) return;
  await ApiTokenModel.updateOne({ _id: doc._id, revokedAt: null }, { $set: { revokedAt: now } });
  await recordAuditEvent({ type: 'api-token-revoked', actorId: user.id, actorEmail: user.email, subject: user.id, ip: context.ip, details: { token: id, name: doc.name } }, now);
}

/**
 * The user a bearer token acts for, or undefined when the token is unknown, revoked or expired, or
 * its user may not act through it (deactivated; a role needing a second factor without one).
 */
export async function userForApiToken(token: string, now = new Date()): Promise<AccountUser | undefined> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 100) return undefined;
  const doc = await ApiTokenModel.findOne({ hash: { $eq: hashToken(token) } }).lean<ApiTokenDocument>();
  if (!doc || doc.revokedAt || (doc.expiresAt && doc.expiresAt <= now)) return undefined;
  const user = await findUserById(doc.userId);
  if (!user || !tokenMayAct(user)) return undefined;
  if (!doc.lastUsedAt || now.getTime() - doc.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await ApiTokenModel.updateOne(
      { _id: doc._id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lte: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }] },
      { $set: { lastUsedAt: now } },
    );
  }
  return user;
}

export async function ensureApiTokenIndexes(): Promise<void> {
  await ApiTokenModel.createCollection();
  await ApiTokenModel.createIndexes();
}
