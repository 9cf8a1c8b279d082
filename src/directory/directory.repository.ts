import type { AnyBulkWriteOperation, Types } from 'mongoose';
import { committedJournals } from '../shared/database/journal';
import { onlyOnce, type ClaimOptions } from '../shared/database/once';
import { reachWritePoint } from '../shared/database/write-probe';
import { AuthorityModel, ChangeStampModel, DesignationTypeModel, ResourceModel, StateModel } from './directory.models';
import type { Authority, DesignationType, Resource, State } from './directory.types';
import { isObjectId } from '../shared/vocabulary';

/** Data access for the directory: Mongoose in, plain typed objects out. */

const DIRECTORY_STAMP = 'directory';

type Lean<T> = T & { _id: Types.ObjectId | string; __v?: number };

function stripMongo<T extends object>(doc: Lean<T>): Omit<T, '_id' | '__v'> {
  const { _id, __v, lastRevision, pendingJournal, pendingBefore, ...rest } = doc as Lean<T> & Record<string, unknown>;
  void [_id, __v, lastRevision, pendingJournal, pendingBefore];
  return rest as Omit<T, '_id' | '__v'>;
}

/**
 * An entry as readers may see it: an entry written by an import (write journal) that has not
 * committed is shown as it was before that import (its editable fields from `pendingBefore`), or
 * not at all when the import created it; so an import is seen whole or not at all.
 */
function asCommitted(doc: Lean<Record<string, unknown>>, committed: Set<string>): Lean<Record<string, unknown>> | undefined {
  const journal = doc.pendingJournal as string | undefined;
  if (!journal || committed.has(journal)) return doc;
  const before = doc.pendingBefore as Record<string, unknown> | undefined;
  if (!before) return undefined;
  const shown: Record<string, unknown> = { ...doc, ...before };
  // A field the entry did not have before the import is stored as null in `pendingBefore`
  for (const [key, value] of Object.entries(before)) if (value === null) delete shown[key];
  if (typeof shown.updatedAt === 'string') shown.updatedAt = new Date(shown.updatedAt);
  return shown as Lean<Record<string, unknown>>;
}

