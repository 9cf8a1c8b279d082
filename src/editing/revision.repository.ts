import type { Types } from 'mongoose';
import type { Role } from '../shared/viewer';
import { RevisionModel } from './revision.model';
import { BULK_BATCH } from '../shared/database/writes';
import { isObjectId } from '../shared/vocabulary';

/** Data access for revisions: Mongoose in, plain objects out. */

export const REVISION_ACTIONS = ['create', 'update', 'remove', 'restore', 'confirm'] as const;
export type RevisionAction = (typeof REVISION_ACTIONS)[number];
export type RevisionEntity = 'authority' | 'state';
export type Snapshot = Record<string, unknown>;

export interface Revision {
  id: string;
  entity: RevisionEntity;
  /** The authority's id, or the State's code. */
  entityId: string;
  /** The State the change was made for (the secretariat acts for it too). */
  state: string;
  actor: { id: string; email?: string; role: Role };
  at: Date;
  action: RevisionAction;
  /** Paths of the fields that changed, e.g. `emails`, `name.en`, `requirements.mla.text`. */
  fields: string[];
  before: Snapshot | null;
  after: Snapshot | null;
  /** The entity's version after the change. */
  version: number;
  restoredFrom?: string;
}

export type NewRevision = Omit<Revision, 'id'>;

interface RevisionDocument {
  _id: Types.ObjectId;
  entity: string;
  entityId: string;
  state: string;
  actorId: string;
  actorEmail?: string | null;
  actorRole: string;
  at: Date;
  action: string;
  fields: string[];
  before?: unknown;
  after?: unknown;
  version: number;
  restoredFrom?: string | null;
}

function toRevision(doc: RevisionDocument): Revision {
  return {
    id: String(doc._id),
    entity: doc.entity as RevisionEntity,
    entityId: doc.entityId,
    state: doc.state,
    actor: { id: doc.actorId, ...(doc.actorEmail ? { email: doc.actorEmail } : {}), role: doc.actorRole as Role },
    at: doc.at,
    action: doc.action as RevisionAction,
    fields: doc.fields ?? [],
    before: (doc.before as Snapshot | null | undefined) ?? null,
    after: (doc.after as Snapshot | null | undefined) ?? null,
    version: doc.version,
    ...(doc.restoredFrom ? { restoredFrom: doc.restoredFrom } : {}),
  };
}

/**
 * Records a revision; `id` is given when it was chosen before the change was written (a claim's or
 * a journal's record of it), and recording it again, after a crash, leaves the first one alone.
 */
export async function insertRevision(revision: NewRevision, id?: string): Promise<Revision> {
  const { actor, ...rest } = revision;
  try {
    const doc = await RevisionModel.create({ ...rest, ...(id ? { _id: id } : {}), actorId: actor.id, actorEmail: actor.email, actorRole: actor.role });
    return toRevision(doc.toObject() as unknown as RevisionDocument);
  } catch (error) {
    if (!id || (error as { code?: unknown }).code !== 11000) throw error;
    const doc = await RevisionModel.findById(id).lean();
    return toRevision(doc as unknown as RevisionDocument);
  }
}

/** Replaces every revision made by `actorId` with these: the sample history, written again at each seeding. */
export async function replaceRevisionsOfActor(actorId: string, revisions: NewRevision[]): Promise<void> {
  await RevisionModel.deleteMany({ actorId: { $eq: actorId } });
  const docs = revisions.map(({ actor, ...rest }) => ({ ...rest, actorId: actor.id, actorEmail: actor.email, actorRole: actor.role }));
  for (let start = 0; start < docs.length; start += BULK_BATCH) await RevisionModel.insertMany(docs.slice(start, start + BULK_BATCH));
}

export async function revisionExists(id: string): Promise<boolean> {
  return Boolean(await RevisionModel.exists({ _id: { $eq: id } }));
}

/** A State's revisions, newest first. */
export async function findRevisionsOfState(state: string, limit: number): Promise<Revision[]> {
  const docs = await RevisionModel.find({ state: { $eq: state } }).sort({ at: -1, _id: -1 }).limit(limit).lean();
  return (docs as unknown as RevisionDocument[]).map(toRevision);
}

/** The latest revisions of the given States (every State when none are given), newest first, made after `after` when given. */
export async function findRecentRevisions(query: { states?: string[]; after?: Date; limit: number }): Promise<Revision[]> {
  const filter: Record<string, unknown> = {};
  if (query.states) filter.state = { $in: query.states };
  if (query.after) filter.at = { $gt: query.after };
  const docs = await RevisionModel.find(filter).sort({ at: -1, _id: -1 }).limit(query.limit).lean();
  return (docs as unknown as RevisionDocument[]).map(toRevision);
}

/** When each State's access setting was last made public: changes from before then were made while its details may have been restricted. */
export async function findLatestOpenings(states?: string[]): Promise<Map<string, Date>> {
  const filter: Record<string, unknown> = { entity: { $eq: 'state' }, fields: { $eq: 'access' } };
  if (states) filter.state = { $in: states };
  const docs = (await RevisionModel.find(filter, { state: 1, at: 1, after: 1 }).lean()) as unknown as Array<{ state: string; at: Date; after?: { access?: string } | null }>;
  const openings = new Map<string, Date>();
  for (const doc of docs) {
    if (doc.after?.access !== 'public') continue;
    const known = openings.get(doc.state);
    if (!known || known < doc.at) openings.set(doc.state, doc.at);
  }
  return openings;
}

/** One revision of a State, or undefined (also when the id belongs to another State's revision). */
export async function findRevisionOfState(state: string, id: string): Promise<Revision | undefined> {
  if (!isObjectId(id)) return undefined;
  const doc = await RevisionModel.findOne({ _id: { $eq: id }, state: { $eq: state } }).lean();
  return doc ? toRevision(doc as unknown as RevisionDocument) : undefined;
}

/** Changes of one entity that produced a version above `version`, oldest first: what happened since an editor loaded it. */
export async function findRevisionsSince(entity: RevisionEntity, entityId: string, version: number): Promise<Revision[]> {
  const docs = await RevisionModel.find({ entity: { $eq: entity }, entityId: { $eq: entityId }, version: { $gt: version }, action: { $ne: 'confirm' } })
    .sort({ at: 1, _id: 1 })
    .lean();
  return (docs as unknown as RevisionDocument[]).map(toRevision);
}

/** The latest change of one entity (not a confirmation), e.g. to say who removed it. */
export async function findLatestRevision(entity: RevisionEntity, entityId: string): Promise<Revision | undefined> {
  const doc = await RevisionModel.findOne({ entity: { $eq: entity }, entityId: { $eq: entityId }, action: { $ne: 'confirm' } })
    .sort({ at: -1, _id: -1 })
    .lean();
  return doc ? toRevision(doc as unknown as RevisionDocument) : undefined;
}

/** Creates the collection and its indexes before any write (see directory.repository ensureIndexes for why). */
export async function ensureRevisionIndexes(): Promise<void> {
  await RevisionModel.createCollection();
  await RevisionModel.createIndexes();
}

/** When entries were changed or confirmed since `since`, and for which State: what the secretariat's figures count. */
export async function findActivitySince(since: Date): Promise<Array<{ state: string; entityId: string; at: Date; action: RevisionAction }>> {
  const docs = await RevisionModel.find({ at: { $gte: since } }, { state: 1, entityId: 1, at: 1, action: 1 }).lean();
  return (docs as unknown as Array<{ state: string; entityId: string; at: Date; action: string }>).map((doc) => ({ state: doc.state, entityId: doc.entityId, at: doc.at, action: doc.action as RevisionAction }));
}
