import { Types } from 'mongoose';
import type { UnLanguage } from '../directory/directory.types';
import type { Role } from '../shared/viewer';
import type { AccountUser, UserStatus } from './accounts.types';
import { claimOnce, onlyOnce } from '../shared/database/once';
import { UserModel } from './user.model';

/** Data access for users: Mongoose in, AccountUser out; secrets only through the functions named for them. */

interface UserDocument {
  _id: Types.ObjectId;
  email: string;
  name: string;
  institution?: string | null;
  passwordHash?: string | null;
  role: Role;
  states: string[];
  status: UserStatus;
  language: UnLanguage;
  totp?: { secret?: string | null; enabled?: boolean | null; lastStep?: number | null; recoveryCodeHashes?: string[] } | null;
  sessionEpoch: number;
  lastSignInAt?: Date | null;
  createdAt: Date;
  sample: boolean;
}

function toAccountUser(doc: UserDocument): AccountUser {
  return {
    id: String(doc._id),
    email: doc.email,
    name: doc.name,
    institution: doc.institution ?? undefined,
    role: doc.role,
    states: doc.states ?? [],
    status: doc.status,
    language: doc.language,
    totpEnabled: Boolean(doc.totp?.enabled),
    recoveryCodesLeft: doc.totp?.recoveryCodeHashes?.length ?? 0,
    sessionEpoch: doc.sessionEpoch ?? 0,
    lastSignInAt: doc.lastSignInAt ?? undefined,
    createdAt: doc.createdAt,
    sample: Boolean(doc.sample),
  };
}

const validId = (id: string) => Types.ObjectId.isValid(id) && String(new Types.ObjectId(id)) === id;

export async function findUserById(id: string): Promise<AccountUser | undefined> {
  if (!validId(id)) return undefined;
  const doc = await UserModel.findById(id).lean<UserDocument>();
  return doc ? toAccountUser(doc) : undefined;
}

export async function findUserByEmail(email: string): Promise<AccountUser | undefined> {
  const doc = await UserModel.findOne({ email: { $eq: email.trim().toLowerCase() } }).lean<UserDocument>();
  return doc ? toAccountUser(doc) : undefined;
}

/** What sign-in needs and nothing else reads: the password hash. */
export async function findCredentials(email: string): Promise<{ user: AccountUser; passwordHash?: string } | undefined> {
  const doc = await UserModel.findOne({ email: { $eq: email.trim().toLowerCase() } }).lean<UserDocument>();
  if (!doc) return undefined;
  return { user: toAccountUser(doc), passwordHash: doc.passwordHash ?? undefined };
}

export async function findTotpState(id: string): Promise<{ secret?: string; lastStep?: number; recoveryCodeHashes: string[] } | undefined> {
  if (!validId(id)) return undefined;
  const doc = await UserModel.findById(id).lean<UserDocument>();
  if (!doc) return undefined;
  return { secret: doc.totp?.secret ?? undefined, lastStep: doc.totp?.lastStep ?? undefined, recoveryCodeHashes: doc.totp?.recoveryCodeHashes ?? [] };
}

export interface NewUser {
  email: string;
  name: string;
  institution?: string;
  role: Role;
  states: string[];
  language: UnLanguage;
  passwordHash?: string;
  sample?: boolean;
}

export async function insertUser(user: NewUser): Promise<AccountUser> {
  const doc = await UserModel.create({ ...user, email: user.email.trim().toLowerCase() });
  return toAccountUser(doc.toObject() as unknown as UserDocument);
}

export async function recordSignIn(id: string, at: Date): Promise<void> {
  await UserModel.updateOne({ _id: id }, { $set: { lastSignInAt: at } });
}

/**
 * Accepts a TOTP time step only if it is later than the last one accepted: an atomic check-and-set,
 * so the same code cannot sign in twice, even on two instances at once.
 */
export async function claimTotpStep(id: string, step: number): Promise<boolean> {
  // Two requests with the same code at the same moment: only the first claim of the step counts
  if (!(await claimOnce(`totp:${id}:${step}`))) return false;
  const result = await UserModel.updateOne(
    { _id: id, $or: [{ 'totp.lastStep': { $exists: false } }, { 'totp.lastStep': null }, { 'totp.lastStep': { $lt: step } }] },
    { $set: { 'totp.lastStep': step } },
  );
  return result.modifiedCount === 1;
}

/** Removes one recovery code by its hash; false when another request used it first. */
export async function consumeRecoveryCode(id: string, codeHash: string): Promise<boolean> {
  const used = await onlyOnce(`recovery:${id}:${codeHash}`, async () => {
    const result = await UserModel.updateOne({ _id: id, 'totp.recoveryCodeHashes': codeHash }, { $pull: { 'totp.recoveryCodeHashes': codeHash } });
    return result.modifiedCount === 1;
  });
  return used === true;
}

export async function saveTotp(id: string, secret: string, recoveryCodeHashes: string[], step: number): Promise<void> {
  await UserModel.updateOne({ _id: id }, { $set: { totp: { secret, enabled: true, lastStep: step, recoveryCodeHashes } } });
}

export async function setPasswordHash(id: string, passwordHash: string): Promise<void> {
  await UserModel.updateOne({ _id: id }, { $set: { passwordHash } });
}

/** Invalidates every session of the user (sessions carry the epoch they were created under). */
export async function bumpSessionEpoch(id: string): Promise<number> {
  const doc = await UserModel.findOneAndUpdate({ _id: id }, { $inc: { sessionEpoch: 1 } }, { new: true }).lean<UserDocument>();
  return doc?.sessionEpoch ?? 0;
}

/** Users sorted by name, optionally of one role. */
export async function listUsers(filter: { role?: Role } = {}): Promise<AccountUser[]> {
  const query = filter.role ? { role: { $eq: filter.role } } : {};
  const docs = await UserModel.find(query).lean<UserDocument[]>();
  return docs.map(toAccountUser);
}

/** Role, States and status as the secretariat set them. */
export async function updateUserAccess(id: string, access: { role: Role; states: string[]; status: UserStatus }): Promise<void> {
  await UserModel.updateOne({ _id: id }, { $set: { role: access.role, states: access.states, status: access.status } });
}

/** An existing account taking up an invitation: their name, a new password, and the focal-point role. */
export async function updateInvitedUser(id: string, update: { name: string; passwordHash: string; role: Role; states: string[] }): Promise<void> {
  await UserModel.updateOne({ _id: id }, { $set: update });
}

/** Disables every active account created as a demonstration (sample) account; returns how many. */
export async function disableSampleUsers(): Promise<number> {
  const result = await UserModel.updateMany({ sample: true, status: 'active' }, { $set: { status: 'disabled' }, $inc: { sessionEpoch: 1 } });
  return result.modifiedCount;
}

export async function ensureUserIndexes(): Promise<void> {
  await UserModel.createCollection();
  await UserModel.createIndexes();
}