async function committedView(docs: Array<Lean<Record<string, unknown>>>): Promise<Array<Lean<Record<string, unknown>>>> {
  const journals = [...new Set(docs.map((doc) => doc.pendingJournal as string | undefined).filter((id): id is string => Boolean(id)))];
  const committed = await committedJournals(journals);
  return docs.map((doc) => asCommitted(doc, committed)).filter((doc): doc is Lean<Record<string, unknown>> => doc !== undefined);
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
  const [visibleStates, visibleAuthorities] = [await committedView(states as never), await committedView(authorities as never)];
  return {
    version,
    states: visibleStates.map(toState),
    authorities: visibleAuthorities.map(toAuthority),
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
  if (!isObjectId(id)) return undefined;
  const doc = await AuthorityModel.findById(id).lean();
  return doc ? toAuthority(doc as Lean<Record<string, unknown>>) : undefined;
}

/** A State's authorities as stored now, by English name. */
export async function findAuthoritiesOfState(code: string): Promise<Authority[]> {
  const docs = await AuthorityModel.find({ state: { $eq: code } }).lean();
  return docs.map((doc) => toAuthority(doc as Lean<Record<string, unknown>>)).sort((a, b) => a.name.en.localeCompare(b.name.en));
}

/**
 * How a write is marked for crash recovery: `revision` is the pre-generated id of the revision the
 * write produces (kept on the entry as `lastRevision`), `claim` what its version claim carries for
 * the recovery of a save that died half-way, `journal` the import that makes it and the entry's
 * editable fields before it (readers see those until the import commits).
 */
export interface WriteMark {
  revision?: string;
  claim?: Pick<ClaimOptions, 'payload'>;
  journal?: { id: string; before?: Record<string, unknown> };
}

/** The $set and $unset of a write's marks: an ordinary save also clears the marks of an import decided long ago. */
function markUpdate(mark: WriteMark | undefined): { set: Record<string, unknown>; unset: Record<string, 1> } {
  const set: Record<string, unknown> = {};
  const unset: Record<string, 1> = {};
  if (mark?.revision) set.lastRevision = mark.revision;
  else unset.lastRevision = 1;
  if (mark?.journal) {
    set.pendingJournal = mark.journal.id;
    if (mark.journal.before) set.pendingBefore = mark.journal.before;
    else unset.pendingBefore = 1;
  } else {
    unset.pendingJournal = 1;
    unset.pendingBefore = 1;
  }
  return { set, unset };
}

/** The recovery marks of an entry as stored now (absent: no such entry). */
export interface WriteMarks {
  version: number;
  lastRevision?: string;
  pendingJournal?: string;
}

export async function findWriteMarks(entity: 'authority' | 'state', id: string): Promise<WriteMarks | undefined> {
  if (entity === 'authority' && !isObjectId(id)) return undefined;
  const projection = { version: 1, lastRevision: 1, pendingJournal: 1 };
  const doc = (entity === 'authority' ? await AuthorityModel.findById(id, projection).lean() : await StateModel.findOne({ code: { $eq: id } }, projection).lean()) as Record<string, unknown> | null;
  if (!doc) return undefined;
  return { version: (doc.version as number | undefined) ?? 0, ...(doc.lastRevision ? { lastRevision: doc.lastRevision as string } : {}), ...(doc.pendingJournal ? { pendingJournal: doc.pendingJournal as string } : {}) };
}

/** The claim key of the write that produces `version` of an entry (`@new` for a creation). */
export function versionKey(entity: 'authority' | 'state', id: string, producedVersion: number): string {
  return `${entity}:${id}@${producedVersion === 0 ? 'new' : producedVersion - 1}`;
}

/**
 * Adds an authority to a State; `id` and `version` are given when an earlier removal is undone or
 * when the id was chosen beforehand (an import's journal, a save's claim).
 */
export async function insertAuthority(state: string, fields: AuthorityFields, at: Date, restore?: { id: string; version: number }, mark?: WriteMark): Promise<Authority> {
  const { set } = markUpdate(mark);
  const doc = await AuthorityModel.create({
    ...withoutUndefined(fields),
    ...(restore ? { _id: restore.id, version: restore.version } : { version: 0 }),
    state,
    updatedAt: at,
    sample: false,
    ...set,
  });
  return toAuthority(doc.toObject() as Lean<Record<string, unknown>>);
}

/** Replaces an authority's editable fields if it is still at `version`; undefined when it is not (changed or removed meanwhile). */
export async function updateAuthorityAtVersion(id: string, version: number, fields: AuthorityFields, at: Date, mark?: WriteMark): Promise<Authority | undefined> {
  const { set, unset } = markUpdate(mark);
  for (const key of OPTIONAL_AUTHORITY_FIELDS) if (fields[key] === undefined) unset[key] = 1;
  return onlyOnce(
    versionKey('authority', id, version + 1),
    async () => {
      await reachWritePoint('version:claimed', { key: versionKey('authority', id, version + 1) });
      const result = await AuthorityModel.updateOne(
        { _id: { $eq: id }, ...atVersion(version) },
        { $set: { ...withoutUndefined(fields), updatedAt: at, ...set }, ...(Object.keys(unset).length ? { $unset: unset } : {}), $inc: { version: 1 } },
        { runValidators: true },
      );
      return result.matchedCount === 0 ? undefined : findAuthority(id);
    },
    mark?.claim ?? {},
  );
}

/** Deletes an authority if it is still at `version` (and, for an import's rollback, still marked by it); false when it is not. */
export async function deleteAuthorityAtVersion(id: string, version: number, mark?: WriteMark): Promise<boolean> {
  const deleted = await onlyOnce(
    versionKey('authority', id, version + 1),
    async () => {
      const result = await AuthorityModel.deleteOne({ _id: { $eq: id }, ...atVersion(version), ...(mark?.journal ? { pendingJournal: { $eq: mark.journal.id } } : {}) });
      return result.deletedCount === 1;
    },
    mark?.claim ?? {},
  );
  return deleted === true;
}

/**
 * Undoes an import's write of an authority: back to its fields before the import, its version
 * moving on, only if it is still as the import left it (at `version`, marked by the journal).
 */
export async function restoreAuthorityBeforeJournal(id: string, version: number, journal: string, before: Record<string, unknown>, at: Date): Promise<boolean> {
  // `before` names every editable field, the stamp and the last revision; a null one was absent
  const set: Record<string, unknown> = { updatedAt: at, ...withoutUndefined(withoutNulls(before)) };
  const unset: Record<string, 1> = { pendingJournal: 1, pendingBefore: 1 };
  for (const [key, value] of Object.entries(before)) if (value === null || value === undefined) unset[key] = 1;
  const restored = await onlyOnce(versionKey('authority', id, version + 1), async () => {
    const result = await AuthorityModel.updateOne({ _id: { $eq: id }, ...atVersion(version), pendingJournal: { $eq: journal } }, { $set: set, $unset: unset, $inc: { version: 1 } });
    return result.matchedCount === 1;
  });
  return restored === true;
}

/** Deletes the authorities an import created, those still marked by that import. */
export async function deleteAuthoritiesOfJournal(ids: string[], journal: string): Promise<void> {
  for (let start = 0; start < ids.length; start += BULK_BATCH) {
    await AuthorityModel.deleteMany({ _id: { $in: ids.slice(start, start + BULK_BATCH) }, pendingJournal: { $eq: journal } });
  }
}

function withoutNulls<T>(value: T): T {
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, inner]) => inner !== null)) as T;
}

