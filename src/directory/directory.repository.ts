import type { AnyBulkWriteOperation, Types } from 'mongoose';
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
  return { ...plain, id: String(doc._id) };
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
