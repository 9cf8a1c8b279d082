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
  const [states, authorities, designations, instruments, resources] = await Promise.all([
    StateModel.find().lean(),
    AuthorityModel.find().lean(),
    DesignationTypeModel.find().sort({ order: 1 }).lean(),
    InstrumentModel.find().sort({ order: 1 }).lean(),
    ResourceModel.find().lean(),
  ]);
  const [visibleStates, visibleAuthorities] = [await committedView(states as never), await committedView(authorities as never)];
  return {
    version,
    states: visibleStates.map(toState),
    authorities: visibleAuthorities.map(toAuthority),
    designations: designations.map((doc) => stripMongo(doc as Lean<DesignationType>) as DesignationType),
    instruments: instruments.map((doc) => stripMongo(doc as Lean<InstrumentRecord>) as InstrumentRecord),
    resources: resources.map((doc) => toResource(doc as Lean<Record<string, unknown>>)),
  };
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
