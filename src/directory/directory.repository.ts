import type { AnyBulkWriteOperation, Types } from 'mongoose';
import { onlyOnce } from '../shared/database/once';
import { AuthorityModel, ChangeStampModel, DesignationTypeModel, ResourceModel, StateModel } from './directory.models';
import type { Authority, DesignationType, Resource, State } from './directory.types';

/** Data access for the directory: Mongoose in, plain typed objects out. */

const DIRECTORY_STAMP = 'directory';

type Lean<T> = T & { _id: Types.ObjectId | string; __v?: number };

function stripMongo<T extends object>(doc: Lean<T>): Omit<T, '_id' | '__v'> {
  const { _id, __v, ...rest } = doc as Lean<T> & Record<string, unknown>;
  void _id;
  void __v;
  return rest as Omit<T, '_id' | '__v'>;
}

function toState(doc: Lean<Record<string, unknown>>): State {
  const plain = stripMongo(doc) as unknown as State;
  return {
    ...plain,
    aliases: plain.aliases ?? [],
    parties: plain.parties ?? [],
    version: plain.version ?? 0,
    optional: {
      requirements: plain.optional?.requirements ?? {},
      laws: plain.optional?.laws ?? [],
      treaties: plain.optional?.treaties ?? [],
      alternativeArrangements: plain.optional?.alternativeArrangements,
      untocLegalBasisForExtradition: plain.optional?.untocLegalBasisForExtradition,
    },
  };
}

function toAuthority(doc: Lean<Record<string, unknown>>): Authority {
  const plain = stripMongo(doc) as unknown as Omit<Authority, 'id'>;
  return { ...plain, version: plain.version ?? 0, id: String(doc._id) };
}

function toResource(doc: Lean<Record<string, unknown>>): Resource {
  const plain = stripMongo(doc) as unknown as Omit<Resource, 'id'>;
  return { ...plain, id: String(doc._id) };
}

/**
 * FerretDB v1 on SQLite stalls on a bulk write of more than about a hundred updates of existing
 * documents; batches of 50 stay fast on it and cost MongoDB nothing.
 */
const BULK_BATCH = 50;

async function bulkWriteInBatches(model: { bulkWrite: (ops: never, options?: object) => Promise<unknown> }, operations: AnyBulkWriteOperation[]): Promise<void> {
  for (let start = 0; start < operations.length; start += BULK_BATCH) {
    await model.bulkWrite(operations.slice(start, start + BULK_BATCH) as never, { ordered: true });
  }
}

export interface DirectoryData {
  version: number;
  states: State[];
  authorities: Authority[];
  designations: DesignationType[];
  resources: Resource[];
}

/** The change counter of the directory's data; every write raises it. */
export async function readVersion(): Promise<number> {
  const stamp = await ChangeStampModel.findById(DIRECTORY_STAMP).lean();
  return stamp?.version ?? 0;
}

/** Tells every app instance that the directory changed, so they rebuild their caches. */
export async function bumpVersion(): Promise<number> {
  const stamp = await ChangeStampModel.findOneAndUpdate(
    { _id: DIRECTORY_STAMP },
    { $inc: { version: 1 } },
    { upsert: true, new: true },
  ).lean();
  return stamp?.version ?? 0;
}

/** Loads the whole directory: a few hundred States and their authorities fit in memory with ease. */
export async function loadDirectory(): Promise<DirectoryData> {
  const version = await readVersion();
  const [states, authorities, designations, resources] = await Promise.all([
    StateModel.find().lean(),
    AuthorityModel.find().lean(),
    DesignationTypeModel.find().sort({ order: 1 }).lean(),
    ResourceModel.find().lean(),
  ]);
  return {
    version,
    states: states.map((doc) => toState(doc as Lean<Record<string, unknown>>)),
    authorities: authorities.map((doc) => toAuthority(doc as Lean<Record<string, unknown>>)),
    designations: designations.map((doc) => stripMongo(doc as Lean<DesignationType>) as DesignationType),
    resources: resources.map((doc) => toResource(doc as Lean<Record<string, unknown>>)),
  };
}

/** Inserts or replaces States by code, keeping fields the seed does not carry (access, stamps, optional section). */
export async function upsertStates(states: Array<Pick<State, 'code' | 'kind' | 'names' | 'region' | 'aliases'> & Partial<State>>): Promise<void> {
  if (states.length === 0) return;
  const operations: AnyBulkWriteOperation[] = states.map((state) => ({
    updateOne: { filter: { code: { $eq: state.code } }, update: { $set: state }, upsert: true },
  }));
  await bulkWriteInBatches(StateModel, operations);
}

export async function upsertDesignationTypes(types: DesignationType[]): Promise<void> {
  if (types.length === 0) return;
  await bulkWriteInBatches(
    DesignationTypeModel,
    types.map((type) => ({ updateOne: { filter: { code: { $eq: type.code } }, update: { $set: type }, upsert: true } })),
  );
}

