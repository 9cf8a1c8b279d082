import { Types } from 'mongoose';
import { recordAuditEvent, type AuditEvent } from '../audit/audit.service';
import {
  deleteAuthorityAtVersion,
  deleteAuthoritiesOfJournal,
  findAuthoritiesOfState,
  findAuthority,
  findState,
  findWriteMarks,
  insertAuthority,
  restoreAuthorityBeforeJournal,
  restoreStateBeforeJournal,
  stampState,
  updateAuthorityAtVersion,
  updateStateAtVersion,
  type AuthorityFields,
  type StateEditableFields,
  type WriteMark,
} from './editing.repository';
import { versionKey } from '../shared/database/writes';
import { decideJournal, findJournal, findUnfinishedJournals, insertJournal, journalLeaseMs, journalOutcome, markJournalDone, newJournalId, type Journal } from '../shared/database/journal';
import { claimsOf, onlyOnce, PROCESS_OWNER, registerClaimRecovery, releaseClaim, settleClaim, sweepExpiredClaims, takeClaim, type Claim } from '../shared/database/once';
import { reachWritePoint } from '../shared/database/write-probe';
import { announceDirectoryChange, listDesignationTypes } from '../directory/directory.service';
import type { AccessLevel, Authority, DesignationType, OptionalSection, State } from '../directory/directory.types';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { logger } from '../shared/logger';
import type { Viewer } from '../shared/viewer';
import { changedPaths, toPlain, valueAt } from './editing.diff';
import { assertCanEditState, canEditState } from './editing.policy';
import type { AuthorityInput, OptionalSectionInput } from './editing.schema';
import {
  findActivitySince,
  findLatestRevision,
  findRevisionOfState,
  findRevisionsOfState,
  findRevisionsSince,
  insertRevision,
  revisionExists,
  type NewRevision,
  type Revision,
  type RevisionEntity,
  type Snapshot,
} from './revision.repository';

/** Who is editing: the viewer decides what is allowed; e-mail and address are recorded with the change. */
export interface EditContext {
  viewer: Viewer;
  /** The user's e-mail, recorded in revisions so the history says who; absent when unknown. */
  email?: string;
  ip?: string;
}

export interface EditableState {
  state: State;
  authorities: Authority[];
  designations: DesignationType[];
}

const AUTHORITY_FIELDS = [
  'designations',
  'name',
  'kind',
  'address',
  'phones',
  'fax',
  'emails',
  'website',
  'officeHours',
  'languages',
  'channels',
  'urgent',
  'contact247',
  'contactPersons',
  'notes',
] as const satisfies ReadonlyArray<keyof AuthorityFields>;

/** The editable fields of an authority as plain data, for a revision. */
function authoritySnapshot(authority: AuthorityFields): Snapshot {
  return toPlain(Object.fromEntries(AUTHORITY_FIELDS.map((key) => [key, authority[key]])));
}

function authorityFields(input: AuthorityInput, state: string): AuthorityFields {
  const fields = Object.fromEntries(AUTHORITY_FIELDS.map((key) => [key, input[key]])) as Omit<AuthorityFields, 'address'>;
  return { ...fields, address: { ...input.address, country: state } };
}

function fieldsFromSnapshot(snapshot: Snapshot, state: string): AuthorityFields {
  const fields = Object.fromEntries(AUTHORITY_FIELDS.map((key) => [key, snapshot[key] ?? undefined])) as unknown as AuthorityFields;
  return { ...fields, address: { ...(fields.address ?? { lines: [], city: '' }), country: state } };
}

/** The State's editable fields as plain data: what a State revision keeps before and after. */
function stateSnapshot(state: Pick<State, 'access' | 'optional'>, keys: ReadonlyArray<'access' | 'optional'>): Snapshot {
  return toPlain(Object.fromEntries(keys.map((key) => [key, state[key]])));
}

function actorOf(context: EditContext): NewRevision['actor'] {
  if (context.viewer.kind === 'anonymous') throw new Error('an anonymous viewer cannot be recorded as an editor');
  return { id: context.viewer.id, role: context.viewer.role, ...(context.email ? { email: context.email } : {}) };
}

/**
 * Keeps the change, stamps the State (updated, or confirmed) and tells every instance's cache.
 * `planned` is the revision id chosen before the write and the version claim that carries it,
 * settled once the revision is in.
 */
async function record(context: EditContext, revision: Omit<NewRevision, 'actor' | 'at'>, at: Date, planned?: PlannedSave): Promise<Revision> {
  let saved: Revision;
  try {
    if (planned) await reachWritePoint('save:written', { key: planned.key });
    saved = await insertRevision({ ...revision, actor: actorOf(context), at }, planned?.id);
    if (planned) await settleSaveClaim(planned.key, planned.id);
  } catch (error) {
    // The change itself is stored; without transactions (FerretDB v1) losing its record is logged, not undone.
    logger.error({ err: error, entity: revision.entity, entityId: revision.entityId }, 'revision not recorded');
    throw error;
  } finally {
    await stampState(revision.state, revision.action === 'confirm' ? { lastConfirmedAt: at } : { lastUpdatedAt: at });
    await announceDirectoryChange();
  }
  return saved;
}


