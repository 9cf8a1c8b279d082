import type { Types } from 'mongoose';
import type { Authority, Resource, State } from './directory.types';

/*
 * The directory's stored documents as the plain typed objects the rest of the code reads: one
 * mapping for every repository that reads these collections (the directory's own, editing's and
 * the console's), so an entry looks the same whoever loaded it.
 */

export type Lean<T> = T & { _id: Types.ObjectId | string; __v?: number };

/** Leaves out the database's own fields and the crash-recovery marks of writes. */
export function stripMongo<T extends object>(doc: Lean<T>): Omit<T, '_id' | '__v'> {
  const { _id, __v, lastRevision, pendingJournal, pendingBefore, ...rest } = doc as Lean<T> & Record<string, unknown>;
  void [_id, __v, lastRevision, pendingJournal, pendingBefore];
  return rest as Omit<T, '_id' | '__v'>;
}

export function toState(doc: Lean<Record<string, unknown>>): State {
  const plain = stripMongo(doc) as unknown as State;
  return {
    ...plain,
    aliases: plain.aliases ?? [],
    parties: plain.parties ?? [],
    version: plain.version ?? 0,
    optional: {
      requirements: plain.optional?.requirements ?? {},
      structuredRequirements: plain.optional?.structuredRequirements,
      laws: plain.optional?.laws ?? [],
      treaties: plain.optional?.treaties ?? [],
      alternativeArrangements: plain.optional?.alternativeArrangements,
      untocLegalBasisForExtradition: plain.optional?.untocLegalBasisForExtradition,
    },
  };
}

export function toAuthority(doc: Lean<Record<string, unknown>>): Authority {
  const plain = stripMongo(doc) as unknown as Omit<Authority, 'id'>;
  return { ...plain, version: plain.version ?? 0, id: String(doc._id) };
}

export function toResource(doc: Lean<Record<string, unknown>>): Resource {
  const plain = stripMongo(doc) as unknown as Omit<Resource, 'id'>;
  return { ...plain, id: String(doc._id) };
}