export async function upsertResources(resources: Array<Omit<Resource, 'id'>>): Promise<void> {
  if (resources.length === 0) return;
  await bulkWriteInBatches(
    ResourceModel,
    resources.map((resource) => ({ updateOne: { filter: { url: { $eq: resource.url } }, update: { $set: resource }, upsert: true } })),
  );
}

/** Replaces every sample authority of the given States; real (non-sample) entries are never touched. */
export async function replaceSampleAuthorities(authorities: Array<Omit<Authority, 'id'>>): Promise<void> {
  await AuthorityModel.deleteMany({ sample: true });
  // insertMany validates every document, so sample data obeys the same rules as real data
  await AuthorityModel.insertMany(authorities.map((authority) => ({ ...authority, sample: true })));
}

export async function countStates(): Promise<number> {
  return StateModel.countDocuments();
}

/**
 * Creates the collections and their indexes, one at a time, before any write. Mongoose's automatic
 * creation runs concurrently with the first writes, which FerretDB's SQLite backend can deadlock on.
 */
export async function ensureIndexes(): Promise<void> {
  for (const model of [StateModel, AuthorityModel, DesignationTypeModel, ResourceModel, ChangeStampModel] as const) {
    await (model as typeof StateModel).createCollection();
    await (model as typeof StateModel).createIndexes();
  }
}

/*
 * Writes for the editing component. Each change is one single-document update guarded by the
 * version the editor started from (FerretDB v1 has no transactions): when the guard does not
 * match, nothing is written and the caller learns that someone else saved first.
 */

/** The fields of an authority an editor may change; the State, stamps and sample flag are not among them. */
export type AuthorityFields = Omit<Authority, 'id' | 'state' | 'updatedAt' | 'sample' | 'version'>;

/** The fields of a State an editor may change, besides the stamps. */
export type StateEditableFields = Partial<Pick<State, 'access' | 'optional'>>;

const OPTIONAL_AUTHORITY_FIELDS = ['website', 'officeHours', 'contact247', 'notes'] as const;

/** Drops undefined values, which the driver would otherwise store as null. */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .map(([key, inner]) => [key, withoutUndefined(inner)]),
  ) as T;
}

/** Matches the version an editor started from; documents stored before versions existed count as version 0. */
function atVersion(version: number): Record<string, unknown> {
  return version === 0 ? { $or: [{ version: { $eq: 0 } }, { version: { $exists: false } }] } : { version: { $eq: version } };
}

/** One State as stored now (not the cached copy), for someone about to change it. */
export async function findState(code: string): Promise<State | undefined> {
  const doc = await StateModel.findOne({ code: { $eq: code } }).lean();
  return doc ? toState(doc as Lean<Record<string, unknown>>) : undefined;
}

/** One authority as stored now, or undefined for an unknown or malformed id. */
export async function findAuthority(id: string): Promise<Authority | undefined> {
  if (!/^[a-f0-9]{24}$/.test(id)) return undefined;
  const doc = await AuthorityModel.findById(id).lean();
  return doc ? toAuthority(doc as Lean<Record<string, unknown>>) : undefined;
}

/** A State's authorities as stored now, by English name. */
export async function findAuthoritiesOfState(code: string): Promise<Authority[]> {
  const docs = await AuthorityModel.find({ state: { $eq: code } }).lean();
  return docs.map((doc) => toAuthority(doc as Lean<Record<string, unknown>>)).sort((a, b) => a.name.en.localeCompare(b.name.en));
}

/** Adds an authority to a State; `id` and `version` are given only when an earlier removal is undone. */
export async function insertAuthority(state: string, fields: AuthorityFields, at: Date, restore?: { id: string; version: number }): Promise<Authority> {
  const doc = await AuthorityModel.create({
    ...withoutUndefined(fields),
    ...(restore ? { _id: restore.id, version: restore.version } : { version: 0 }),
    state,
    updatedAt: at,
    sample: false,
  });
  return toAuthority(doc.toObject() as Lean<Record<string, unknown>>);
}

/** Replaces an authority's editable fields if it is still at `version`; undefined when it is not (changed or removed meanwhile). */
export async function updateAuthorityAtVersion(id: string, version: number, fields: AuthorityFields, at: Date): Promise<Authority | undefined> {
  const unset = Object.fromEntries(OPTIONAL_AUTHORITY_FIELDS.filter((key) => fields[key] === undefined).map((key) => [key, 1]));
  return onlyOnce(`authority:${id}@${version}`, async () => {
    const result = await AuthorityModel.updateOne(
      { _id: { $eq: id }, ...atVersion(version) },
      { $set: { ...withoutUndefined(fields), updatedAt: at }, ...(Object.keys(unset).length ? { $unset: unset } : {}), $inc: { version: 1 } },
      { runValidators: true },
    );
    return result.matchedCount === 0 ? undefined : findAuthority(id);
  });
}

