import type { AnyBulkWriteOperation } from 'mongoose';
import { onlyOnce, type ClaimOptions } from './once';
import { reachWritePoint } from './write-probe';

/*
 * What every repository's writes have in common. A change of an entry is one single-document
 * update guarded by the version the writer started from (FerretDB v1 has no transactions): when the
 * guard does not match, nothing is written and the caller learns that someone else saved first.
 */

/** Drops undefined values, which the driver would otherwise store as null. */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .map(([key, inner]) => [key, withoutUndefined(inner)]),
  ) as T;
}

export function withoutNulls<T>(value: T): T {
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, inner]) => inner !== null)) as T;
}

/** Matches the version an editor started from; documents stored before versions existed count as version 0. */
export function atVersion(version: number): Record<string, unknown> {
  return version === 0 ? { $or: [{ version: { $eq: 0 } }, { version: { $exists: false } }] } : { version: { $eq: version } };
}

/** The claim key of the write that produces `version` of an entry (`@new` for a creation). */
export function versionKey(entity: 'authority' | 'state', id: string, producedVersion: number): string {
  return `${entity}:${id}@${producedVersion === 0 ? 'new' : producedVersion - 1}`;
}

/**
 * The one guarded write of an entry at a version: the version is claimed first (see once.ts), so of
 * two concurrent saves at the same version exactly one applies.
 */
export async function writeAtVersionOnce<T>(entity: 'authority' | 'state', id: string, version: number, write: () => Promise<T>, claim: Pick<ClaimOptions, 'payload'> = {}): Promise<T | undefined> {
  const key = versionKey(entity, id, version + 1);
  return onlyOnce(
    key,
    async () => {
      await reachWritePoint('version:claimed', { key });
      return write();
    },
    claim,
  );
}

/**
 * FerretDB v1 on SQLite stalls on a bulk write of more than about a hundred updates of existing
 * documents; batches of 50 stay fast on it and cost MongoDB nothing.
 */
export const BULK_BATCH = 50;

export async function bulkWriteInBatches(model: { bulkWrite: (ops: never, options?: object) => Promise<unknown> }, operations: AnyBulkWriteOperation[]): Promise<void> {
  for (let start = 0; start < operations.length; start += BULK_BATCH) {
    await model.bulkWrite(operations.slice(start, start + BULK_BATCH) as never, { ordered: true });
  }
}
