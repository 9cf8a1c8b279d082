import { randomBytes } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { logger } from '../logger';

/**
 * `claimOnce(key)` is true for one caller of all those claiming `key` at the same time: an insert
 * with a unique _id, atomic on MongoDB and on FerretDB alike. FerretDB v1 on SQLite can report a
 * compare-and-set `updateOne` (filter on a version or a "not used yet" field) as applied to several
 * concurrent writers, so every "exactly one wins" write claims its key here first.
 *
 * A claim has an owner (this process) and an expiry, so a process that dies holding one blocks
 * nobody for ever: once expired, the claim is taken over by inserting the key's next generation
 * (`<key>#<n+1>`). Takers never delete a claim, because on FerretDB a delete filtered on the old
 * owner could still remove the document a faster taker has just inserted; of several takers the
 * unique insert alone decides. The generation documents are removed by `sweepExpiredClaims` long
 * after they expired.
 */
const onceSchema = new Schema(
  {
    _id: String,
    key: { type: String, required: true },
    generation: { type: Number, required: true },
    owner: { type: String, required: true },
    at: Date,
    expiresAt: { type: Date, required: true },
    /** Given back by its holder: free at once, yet kept (like an expired claim) until the sweep's grace has passed. */
    released: Boolean,
    /** What a crashed holder meant to finish (e.g. the revision of a save), read by the recovery of its kind of key. */
    payload: Schema.Types.Mixed,
  },
  { collection: 'once_claims', minimize: false },
);
onceSchema.index({ key: 1, generation: -1 });
onceSchema.index({ expiresAt: 1 });
const OnceModel = mongoose.model('OnceClaim', onceSchema);

/** This process, as the owner of its claims (several processes may share a host). */
export const PROCESS_OWNER = `${process.pid}-${randomBytes(4).toString('hex')}`;

const leases = { claimMs: 2 * 60_000, sweepGraceMs: 60 * 60_000 };

/**
 * How long a claim holds before another process may take it over (longer than any guarded write
 * takes), and how long after its expiry a claim document is kept (far longer than the moment
 * between a taker's read and its insert). Tests shorten both.
 */
export function configureClaims(options: Partial<typeof leases>): void {
  Object.assign(leases, options);
}

export interface Claim {
  key: string;
  generation: number;
  owner: string;
  expiresAt: Date;
  released?: boolean;
  payload?: Record<string, unknown>;
}

/** Finishes or abandons what an expired claim's holder left half done; registered per key prefix (`authority:`). */
export type ClaimRecovery = (claim: Claim) => Promise<void>;
const recoveries = new Map<string, ClaimRecovery>();

export function registerClaimRecovery(prefix: string, recover: ClaimRecovery): void {
  recoveries.set(prefix, recover);
}

async function recover(claim: Claim): Promise<void> {
  if (!claim.payload) return;
  const entry = [...recoveries.entries()].find(([prefix]) => claim.key.startsWith(prefix));
  if (entry) await entry[1](claim);
}

export interface ClaimOptions {
  /** The claimer's clock: when the claim starts, and what an earlier claim's expiry is compared with. */
  at?: Date;
  /** The claim's lifetime; the configured lease by default. */
  ttlMs?: number;
  payload?: Record<string, unknown>;
  /** Said in the warning when an expired claim of another process is taken over (what was stalled). */
  what?: string;
}

const isDuplicate = (error: unknown) => (error as { code?: unknown }).code === 11000;

async function insertGeneration(key: string, generation: number, options: ClaimOptions): Promise<Claim | undefined> {
  const at = options.at ?? new Date();
  const claim: Claim = { key, generation, owner: PROCESS_OWNER, expiresAt: new Date(at.getTime() + (options.ttlMs ?? leases.claimMs)), ...(options.payload ? { payload: options.payload } : {}) };
  try {
    await OnceModel.create({ _id: `${key}#${generation}`, ...claim, at });
    return claim;
  } catch (error) {
    if (isDuplicate(error)) return undefined;
    throw error;
  }
}

function toClaim(doc: Record<string, unknown>): Claim {
  return { key: doc.key as string, generation: doc.generation as number, owner: doc.owner as string, expiresAt: doc.expiresAt as Date, ...(doc.released ? { released: true } : {}), ...(doc.payload ? { payload: doc.payload as Record<string, unknown> } : {}) };
}