/**
 * The one guarded write of a State's fields at a version: the version is claimed first (see
 * shared/database/once.ts), so of two concurrent saves at the same version exactly one applies.
 */
async function updateStateAtVersionOnce(code: string, version: number, fields: Record<string, unknown>, mark?: WriteMark | 'keep', extraFilter: Record<string, unknown> = {}): Promise<State | undefined> {
  // The secretariat's record fields are not what an import writes: such a write leaves an import's marks alone
  const { set, unset } = mark === 'keep' ? { set: {}, unset: {} } : markUpdate(mark);
  const claim = mark === 'keep' ? undefined : mark?.claim;
  return onlyOnce(
    versionKey('state', code, version + 1),
    async () => {
      await reachWritePoint('version:claimed', { key: versionKey('state', code, version + 1) });
      const result = await StateModel.updateOne(
        { code: { $eq: code }, ...atVersion(version), ...extraFilter },
        { $set: { ...fields, ...set }, ...(Object.keys(unset).length ? { $unset: unset } : {}), $inc: { version: 1 } },
        { runValidators: true },
      );
      return result.matchedCount === 0 ? undefined : findState(code);
    },
    claim ?? {},
  );
}

/** Sets a State's access setting or optional section if the State is still at `version`; undefined when it is not. */
export async function updateStateAtVersion(code: string, version: number, fields: StateEditableFields, mark?: WriteMark): Promise<State | undefined> {
  return updateStateAtVersionOnce(code, version, withoutUndefined(fields), mark);
}

/** Undoes an import's write of a State's optional section, only if the State is still as the import left it. */
export async function restoreStateBeforeJournal(code: string, version: number, journal: string, fields: StateEditableFields): Promise<boolean> {
  return Boolean(await updateStateAtVersionOnce(code, version, withoutUndefined(fields), undefined, { pendingJournal: { $eq: journal } }));
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
  return updateStateAtVersionOnce(code, version, withoutUndefined(fields), 'keep');
}

/** Adds a designation type to the catalogue; false when the code is taken. */
export async function insertDesignationType(type: DesignationType): Promise<boolean> {
  if (await DesignationTypeModel.exists({ code: { $eq: type.code } })) return false;
  await DesignationTypeModel.create(type);
  return true;
}

/** One resource, or undefined for an unknown or malformed id. */
export async function findResource(id: string): Promise<Resource | undefined> {
  if (!isObjectId(id)) return undefined;
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
  if (!isObjectId(id)) return false;
  const result = await ResourceModel.updateOne({ _id: { $eq: id } }, { $set: withoutUndefined(fields) }, { runValidators: true });
  return result.matchedCount === 1;
}

/** Removes a resource; false when it did not exist. */
export async function deleteResource(id: string): Promise<boolean> {
  if (!isObjectId(id)) return false;
  const result = await ResourceModel.deleteOne({ _id: { $eq: id } });
  return result.deletedCount === 1;
}
