import { randomUUID } from 'node:crypto';
import { isValidObjectId } from 'mongoose';
import { committedJournals } from '../shared/database/journal';
import { stripMongo, toAuthority, toResource, toState, type Lean } from './directory.documents';
import { AuthorityModel, ChangeStampModel, DesignationTypeModel, InstrumentModel, ResourceModel, StateModel } from './directory.models';
import type { Authority, DesignationType, InstrumentRecord, Resource, State } from './directory.types';

/**
 * Data access for the directory's reads: the whole directory for the in-memory snapshot, and the
 * version stamp every write raises. The writes live with the components that make them (editing,
 * console, seeding).
 */

const DIRECTORY_STAMP = 'directory';

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

export interface DirectoryData {
  version: number;
  states: State[];
  authorities: Authority[];
  designations: DesignationType[];
  instruments: InstrumentRecord[];
  resources: Resource[];
}

/**
 * What a write of the directory changed, told with the version it raises: the authorities it wrote
 * (by id), or `whole` when that is not known (the seed, or a write outside the app). States and the
 * catalogue are few and re-read whole by every patch, so only authorities are named.
 */
export type DirectoryChange = { authorities: string[] } | { whole: true };

/** How many versions' changes the stamp keeps: an instance further behind reloads the whole directory. */
const CHANGES_KEPT = 64;

export interface DirectoryStamp {
  version: number;
  /** Chosen when the stamp is first written: another one means another database (dropped, replaced), whose versions say nothing of this one's. */
  epoch: string;
  /** The newest version stored whole (`snapshot.repository.ts`), if any. */
  stored?: number;
  /**
   * The authorities written since `version`, when every version after it is known to have changed
   * authorities alone by id; undefined when the whole directory must be read again.
   */
  authoritiesChangedSince(version: number): string[] | undefined;
}

type StoredChange = { authorities?: unknown; whole?: unknown } | null;

/** The change counter of the directory's data (every write raises it), with what its last versions changed. */
export async function readStamp(): Promise<DirectoryStamp> {
  const stamp = await ChangeStampModel.findById(DIRECTORY_STAMP).lean();
  const version = stamp?.version ?? 0;
  // recent[last] is what `version` changed, recent[last - 1] what `version - 1` changed, and so on
  const recent = (stamp?.recent ?? []) as StoredChange[];
  return {
    version,
    epoch: stamp?.epoch ?? '',
    ...(typeof stamp?.stored === 'number' ? { stored: stamp.stored } : {}),
    authoritiesChangedSince(since) {
      if (since >= version) return [];
      const count = version - since;
      if (count > recent.length) return undefined;
      const ids = new Set<string>();
      for (const change of recent.slice(-count)) {
        if (!change || change.whole || !Array.isArray(change.authorities)) return undefined;
        for (const id of change.authorities) ids.add(String(id));
      }
      return [...ids];
    },
  };
}

/** The change counter of the directory's data; every write raises it. */
export async function readVersion(): Promise<number> {
  return (await readStamp()).version;
}

/**
 * Tells every app instance that the directory changed, so they patch or rebuild their caches. The
 * version and what it changed are written in one update, so no crash can leave a version told
 * without its change; the oldest changes are then trimmed.
 */
export async function bumpVersion(change: DirectoryChange = { whole: true }): Promise<number> {
  const stamp = await ChangeStampModel.findOneAndUpdate(
    { _id: DIRECTORY_STAMP },
    { $inc: { version: 1 }, $push: { recent: change }, $setOnInsert: { epoch: randomUUID() } },
    { upsert: true, new: true },
  ).lean();
  if ((stamp?.recent?.length ?? 0) > CHANGES_KEPT) {
    // Only while still too long, so that two writers trimming at once do not both trim
    await ChangeStampModel.updateOne({ _id: DIRECTORY_STAMP, [`recent.${CHANGES_KEPT}`]: { $exists: true } }, { $pop: { recent: -1 } });
  }
  return stamp?.version ?? 0;
}

/** Records that `version` is stored whole, unless a newer one is already. */
export async function markStoredVersion(version: number): Promise<void> {
  await ChangeStampModel.updateOne({ _id: DIRECTORY_STAMP }, { $max: { stored: version } });
}

/** The States and the catalogue: a few hundred entries, read whole by every load and every patch. */
type ReferenceData = Omit<DirectoryData, 'version' | 'authorities'>;

async function loadReferenceData(): Promise<ReferenceData> {
  const [states, designations, instruments, resources] = await Promise.all([
    StateModel.find().lean(),
    DesignationTypeModel.find().sort({ order: 1 }).lean(),
    InstrumentModel.find().sort({ order: 1 }).lean(),
    ResourceModel.find().lean(),
  ]);
  return {
    states: (await committedView(states as never)).map(toState),
    designations: designations.map((doc) => stripMongo(doc as Lean<DesignationType>) as DesignationType),
    instruments: instruments.map((doc) => stripMongo(doc as Lean<InstrumentRecord>) as InstrumentRecord),
    resources: resources.map((doc) => toResource(doc as Lean<Record<string, unknown>>)),
  };
}

/** Loads the whole directory: a few hundred States and their authorities fit in memory with ease. */
export async function loadDirectory(): Promise<DirectoryData> {
  const version = await readVersion();
  const [reference, authorities] = await Promise.all([loadReferenceData(), AuthorityModel.find().lean()]);
  return { version, ...reference, authorities: (await committedView(authorities as never)).map(toAuthority) };
}

/**
 * The most authorities a patch reads, each by its id: the one lookup every MongoDB-wire database
 * answers without decoding the whole collection (FerretDB's SQLite backend decodes every document
 * for an `$in`, and takes seconds for 20,000; a lookup by id, under a second).
 */
export const PATCH_MAX_AUTHORITIES = 16;

/**
 * What the directory holds now of these authorities (as readers may see them; undefined for one
 * removed or not yet committed) and of its States and catalogue, read after the stamp was.
 */
export async function loadChangedEntries(ids: readonly string[]): Promise<ReferenceData & { authorities: Map<string, Authority | undefined> }> {
  const [reference, docs] = await Promise.all([
    loadReferenceData(),
    Promise.all(ids.map((id) => (isValidObjectId(id) ? AuthorityModel.findById(id).lean() : null))),
  ]);
  const visible = await committedView(docs.filter((doc) => doc !== null) as never);
  const authorities = new Map<string, Authority | undefined>(ids.map((id) => [id, undefined]));
  for (const doc of visible) authorities.set(String(doc._id), toAuthority(doc));
  return { ...reference, authorities };
}

/**
 * Creates the collections and their indexes, one at a time, before any write. Mongoose's automatic
 * creation runs concurrently with the first writes, which FerretDB's SQLite backend can deadlock on.
 */
export async function ensureIndexes(): Promise<void> {
  for (const model of [StateModel, AuthorityModel, DesignationTypeModel, InstrumentModel, ResourceModel, ChangeStampModel] as const) {
    await (model as typeof StateModel).createCollection();
    await (model as typeof StateModel).createIndexes();
  }
}
