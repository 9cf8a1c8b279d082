import { AuthorityModel, StateModel } from '../directory/directory.models';
import { toAuthority, toState, type Lean } from '../directory/directory.documents';
import { authorityFields, type Authority, type AuthorityFields, type State } from '../directory/directory.types';
import { optionalFieldsOf } from '../shared/database/mongoose-from-zod';
import { onlyOnce, type ClaimOptions } from '../shared/database/once';
import { atVersion, BULK_BATCH, bulkWriteInBatches, versionKey, withoutNulls, withoutUndefined, writeAtVersionOnce } from '../shared/database/writes';
import { isObjectId } from '../shared/vocabulary';

/*
 * The focal points' and the imports' writes of States and authorities, and the entries as stored
 * now (not the cached copy) for whoever is about to change them. Each change is one single-document
 * update guarded by the version the editor started from (shared/database/writes.ts).
 */


/** The fields of a State an editor may change, besides the stamps. */
export type StateEditableFields = Partial<Pick<State, 'access' | 'optional' | 'parties'>>;

/** A replacing write unsets the fields that may be absent and are. */
const OPTIONAL_AUTHORITY_FIELDS = optionalFieldsOf(authorityFields);

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

/** Sets authorities' versions outright: only for the sample data, whose history is written after the authorities. */
export async function setAuthorityVersions(versions: Array<{ id: string; version: number }>): Promise<void> {
  if (versions.length === 0) return;
  await bulkWriteInBatches(AuthorityModel, versions.map(({ id, version }) => ({ updateOne: { filter: { _id: { $eq: id }, sample: { $eq: true } }, update: { $set: { version } } } })));
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
  // A journal's write without a revision of its own (party records) leaves the last save's revision mark to its recovery
  else if (!mark?.journal) unset.lastRevision = 1;
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
  return writeAtVersionOnce(
    'authority',
    id,
    version,
    async () => {
      const result = await AuthorityModel.updateOne(
        { _id: { $eq: id }, ...atVersion(version) },
        { $set: { ...withoutUndefined(fields), updatedAt: at, ...set }, ...(Object.keys(unset).length ? { $unset: unset } : {}), $inc: { version: 1 } },
        { runValidators: true },
      );
      return result.matchedCount === 0 ? undefined : findAuthority(id);
    },
    mark?.claim,
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

/** The one guarded write of a State's editable fields at a version, with the write's marks. */
async function updateStateAtVersionOnce(code: string, version: number, fields: Record<string, unknown>, mark?: WriteMark, extraFilter: Record<string, unknown> = {}): Promise<State | undefined> {
  const { set, unset } = markUpdate(mark);
  return writeAtVersionOnce(
    'state',
    code,
    version,
    async () => {
      const result = await StateModel.updateOne(
        { code: { $eq: code }, ...atVersion(version), ...extraFilter },
        { $set: { ...fields, ...set }, ...(Object.keys(unset).length ? { $unset: unset } : {}), $inc: { version: 1 } },
        { runValidators: true },
      );
      return result.matchedCount === 0 ? undefined : findState(code);
    },
    mark?.claim,
  );
}

/** Sets a State's access setting, optional section or party records if the State is still at `version`; undefined when it is not. */
export async function updateStateAtVersion(code: string, version: number, fields: StateEditableFields, mark?: WriteMark): Promise<State | undefined> {
  return updateStateAtVersionOnce(code, version, withoutUndefined(fields), mark);
}

/** Undoes an import's write of a State's optional section or party records, only if the State is still as the import left it. */
export async function restoreStateBeforeJournal(code: string, version: number, journal: string, fields: StateEditableFields): Promise<boolean> {
  return Boolean(await updateStateAtVersionOnce(code, version, withoutUndefined(fields), undefined, { pendingJournal: { $eq: journal } }));
}

/** Sets a State's last-updated or last-confirmed stamp; not a change of its fields, so its version stays. */
export async function stampState(code: string, stamps: Partial<Pick<State, 'lastUpdatedAt' | 'lastConfirmedAt'>>): Promise<void> {
  await StateModel.updateOne({ code: { $eq: code } }, { $set: withoutUndefined(stamps) });
}