// ---- Crash-safe single saves ------------------------------------------------------------------

/**
 * A save is one guarded write of the entry plus its revision, with no transaction between them.
 * The revision's id is chosen first, stored on the entry by the write (`lastRevision`) and carried,
 * with everything else the revision needs, by the version claim (`authority:<id>@<version>`). When
 * the process dies between the two, whoever meets the entry next (a save of it, a takeover of the
 * expired claim, or the periodic sweep) records that revision from the claim: a later save then
 * succeeds, or is refused with the real changes, never with an empty list.
 */
interface PendingSave {
  id: string;
  entity: RevisionEntity;
  entityId: string;
  state: string;
  actor: NewRevision['actor'];
  at: Date;
  action: NewRevision['action'];
  before: Snapshot | null;
  version: number;
  restoredFrom?: string;
  /** For a State: the fields the revision keeps. */
  keys?: Array<'access' | 'optional'>;
  audit?: { id: string; event: AuditEvent };
}

interface PlannedSave {
  id: string;
  key: string;
  mark: WriteMark;
}

function newObjectId(): string {
  return new Types.ObjectId().toHexString();
}

function planSave(context: EditContext, save: Omit<PendingSave, 'id' | 'actor' | 'at'>, at: Date, id = newObjectId()): PlannedSave {
  const pending: PendingSave = { ...save, id, actor: actorOf(context), at };
  return { id, key: versionKey(save.entity, save.entityId, save.version), mark: { revision: id, claim: { payload: { save: toPlainSave(pending) } } } };
}

/** Dates stay dates in the claim document; everything else is plain data. */
function toPlainSave(save: PendingSave): Record<string, unknown> {
  return { ...toPlain({ ...save, at: undefined, audit: undefined }), at: save.at, ...(save.audit ? { audit: save.audit } : {}) };
}

async function settleSaveClaim(key: string, revision: string): Promise<void> {
  const claim = (await claimsOf(key)).find((candidate) => (candidate.payload?.save as PendingSave | undefined)?.id === revision);
  if (claim) await settleClaim(claim);
}

/** Records the revision of a save whose writer died after writing the entry; does nothing when the write never happened. */
async function recoverSave(claim: Claim): Promise<void> {
  const save = claim.payload?.save as PendingSave | undefined;
  if (!save || (await revisionExists(save.id))) return;
  const marks = await findWriteMarks(save.entity, save.entityId);
  const applied = save.action === 'remove' ? marks === undefined : marks?.lastRevision === save.id;
  if (!applied) return;
  let after: Snapshot | null = null;
  if (save.action !== 'remove') {
    if (save.entity === 'authority') {
      const authority = await findAuthority(save.entityId);
      after = authority ? authoritySnapshot(authority) : null;
    } else {
      const state = await findState(save.entityId);
      after = state ? stateSnapshot(state, save.keys ?? ['access', 'optional']) : null;
    }
  }
  const revision = {
    entity: save.entity,
    entityId: save.entityId,
    state: save.state,
    action: save.action,
    fields: changedPaths(save.before, after),
    before: save.before,
    after,
    version: save.version,
    ...(save.restoredFrom ? { restoredFrom: save.restoredFrom } : {}),
  };
  await insertRevision({ ...revision, actor: save.actor, at: new Date(save.at) }, save.id);
  await stampState(save.state, { lastUpdatedAt: new Date(save.at) });
  await announceDirectoryChange();
  if (save.audit) await recordAuditEvent(save.audit.event, new Date(save.at), save.audit.id);
  logger.warn({ entity: save.entity, entityId: save.entityId, revision: save.id }, 'a save stopped between its write and its revision; the revision was recorded from its claim');
}

registerClaimRecovery('authority:', recoverSave);
registerClaimRecovery('state:', recoverSave);

/**
 * Before an entry is written again: a save of it that died before its revision is completed, and
 * an import that wrote it and is not finished is decided (or the save is refused while it runs).
 */
async function settleEntry(entity: RevisionEntity, id: string): Promise<void> {
  const marks = await findWriteMarks(entity, id);
  if (!marks) return;
  if (marks.pendingJournal) {
    const outcome = await settleJournal(marks.pendingJournal);
    if (outcome === 'in-progress') throw new ConflictError('An import is being written to this entry right now. Nothing was saved: try again in a minute.', { changes: [] });
  }
  if (marks.lastRevision && !(await revisionExists(marks.lastRevision))) {
    const claim = (await claimsOf(versionKey(entity, id, marks.version))).find((candidate) => (candidate.payload?.save as PendingSave | undefined)?.id === marks.lastRevision);
    if (claim) {
      await recoverSave(claim);
      await settleClaim(claim);
    }
  }
}

