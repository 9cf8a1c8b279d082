import mongoose, { Schema } from 'mongoose';

/**
 * `claimOnce(key)` is true for the first caller ever to claim `key` and false for every other: an
 * insert with a unique _id, atomic on MongoDB and on FerretDB alike. FerretDB v1 on SQLite can
 * report a compare-and-set `updateOne` (filter on a version or a "not used yet" field) as applied
 * to several concurrent writers, so every "exactly one wins" write claims its key here first.
 */
const onceSchema = new Schema({ _id: String, at: Date }, { collection: 'once_claims' });
const OnceModel = mongoose.model('OnceClaim', onceSchema);

export async function claimOnce(key: string, at = new Date()): Promise<boolean> {
  try {
    await OnceModel.create({ _id: key, at });
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 11000) return false;
    throw error;
  }
}

/** Gives a key back, when the write it guarded did not happen after all. */
export async function releaseOnce(key: string): Promise<void> {
  await OnceModel.deleteOne({ _id: { $eq: key } });
}

/**
 * Runs a guarded write only if `key` is claimed first; a write that throws or reports that it did
 * not apply (a falsy result) releases the key again, so a later attempt can succeed.
 */
export async function onlyOnce<T>(key: string, write: () => Promise<T>): Promise<T | undefined> {
  if (!(await claimOnce(key))) return undefined;
  try {
    const result = await write();
    if (!result) await releaseOnce(key);
    return result;
  } catch (error) {
    await releaseOnce(key);
    throw error;
  }
}

export async function ensureOnceCollection(): Promise<void> {
  await OnceModel.createCollection();
}