/** Deletes an authority if it is still at `version`; false when it is not. */
export async function deleteAuthorityAtVersion(id: string, version: number): Promise<boolean> {
  const deleted = await onlyOnce(`authority:${id}@${version}`, async () => {
    const result = await AuthorityModel.deleteOne({ _id: { $eq: id }, ...atVersion(version) });
    return result.deletedCount === 1;
  });
  return deleted === true;
}

/**
 * The one guarded write of a State's fields at a version: the version is claimed first (see
 * shared/database/once.ts), so of two concurrent saves at the same version exactly one applies.
 */
async function updateStateAtVersionOnce(code: string, version: number, set: Record<string, unknown>): Promise<State | undefined> {
  return onlyOnce(`state:${code}@${version}`, async () => {
    const result = await StateModel.updateOne({ code: { $eq: code }, ...atVersion(version) }, { $set: set, $inc: { version: 1 } }, { runValidators: true });
    return result.matchedCount === 0 ? undefined : findState(code);
  });
}

/** Sets a State's access setting or optional section if the State is still at `version`; undefined when it is not. */
export async function updateStateAtVersion(code: string, version: number, fields: StateEditableFields): Promise<State | undefined> {
  return updateStateAtVersionOnce(code, version, withoutUndefined(fields));
}

/** Sets a State's last-updated or last-confirmed stamp; not a change of its fields, so its version stays. */
export async function stampState(code: string, stamps: Partial<Pick<State, 'lastUpdatedAt' | 'lastConfirmedAt'>>): Promise<void> {
  await StateModel.updateOne({ code: { $eq: code } }, { $set: withoutUndefined(stamps) });
}

/*
 * Writes for the secretariat's console (src/console): States' reference records, the designation
 * catalogue and the resources list. Callers bump the version and invalidate the cache afterwards.
 */

/** The fields of a State the secretariat manages: who the participant is, its party records and secondary contacts. */
export type StateRecordFields = Pick<State, 'kind' | 'names' | 'region' | 'aliases' | 'parties'> & { secondaryContacts: NonNullable<State['secondaryContacts']> };

/** Adds a participant; false when a State with that code exists already. */
export async function insertState(code: string, fields: StateRecordFields): Promise<boolean> {
  if (await StateModel.exists({ code: { $eq: code } })) return false;
  await StateModel.create({ ...withoutUndefined(fields), code, access: 'public', sample: false, version: 0 });
  return true;
}

/** Replaces a State's record fields if it is still at `version`; undefined when it is not (changed meanwhile). */
export async function updateStateRecordAtVersion(code: string, version: number, fields: StateRecordFields): Promise<State | undefined> {
  return updateStateAtVersionOnce(code, version, withoutUndefined(fields));
}

/** Adds a designation type to the catalogue; false when the code is taken. */
export async function insertDesignationType(type: DesignationType): Promise<boolean> {
  if (await DesignationTypeModel.exists({ code: { $eq: type.code } })) return false;
  await DesignationTypeModel.create(type);
  return true;
}

/** One resource, or undefined for an unknown or malformed id. */
export async function findResource(id: string): Promise<Resource | undefined> {
  if (!/^[a-f0-9]{24}$/.test(id)) return undefined;
  const doc = await ResourceModel.findById(id).lean();
  return doc ? toResource(doc as Lean<Record<string, unknown>>) : undefined;
}

/** Whether another resource than `exceptId` already links to `url` (the list holds each address once). */
export async function resourceUrlTaken(url: string, exceptId?: string): Promise<boolean> {
  const doc = await ResourceModel.findOne({ url: { $eq: url } }).lean();
  return Boolean(doc && String(doc._id) !== exceptId);
}

export async function insertResource(fields: Omit<Resource, 'id'>): Promise<Resource> {
  const doc = await ResourceModel.create(withoutUndefined(fields));
  return toResource(doc.toObject() as Lean<Record<string, unknown>>);
}

/** Replaces a resource's fields; false when it no longer exists. */
export async function updateResource(id: string, fields: Omit<Resource, 'id'>): Promise<boolean> {
  if (!/^[a-f0-9]{24}$/.test(id)) return false;
  const result = await ResourceModel.updateOne({ _id: { $eq: id } }, { $set: withoutUndefined(fields) }, { runValidators: true });
  return result.matchedCount === 1;
}

/** Removes a resource; false when it did not exist. */
export async function deleteResource(id: string): Promise<boolean> {
  if (!/^[a-f0-9]{24}$/.test(id)) return false;
  const result = await ResourceModel.deleteOne({ _id: { $eq: id } });
  return result.deletedCount === 1;
}