/** The periodic clean-up of crash-safe writes: unfinished imports whose writer's lease ran out, and expired claims. */
export async function recoverUnfinishedWrites(now = new Date()): Promise<{ journals: number; claims: number }> {
  const journals = await findUnfinishedJournals(now);
  for (const id of journals) {
    try {
      await settleJournal(id, now);
    } catch (error) {
      logger.error({ err: error, journal: id }, 'an unfinished import could not be settled');
    }
  }
  return { journals: journals.length, claims: await sweepExpiredClaims(now) };
}

/**
 * Runs `recoverUnfinishedWrites` now and every `intervalMs` (unref'd); returns a stop function.
 * Safe in every instance: each step is decided by a unique insert or guarded by a version claim.
 */
export function startWriteRecovery(options: { intervalMs?: number } = {}): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    recoverUnfinishedWrites()
      .catch((error: unknown) => logger.error({ err: error }, 'recovery of unfinished writes failed'))
      .finally(() => (running = false));
  };
  run();
  const timer = setInterval(run, options.intervalMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

async function loadState(context: EditContext, code: string, forWrite = false): Promise<State> {
  assertCanEditState(context.viewer, code);
  if (forWrite) await settleEntry('state', code);
  const state = await findState(code);
  if (!state) throw new NotFoundError(`No State or participant with code ${code}`);
  return state;
}

/**
 * An authority the viewer may change: refused (403) when it belongs to a State the viewer does not
 * edit, not found when it is not under the State named in the address. For a write, an authority
 * removed meanwhile is a conflict that says by whom.
 */
async function loadAuthority(context: EditContext, id: string, underState: string | undefined, forWrite: boolean): Promise<Authority> {
  if (underState) assertCanEditState(context.viewer, underState);
  if (forWrite) await settleEntry('authority', id);
  const authority = await findAuthority(id);
  if (!authority) {
    const last = forWrite ? await findLatestRevision('authority', id) : undefined;
    if (last?.action === 'remove' && canEditState(context.viewer, last.state) && (!underState || underState === last.state)) {
      throw new ConflictError(`This authority was removed${whoAndWhen(last)}. Nothing was saved.`, { changes: [], changedBy: changedBy(last) });
    }
    throw new NotFoundError(`No authority with id ${id}`);
  }
  assertCanEditState(context.viewer, authority.state);
  if (underState && authority.state !== underState) throw new NotFoundError(`No authority with id ${id} in ${underState}`);
  return authority;
}

function changedBy(revision: Revision): NonNullable<ConstructorParameters<typeof ConflictError>[1]>['changedBy'] {
  return { ...(revision.actor.email ? { email: revision.actor.email } : {}), role: revision.actor.role, at: revision.at.toISOString() };
}

function whoAndWhen(revision: Revision): string {
  return ` by ${revision.actor.email ?? revision.actor.role} at ${revision.at.toISOString()}`;
}

/** The refusal of a stale save: the fields changed since the editor's version, their values now, and who changed them last. */
async function conflictSince(entity: RevisionEntity, entityId: string, version: number, current: Snapshot, currentVersion: number): Promise<ConflictError> {
  const since = await findRevisionsSince(entity, entityId, version);
  const fields = [...new Set(since.flatMap((revision) => revision.fields))];
  const latest = since.at(-1);
  const what = fields.length ? ` It changed ${fields.join(', ')}.` : '';
  return new ConflictError(
    `Someone else saved this entry while you were editing it${latest ? whoAndWhen(latest) : ''}.${what} Nothing was overwritten: check the current values, then save again.`,
    {
      currentVersion,
      changes: fields.map((field) => ({ field, current: valueAt(current, field) ?? null })),
      ...(latest ? { changedBy: changedBy(latest) } : {}),
    },
  );
}

/** Why a guarded write of an authority matched nothing: changed since `version`, or removed. */
async function authorityConflict(context: EditContext, id: string, underState: string | undefined, version: number): Promise<ConflictError> {
  const now = await findAuthority(id);
  if (now) return conflictSince('authority', id, version, authoritySnapshot(now), now.version);
  try {
    await loadAuthority(context, id, underState, true);
  } catch (error) {
    if (error instanceof ConflictError) return error;
  }
  return new ConflictError('This authority was removed meanwhile. Nothing was saved.', { changes: [] });
}

async function assertKnownDesignations(codes: string[]): Promise<void> {
  const known = new Set((await listDesignationTypes()).map((type) => type.code));
  const unknown = codes.find((code) => !known.has(code));
  if (unknown) throw new ValidationError({ designations: `designationUnknown|${unknown}` });
}

/** The State as stored now, if the viewer may edit it: 401, 403 or 404 otherwise. */
export async function checkStateEditable(context: EditContext, code: string): Promise<State> {
  return loadState(context, code);
}

/** An authority the viewer may change (403 for another State's, 409 when removed meanwhile); `underState` is the State in the address, if any. */
export async function checkAuthorityEditable(context: EditContext, id: string, underState?: string): Promise<Authority> {
  return loadAuthority(context, id, underState, true);
}

/** The State and its authorities as stored now, for the editing pages. */
export async function getEditableState(context: EditContext, code: string): Promise<EditableState> {
  const state = await loadState(context, code);
  const [authorities, designations] = await Promise.all([findAuthoritiesOfState(code), listDesignationTypes()]);
  return { state, authorities, designations };
}

/** One authority of the State, for its edit form. */
export async function getEditableAuthority(context: EditContext, code: string, id: string): Promise<{ state: State; authority: Authority }> {
  const authority = await loadAuthority(context, id, code, false);
  return { state: await loadState(context, code), authority };
}

/** Adds an authority to a State. */
export async function createAuthority(context: EditContext, code: string, input: AuthorityInput): Promise<Authority> {
  await loadState(context, code);
  await assertKnownDesignations(input.designations);
  const at = new Date();
  const id = newObjectId();
  const planned = planSave(context, { entity: 'authority', entityId: id, state: code, action: 'create', before: null, version: 0 }, at);
  const created = await onlyOnce(planned.key, () => insertAuthority(code, authorityFields(input, code), at, { id, version: 0 }, planned.mark), planned.mark.claim);
  if (!created) throw new Error('a new authority id was claimed twice');
  const after = authoritySnapshot(created);
  await record(context, { entity: 'authority', entityId: created.id, state: code, action: 'create', fields: changedPaths(null, after), before: null, after, version: created.version }, at, planned);
  return created;
}

/**
 * Changes an authority if nobody saved it since `version`; otherwise refuses with what changed.
 * `underState` is the State in the page's address (absent for the API's /authorities/{id});
 * `claimedState`, a State named in the input, must be the authority's own: authorities never move.
 */
export async function updateAuthority(
  context: EditContext,
  target: { id: string; underState?: string; claimedState?: string },
  version: number,
  input: AuthorityInput,
): Promise<Authority> {
  const current = await loadAuthority(context, target.id, target.underState, true);
  if (target.claimedState !== undefined && target.claimedState !== current.state) {
    throw new ValidationError({ state: 'stateFixed' });
  }
  await assertKnownDesignations(input.designations);
  const at = new Date();
  const before = authoritySnapshot(current);
  const planned = planSave(context, { entity: 'authority', entityId: current.id, state: current.state, action: 'update', before, version: version + 1 }, at);
  const updated = await updateAuthorityAtVersion(current.id, version, authorityFields(input, current.state), at, planned.mark);
  if (!updated) throw await authorityConflict(context, current.id, target.underState, version);
  const after = authoritySnapshot(updated);
  await record(context, { entity: 'authority', entityId: updated.id, state: updated.state, action: 'update', fields: changedPaths(before, after), before, after, version: updated.version }, at, planned);
  return updated;
}

/** Removes an authority if nobody saved it since `version`. */
export async function removeAuthority(context: EditContext, target: { id: string; underState?: string }, version: number): Promise<void> {
  const current = await loadAuthority(context, target.id, target.underState, true);
  const at = new Date();
  const before = authoritySnapshot(current);
  const planned = planSave(context, { entity: 'authority', entityId: current.id, state: current.state, action: 'remove', before, version: version + 1 }, at);
  if (!(await deleteAuthorityAtVersion(current.id, version, planned.mark))) throw await authorityConflict(context, current.id, target.underState, version);
  await record(context, { entity: 'authority', entityId: current.id, state: current.state, action: 'remove', fields: changedPaths(before, null), before, after: null, version: version + 1 }, at, planned);
}

/** Replaces the State's optional section (decision 3/2 (g)(iii)) if nobody saved it since `version`. */
export async function updateOptionalSection(context: EditContext, code: string, version: number, input: OptionalSectionInput): Promise<State> {
  const current = await loadState(context, code, true);
  const optional: OptionalSection = input;
  return (await changeState(context, current, version, { optional })).state;
}

/** Sets whether the State's details are public or for authorized users only (decision 3/2 (g)(v)); audited. */
export async function setAccess(context: EditContext, code: string, version: number, access: AccessLevel): Promise<State> {
  const current = await loadState(context, code, true);
  return (await changeState(context, current, version, { access })).state;
}

async function changeState(context: EditContext, current: State, version: number, fields: StateEditableFields, restoredFrom?: string): Promise<{ state: State; revision: Revision }> {
  const keys = Object.keys(fields) as Array<'access' | 'optional'>;
  const at = new Date();
  const before = stateSnapshot(current, keys);
  const action = restoredFrom ? 'restore' : 'update';
  const revisionId = newObjectId();
  const actor = actorOf(context);
  // The audit event of an access change is planned with the revision, so a crash between them loses neither
  const audit =
    fields.access !== undefined && fields.access !== current.access
      ? {
          id: newObjectId(),
          event: { type: 'access-setting-changed' as const, actorId: actor.id, actorEmail: actor.email, subject: current.code, state: current.code, ip: context.ip, details: { from: current.access, to: fields.access, revision: revisionId } },
        }
      : undefined;
  const planned = planSave(context, { entity: 'state', entityId: current.code, state: current.code, action, before, version: version + 1, keys, ...(restoredFrom ? { restoredFrom } : {}), ...(audit ? { audit } : {}) }, at, revisionId);
  const updated = await updateStateAtVersion(current.code, version, fields, planned.mark);
  if (!updated) {
    const now = (await findState(current.code)) ?? current;
    throw await conflictSince('state', current.code, version, stateSnapshot(now, ['access', 'optional']), now.version);
  }
  const after = stateSnapshot(updated, keys);
  const revision = await record(
    context,
    { entity: 'state', entityId: current.code, state: current.code, action, fields: changedPaths(before, after), before, after, version: updated.version, ...(restoredFrom ? { restoredFrom } : {}) },
    at,
    planned,
  );
  if (audit && current.access !== updated.access) await recordAuditEvent(audit.event, at, audit.id);
  return { state: updated, revision };
}

/** Records that a focal point checked the State's entries and nothing changed: the last-confirmed date. */
export async function confirmStillAccurate(context: EditContext, code: string): Promise<State> {
  const state = await loadState(context, code);
  const at = new Date();
  await record(context, { entity: 'state', entityId: code, state: code, action: 'confirm', fields: [], before: null, after: null, version: state.version }, at);
  return { ...state, lastConfirmedAt: at };
}

/** The State's changes, newest first. */
export async function listRevisions(context: EditContext, code: string, limit = 200): Promise<Revision[]> {
  await loadState(context, code);
  return findRevisionsOfState(code, limit);
}

/**
 * Brings back the values an entry had before a change (undoing a removal recreates the authority
 * at its old address). `version` is the entity's version the page showed (undefined: it did not
 * exist), so a restore cannot silently undo a save made since. The restore is itself a revision.
 */
export async function restoreRevision(context: EditContext, code: string, revisionId: string, version: number | undefined): Promise<Revision> {
  await loadState(context, code);
  const revision = await findRevisionOfState(code, revisionId);
  if (!revision) throw new NotFoundError(`No revision ${revisionId} for ${code}`);
  const before = revision.before;
  if (!before || revision.action === 'confirm') throw new ValidationError({ _form: 'nothingToRestore' });
  const at = new Date();

  if (revision.entity === 'state') {
    const current = await loadState(context, code, true);
    const fields: StateEditableFields = {};
    if ('access' in before) fields.access = before.access as AccessLevel;
    if ('optional' in before) fields.optional = before.optional as OptionalSection;
    if (version === undefined) throw new ValidationError({ version: 'required' });
    return (await changeState(context, current, version, fields, revision.id)).revision;
  }

  await settleEntry('authority', revision.entityId);
  const current = await findAuthority(revision.entityId);
  if (current && current.state !== code) throw new NotFoundError(`No authority with id ${revision.entityId} in ${code}`);
  const fields = fieldsFromSnapshot(before, code);
  if (current) {
    if (version === undefined) {
      throw new ConflictError('This authority was restored by someone else meanwhile. Nothing was changed: look at the history again.', { currentVersion: current.version, changes: [] });
    }
    const previous = authoritySnapshot(current);
    const planned = planSave(context, { entity: 'authority', entityId: current.id, state: code, action: 'restore', before: previous, version: version + 1, restoredFrom: revision.id }, at);
    const updated = await updateAuthorityAtVersion(current.id, version, fields, at, planned.mark);
    if (!updated) throw await authorityConflict(context, current.id, code, version);
    const after = authoritySnapshot(updated);
    return record(context, { entity: 'authority', entityId: current.id, state: code, action: 'restore', fields: changedPaths(previous, after), before: previous, after, version: updated.version, restoredFrom: revision.id }, at, planned);
  }
  if (version !== undefined) {
    const latest = await findLatestRevision('authority', revision.entityId);
    throw new ConflictError(`This authority was removed${latest ? whoAndWhen(latest) : ''}. Nothing was restored.`, { changes: [], ...(latest ? { changedBy: changedBy(latest) } : {}) });
  }
  const latest = await findLatestRevision('authority', revision.entityId);
  const recreatedVersion = (latest?.version ?? 0) + 1;
  const planned = planSave(context, { entity: 'authority', entityId: revision.entityId, state: code, action: 'restore', before: null, version: recreatedVersion, restoredFrom: revision.id }, at);
  const recreated = await onlyOnce(planned.key, () => insertAuthority(code, fields, at, { id: revision.entityId, version: recreatedVersion }, planned.mark), planned.mark.claim);
  if (!recreated) throw new ConflictError('This authority was restored by someone else meanwhile. Nothing was changed: look at the history again.', { changes: [] });
  const after = authoritySnapshot(recreated);
  return record(context, { entity: 'authority', entityId: recreated.id, state: code, action: 'restore', fields: changedPaths(null, after), before: null, after, version: recreated.version, restoredFrom: revision.id }, at, planned);
}

/** Changes (any action but a confirmation) and confirmations of every State's entries since `since`, for the secretariat's figures. */
export async function listActivitySince(since: Date): Promise<Array<{ state: string; at: Date; kind: 'update' | 'confirm' }>> {
  const activity = await findActivitySince(since);
  return activity.map((event) => ({ state: event.state, at: event.at, kind: event.action === 'confirm' ? ('confirm' as const) : ('update' as const) }));
}

// ---- Bulk changes (imports by the exchange component) ----------------------------------------

/** One change of a bulk import, each at the version the importer read (so a save made meanwhile is not overwritten). */
export type BulkChange =
  | { kind: 'create-authority'; state: string; input: AuthorityInput }
  | { kind: 'update-authority'; id: string; version: number; input: AuthorityInput }
  | { kind: 'update-optional'; state: string; version: number; input: OptionalSectionInput };

export type BulkOutcome =
  | { applied: true; created: Authority[]; updated: Authority[]; unchanged: string[]; optionalSections: string[] }
  | { applied: false; reason: string; rolledBack: boolean; conflict: boolean };

/**
 * One planned write of an import, as its journal keeps it: ids chosen beforehand (the created
 * authority's and every revision's), the version each update expects, the entry's fields before
 * (to roll it back, and for readers until the import commits) and after (for its revision).
 */
type JournalStep =
  | { op: 'create'; id: string; state: string; revision: string; after: Snapshot }
  | { op: 'update'; id: string; state: string; version: number; revision: string; before: Record<string, unknown>; beforeSnapshot: Snapshot; after: Snapshot }
  | { op: 'update-optional'; state: string; version: number; revision: string; before: Snapshot; after: Snapshot };

interface JournalContext {
  actor: NewRevision['actor'];
  at: Date;
  states: string[];
  audit?: { id: string; event: AuditEvent };
}

/** An authority's editable fields, stamp and last revision as stored, absent ones as null: what a rollback puts back. */
function storedBefore(authority: Authority, lastRevision: string | undefined): Record<string, unknown> {
  const record = authority as unknown as Record<string, unknown>;
  return toPlain({ ...Object.fromEntries(AUTHORITY_FIELDS.map((key) => [key, record[key] ?? null])), updatedAt: authority.updatedAt ?? null, lastRevision: lastRevision ?? null });
}

function journalContext(journal: Journal<JournalStep>): JournalContext {
  const context = journal.context as unknown as JournalContext;
  return { ...context, at: new Date(context.at) };
}

/**
 * Undoes what an import wrote: the authorities it created are deleted and the entries it changed
 * get their earlier fields back (their versions moving on), each only while still marked by it,
 * so running this again, or in two processes at once, changes nothing more. True when complete.
 */
async function rollBackJournal(journal: Journal<JournalStep>): Promise<boolean> {
  const context = journalContext(journal);
  let complete = true;
  try {
    await deleteAuthoritiesOfJournal(journal.steps.flatMap((step) => (step.op === 'create' ? [step.id] : [])), journal.id);
  } catch (error) {
    logger.error({ err: error, journal: journal.id }, 'the authorities an import created could not be removed');
    complete = false;
  }
  for (const step of [...journal.steps].reverse()) {
    try {
      if (step.op === 'create') {
        continue;
      } else if (step.op === 'update') {
        const marks = await findWriteMarks('authority', step.id);
        if (marks?.pendingJournal === journal.id && !(await restoreAuthorityBeforeJournal(step.id, marks.version, journal.id, step.before, context.at))) {
          // Another process may be restoring it at this moment: only an entry still marked is left to do
          if ((await findWriteMarks('authority', step.id))?.pendingJournal === journal.id) complete = false;
        }
      } else {
        const marks = await findWriteMarks('state', step.state);
        if (marks?.pendingJournal === journal.id && !(await restoreStateBeforeJournal(step.state, marks.version, journal.id, { optional: step.before.optional as OptionalSection }))) {
          if ((await findWriteMarks('state', step.state))?.pendingJournal === journal.id) complete = false;
        }
      }
    } catch (error) {
      logger.error({ err: error, journal: journal.id, step: step.op }, 'a write of an import could not be undone');
      complete = false;
    }
  }
  await announceDirectoryChange();
  // An incomplete rollback stays pending, unaudited: the next recovery tries the rest again, then audits it
  if (!complete) {
    logger.error({ journal: journal.id }, 'an import could not be rolled back completely yet; the periodic recovery tries again');
    return false;
  }
  if (context.audit) {
    const details: Record<string, unknown> = { ...(context.audit.event.details ?? {}), outcome: 'rolled-back' };
    for (const key of ['created', 'updated', 'unchanged', 'optionalSections']) delete details[key];
    await recordAuditEvent({ ...context.audit.event, details }, context.at, context.audit.id);
  }
  await markJournalDone(journal.id, 'rolled-back');
  return true;
}

/**
 * Finishes a committed import: one revision per written entry (ids chosen beforehand, so each is
 * recorded once however often this runs), the States stamped, every instance told, the audit
 * event. `afters` are the snapshots of the entries as written, when the writer still has them.
 */
async function rollForwardJournal(journal: Journal<JournalStep>, afters = new Map<number, Snapshot>()): Promise<void> {
  const context = journalContext(journal);
  for (const [index, step] of journal.steps.entries()) {
    const entity: RevisionEntity = step.op === 'update-optional' ? 'state' : 'authority';
    const entityId = step.op === 'update-optional' ? step.state : step.id;
    let after = afters.get(index);
    if (!after) {
      const marks = await findWriteMarks(entity, entityId);
      if (marks?.lastRevision === step.revision) {
        const now = entity === 'authority' ? await findAuthority(entityId) : await findState(entityId);
        if (now) after = entity === 'authority' ? authoritySnapshot(now as Authority) : stateSnapshot(now as State, ['optional']);
      }
    }
    after ??= step.after;
    const before = step.op === 'create' ? null : step.op === 'update' ? step.beforeSnapshot : step.before;
    const version = step.op === 'create' ? 0 : step.version + 1;
    await insertRevision({ entity, entityId, state: step.state, action: step.op === 'create' ? 'create' : 'update', fields: changedPaths(before, after), before, after, version, actor: context.actor, at: context.at }, step.revision);
    await reachWritePoint('import:revision-recorded', { journal: journal.id, row: index + 1 });
  }
  for (const state of context.states) await stampState(state, { lastUpdatedAt: context.at });
  await announceDirectoryChange();
  if (context.audit) await recordAuditEvent(context.audit.event, context.at, context.audit.id);
  await markJournalDone(journal.id, 'committed');
}

/**
 * Brings an import to its end as decided: committed ones are finished, rolled-back ones undone.
 * One not yet decided whose writer's lease has run out is rolled back, not completed: its writer
 * died before answering, so the importer was told nothing was saved, and the file was checked
 * against the directory as it was then; undoing needs nothing but the journal and always leaves
 * the directory as it was, while completing could apply a file nobody is waiting for over changes
 * made since. Re-importing the file afterwards then writes it once.
 */
async function settleJournal(id: string, now = new Date()): Promise<'committed' | 'rolled-back' | 'in-progress'> {
  const journal = await findJournal<JournalStep>(id);
  if (!journal) return 'rolled-back';
  let outcome = await journalOutcome(id);
  if (!outcome) {
    if (journal.leaseUntil.getTime() > now.getTime()) return 'in-progress';
    await decideJournal(id, 'rolled-back');
    outcome = (await journalOutcome(id)) ?? 'rolled-back';
    if (outcome === 'rolled-back') logger.warn({ journal: id, owner: journal.owner, rows: journal.steps.length }, 'an import stopped half-way (its writer died); rolling it back');
  }
  if (journal.status === 'done') return outcome;
  // One process at a time finishes a journal: two doing it at once would each find the other's
  // half-made writes and leave the revisions or the audit event unrecorded
  const claim = await takeClaim(`journal:${id}`, { ttlMs: journalLeaseMs(), what: 'an import being settled' });
  if (!claim) return 'in-progress';
  try {
    const current = await findJournal<JournalStep>(id);
    if (current && current.status !== 'done') {
      if (outcome === 'committed') await rollForwardJournal(current);
      else await rollBackJournal(current);
    }
  } finally {
    await releaseClaim(claim).catch((error: unknown) => logger.error({ err: error, journal: id }, 'the claim on a settled import could not be given back'));
  }
  return outcome;
}

/**
 * Applies every change or none, without transactions (FerretDB v1 has none), and survives the
 * crash of the writer. The policy and the catalogue are checked for every change first; then a
 * journal of the planned writes is recorded; the writes go one by one, each guarded by its version
 * and marked with the journal, so readers keep seeing the entries as they were; the import is then
 * committed by one unique insert, and only then are its revisions and audit event recorded. A
 * failed write rolls back those already made. A writer that dies leaves a journal that another
 * process settles once the lease has run out (`settleJournal`, `recoverUnfinishedWrites`).
 */
export async function applyAllOrNone(context: EditContext, changes: BulkChange[], options: { audit?: AuditEvent } = {}): Promise<BulkOutcome> {
  const loaded: Array<Authority | State> = [];
  for (const change of changes) {
    if (change.kind === 'update-optional') {
      loaded.push(await loadState(context, change.state, true));
      continue;
    }
    if (change.kind === 'create-authority') loaded.push(await loadState(context, change.state));
    else loaded.push(await loadAuthority(context, change.id, undefined, true));
    await assertKnownDesignations(change.input.designations);
  }

  const at = new Date();
  const journalId = newJournalId();
  const steps: JournalStep[] = [];
  const writes: Array<{ fields?: AuthorityFields; optional?: OptionalSection }> = [];
  const unchanged: string[] = [];
  for (const [index, change] of changes.entries()) {
    const current = loaded[index]!;
    if (change.kind === 'create-authority') {
      const fields = authorityFields(change.input, change.state);
      steps.push({ op: 'create', id: newObjectId(), state: change.state, revision: newObjectId(), after: authoritySnapshot(fields) });
      writes.push({ fields });
    } else if (change.kind === 'update-authority') {
      const previous = current as Authority;
      const fields = authorityFields(change.input, previous.state);
      const beforeSnapshot = authoritySnapshot(previous);
      if (changedPaths(beforeSnapshot, authoritySnapshot(fields)).length === 0 && previous.version === change.version) {
        unchanged.push(previous.id);
        continue;
      }
      const before = storedBefore(previous, (await findWriteMarks('authority', previous.id))?.lastRevision);
      steps.push({ op: 'update', id: previous.id, state: previous.state, version: change.version, revision: newObjectId(), before, beforeSnapshot, after: authoritySnapshot(fields) });
      writes.push({ fields });
    } else {
      const previous = current as State;
      const before = stateSnapshot(previous, ['optional']);
      const after = stateSnapshot({ ...previous, optional: change.input }, ['optional']);
      if (changedPaths(before, after).length === 0 && previous.version === change.version) continue;
      steps.push({ op: 'update-optional', state: previous.code, version: change.version, revision: newObjectId(), before, after });
      writes.push({ optional: change.input });
    }
  }

  const states = [...new Set(steps.map((step) => step.state))];
  const auditEvent = options.audit
    ? {
        ...options.audit,
        details: {
          ...(options.audit.details ?? {}),
          outcome: 'applied',
          created: steps.filter((step) => step.op === 'create').length,
          updated: steps.filter((step) => step.op === 'update').length,
          unchanged: unchanged.length,
          optionalSections: steps.filter((step) => step.op === 'update-optional').map((step) => step.state),
        },
      }
    : undefined;
  const journalData: JournalContext = { actor: actorOf(context), at, states, ...(auditEvent ? { audit: { id: newObjectId(), event: auditEvent } } : {}) };
  const journal: Journal<JournalStep> = {
    id: journalId,
    kind: 'import',
    status: 'pending',
    owner: PROCESS_OWNER,
    leaseUntil: new Date(Date.now() + journalLeaseMs()),
    createdAt: at,
    steps: toPlain(steps),
    context: { ...toPlain(journalData), at } as unknown as Record<string, unknown>,
  };
  await insertJournal(journal);
  await reachWritePoint('import:journal-written', { journal: journalId, rows: steps.length });

  const outcome = { created: [] as Authority[], updated: [] as Authority[], unchanged, optionalSections: [] as string[] };
  const afters = new Map<number, Snapshot>();
  const failure = async (error: unknown): Promise<BulkOutcome> => {
    logger.error({ err: error, journal: journalId, written: afters.size }, 'bulk change failed; undoing the writes already made');
    await decideJournal(journalId, 'rolled-back');
    const rolledBack = await rollBackJournal(journal);
    const reason = error instanceof ConflictError ? error.message : 'A write to the database failed.';
    return { applied: false, reason, rolledBack, conflict: error instanceof ConflictError };
  };
  try {
    for (const [index, step] of steps.entries()) {
      const write = writes[index]!;
      const mark = (before?: Record<string, unknown>): WriteMark => ({ revision: step.revision, journal: { id: journalId, ...(before ? { before } : {}) } });
      if (step.op === 'create') {
        const created = await insertAuthority(step.state, write.fields!, at, { id: step.id, version: 0 }, mark());
        afters.set(index, authoritySnapshot(created));
        outcome.created.push(created);
      } else if (step.op === 'update') {
        const updated = await updateAuthorityAtVersion(step.id, step.version, write.fields!, at, mark(step.before));
        if (!updated) throw await authorityConflict(context, step.id, undefined, step.version);
        afters.set(index, authoritySnapshot(updated));
        outcome.updated.push(updated);
      } else {
        const updated = await updateStateAtVersion(step.state, step.version, { optional: write.optional }, mark(step.before));
        if (!updated) {
          const now = await findState(step.state);
          throw await conflictSince('state', step.state, step.version, stateSnapshot(now ?? (loaded[index] as State), ['access', 'optional']), now?.version ?? step.version);
        }
        afters.set(index, stateSnapshot(updated, ['optional']));
        outcome.optionalSections.push(step.state);
      }
      await reachWritePoint('import:row-written', { journal: journalId, row: index + 1 });
    }
  } catch (error) {
    return failure(error);
  }
  if (!(await decideJournal(journalId, 'committed')) && (await journalOutcome(journalId)) !== 'committed') {
    // This writer outlived its lease and another process rolled the import back meanwhile
    return failure(new Error('the import took longer than its lease'));
  }
  await reachWritePoint('import:committed', { journal: journalId });
  await rollForwardJournal(journal, afters);
  return { applied: true, ...outcome };
}