/** The key's latest claim, if any. */
async function latestClaim(key: string): Promise<Claim | undefined> {
  const doc = await OnceModel.findOne({ key: { $eq: key } }).sort({ generation: -1 }).lean();
  return doc ? toClaim(doc as unknown as Record<string, unknown>) : undefined;
}

/** Claims `key` for this process: the claim, or undefined while another holds it (expired claims are taken over). */
export async function takeClaim(key: string, options: ClaimOptions = {}): Promise<Claim | undefined> {
  const first = await insertGeneration(key, 0, options);
  if (first) return first;
  const latest = await latestClaim(key);
  if (!latest) return insertGeneration(key, 0, options);
  if (!latest.released && latest.expiresAt.getTime() > (options.at ?? new Date()).getTime()) return undefined;
  // The holder died or gave the key back: finish or abandon what it left, then the unique insert decides among takers
  await recover(latest);
  const taken = await insertGeneration(key, latest.generation + 1, options);
  if (taken && !latest.released && latest.payload !== undefined) {
    logger.warn({ key, owner: latest.owner, expiredAt: latest.expiresAt }, `an expired claim was taken over${options.what ? `: ${options.what}` : ''}`);
  }
  return taken;
}

export async function claimOnce(key: string, at = new Date(), options: Omit<ClaimOptions, 'at'> = {}): Promise<boolean> {
  return Boolean(await takeClaim(key, { ...options, at }));
}

/**
 * Gives a claim back at once, when the write it guarded did not happen after all (its payload goes
 * with it). Its expiry becomes now, not the past, so the sweep keeps it for the grace period: a
 * taker that read this generation can still only insert the next one.
 */
export async function releaseClaim(claim: Pick<Claim, 'key' | 'generation'>): Promise<void> {
  await OnceModel.updateOne({ _id: { $eq: `${claim.key}#${claim.generation}` } }, { $set: { released: true, expiresAt: new Date() }, $unset: { payload: 1 } });
}

/** Gives back this process's latest claim of `key`. */
export async function releaseOnce(key: string): Promise<void> {
  const latest = await latestClaim(key);
  if (latest && latest.owner === PROCESS_OWNER) await releaseClaim(latest);
}

/** The write a claim guarded is complete: nothing is left to recover from it. */
export async function settleClaim(claim: Pick<Claim, 'key' | 'generation'>): Promise<void> {
  await OnceModel.updateOne({ _id: { $eq: `${claim.key}#${claim.generation}` } }, { $unset: { payload: 1 } });
}

/**
 * Runs a guarded write only if `key` is claimed first; a write that throws or reports that it did
 * not apply (a falsy result) releases the key again, so a later attempt can succeed. A payload is
 * kept with the claim until the caller settles it, for the recovery of its key's kind.
 */
export async function onlyOnce<T>(key: string, write: (claim: Claim) => Promise<T>, options: ClaimOptions = {}): Promise<T | undefined> {
  const claim = await takeClaim(key, options);
  if (!claim) return undefined;
  try {
    const result = await write(claim);
    if (!result) await releaseClaim(claim);
    return result;
  } catch (error) {
    await releaseClaim(claim).catch(() => undefined);
    throw error;
  }
}

/**
 * The periodic clean-up (no TTL index on FerretDB): recovers what expired claims' holders left
 * half done, then removes claims expired for longer than the grace period. Returns how many went.
 */
export async function sweepExpiredClaims(now = new Date()): Promise<number> {
  const pending = await OnceModel.find({ expiresAt: { $lt: now }, payload: { $exists: true, $ne: null } }).limit(500).lean();
  for (const doc of pending) {
    const claim = toClaim(doc as unknown as Record<string, unknown>);
    try {
      await recover(claim);
      await settleClaim(claim);
    } catch (error) {
      logger.error({ err: error, key: claim.key }, 'an expired claim could not be recovered');
    }
  }
  const result = await OnceModel.deleteMany({ expiresAt: { $lt: new Date(now.getTime() - leases.sweepGraceMs) } });
  return result.deletedCount;
}

/** The claims of one key, oldest first (for the recovery of a kind of key, and for tests). */
export async function claimsOf(key: string): Promise<Claim[]> {
  const docs = await OnceModel.find({ key: { $eq: key } }).sort({ generation: 1 }).lean();
  return docs.map((doc) => toClaim(doc as unknown as Record<string, unknown>));
}

export async function ensureOnceCollection(): Promise<void> {
  await OnceModel.createCollection();
  await OnceModel.createIndexes();
}
