import { recordAuditEvent } from '../audit/audit.service';
import { invalidateDirectory } from '../directory/directory-cache';
import {
  bumpVersion,
  deleteAuthorityAtVersion,
  findAuthoritiesOfState,
  findAuthority,
  findState,
  insertAuthority,
  stampState,
  updateAuthorityAtVersion,
  updateStateAtVersion,
  type AuthorityFields,
  type StateEditableFields,
} from '../directory/directory.repository';
import { listDesignationTypes } from '../directory/directory.service';
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

/** Keeps the change, stamps the State (updated, or confirmed) and tells every instance's cache. */
async function record(context: EditContext, revision: Omit<NewRevision, 'actor' | 'at'>, at: Date): Promise<Revision> {
  let saved: Revision;
  try {
    saved = await insertRevision({ ...revision, actor: actorOf(context), at });
  } catch (error) {
    // The change itself is stored; without transactions (FerretDB v1) losing its record is logged, not undone.
    logger.error({ err: error, entity: revision.entity, entityId: revision.entityId }, 'revision not recorded');
    throw error;
  } finally {
    await stampState(revision.state, revision.action === 'confirm' ? { lastConfirmedAt: at } : { lastUpdatedAt: at });
    await bumpVersion();
    invalidateDirectory();
  }
  return saved;
}

async function loadState(context: EditContext, code: string): Promise<State> {
  assertCanEditState(context.viewer, code);
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
  const created = await insertAuthority(code, authorityFields(input, code), at);
  const after = authoritySnapshot(created);
  await record(context, { entity: 'authority', entityId: created.id, state: code, action: 'create', fields: changedPaths(null, after), before: null, after, version: created.version }, at);
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
  const updated = await updateAuthorityAtVersion(current.id, version, authorityFields(input, current.state), at);
  if (!updated) throw await authorityConflict(context, current.id, target.underState, version);
  const before = authoritySnapshot(current);
  const after = authoritySnapshot(updated);
  await record(context, { entity: 'authority', entityId: updated.id, state: updated.state, action: 'update', fields: changedPaths(before, after), before, after, version: updated.version }, at);
  return updated;
}

/** Removes an authority if nobody saved it since `version`. */
export async function removeAuthority(context: EditContext, target: { id: string; underState?: string }, version: number): Promise<void> {
  const current = await loadAuthority(context, target.id, target.underState, true);
  const at = new Date();
  if (!(await deleteAuthorityAtVersion(current.id, version))) throw await authorityConflict(context, current.id, target.underState, version);
  const before = authoritySnapshot(current);
  await record(context, { entity: 'authority', entityId: current.id, state: current.state, action: 'remove', fields: changedPaths(before, null), before, after: null, version: version + 1 }, at);
}

/** Replaces the State's optional section (decision 3/2 (g)(iii)) if nobody saved it since `version`. */
export async function updateOptionalSection(context: EditContext, code: string, version: number, input: OptionalSectionInput): Promise<State> {
  const current = await loadState(context, code);
  const optional: OptionalSection = input;
  return (await changeState(context, current, version, { optional })).state;
}

/** Sets whether the State's details are public or for authorized users only (decision 3/2 (g)(v)); audited. */
export async function setAccess(context: EditContext, code: string, version: number, access: AccessLevel): Promise<State> {
  const current = await loadState(context, code);
  return (await changeState(context, current, version, { access })).state;
}

async function changeState(context: EditContext, current: State, version: number, fields: StateEditableFields, restoredFrom?: string): Promise<{ state: State; revision: Revision }> {
  const keys = Object.keys(fields) as Array<'access' | 'optional'>;
  const at = new Date();
  const updated = await updateStateAtVersion(current.code, version, fields);
  if (!updated) {
    const now = (await findState(current.code)) ?? current;
    throw await conflictSince('state', current.code, version, stateSnapshot(now, ['access', 'optional']), now.version);
  }
  const before = stateSnapshot(current, keys);
  const after = stateSnapshot(updated, keys);
  const revision = await record(
    context,
    { entity: 'state', entityId: current.code, state: current.code, action: restoredFrom ? 'restore' : 'update', fields: changedPaths(before, after), before, after, version: updated.version, ...(restoredFrom ? { restoredFrom } : {}) },
    at,
  );
  if (current.access !== updated.access) {
    await recordAuditEvent({
      type: 'access-setting-changed',
      actorId: revision.actor.id,
      actorEmail: revision.actor.email,
      subject: current.code,
      state: current.code,
      ip: context.ip,
      details: { from: current.access, to: updated.access, revision: revision.id },
    });
  }
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
    const current = await loadState(context, code);
    const fields: StateEditableFields = {};
    if ('access' in before) fields.access = before.access as AccessLevel;
    if ('optional' in before) fields.optional = before.optional as OptionalSection;
    if (version === undefined) throw new ValidationError({ version: 'required' });
    return (await changeState(context, current, version, fields, revision.id)).revision;
  }

  const current = await findAuthority(revision.entityId);
  if (current && current.state !== code) throw new NotFoundError(`No authority with id ${revision.entityId} in ${code}`);
  const fields = fieldsFromSnapshot(before, code);
  if (current) {
    if (version === undefined) {
      throw new ConflictError('This authority was restored by someone else meanwhile. Nothing was changed: look at the history again.', { currentVersion: current.version, changes: [] });
    }
    const updated = await updateAuthorityAtVersion(current.id, version, fields, at);
    if (!updated) throw await authorityConflict(context, current.id, code, version);
    const previous = authoritySnapshot(current);
    const after = authoritySnapshot(updated);
    return record(context, { entity: 'authority', entityId: current.id, state: code, action: 'restore', fields: changedPaths(previous, after), before: previous, after, version: updated.version, restoredFrom: revision.id }, at);
  }
  if (version !== undefined) {
    const latest = await findLatestRevision('authority', revision.entityId);
    throw new ConflictError(`This authority was removed${latest ? whoAndWhen(latest) : ''}. Nothing was restored.`, { changes: [], ...(latest ? { changedBy: changedBy(latest) } : {}) });
  }
  const latest = await findLatestRevision('authority', revision.entityId);
  const recreated = await insertAuthority(code, fields, at, { id: revision.entityId, version: (latest?.version ?? 0) + 1 });
  const after = authoritySnapshot(recreated);
  return record(context, { entity: 'authority', entityId: recreated.id, state: code, action: 'restore', fields: changedPaths(null, after), before: null, after, version: recreated.version, restoredFrom: revision.id }, at);
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

type Undo = { kind: 'delete'; id: string; version: number } | { kind: 'restore-authority'; previous: Authority; version: number } | { kind: 'restore-optional'; previous: State; version: number };

/** Brings back what an applied write replaced; true when it could. */
async function undoWrite(undo: Undo): Promise<boolean> {
  if (undo.kind === 'delete') return deleteAuthorityAtVersion(undo.id, undo.version);
  if (undo.kind === 'restore-authority') {
    const fields = Object.fromEntries(AUTHORITY_FIELDS.map((key) => [key, undo.previous[key]])) as unknown as AuthorityFields;
    return Boolean(await updateAuthorityAtVersion(undo.previous.id, undo.version, fields, undo.previous.updatedAt));
  }
  return Boolean(await updateStateAtVersion(undo.previous.code, undo.version, { optional: undo.previous.optional }));
}

/**
 * Applies every change or none, without transactions (FerretDB v1 has none): the policy and the
 * catalogue are checked for every change before the first write; the writes then go one by one,
 * each guarded by its version; when one fails, those already made are undone (created authorities
 * deleted, updated entries restored from their snapshots, their versions moving on). Revisions,
 * one per changed authority or section, are recorded only once every write has succeeded.
 */
export async function applyAllOrNone(context: EditContext, changes: BulkChange[]): Promise<BulkOutcome> {
  const loaded: Array<Authority | State> = [];
  for (const change of changes) {
    if (change.kind === 'update-optional') {
      loaded.push(await loadState(context, change.state));
      continue;
    }
    if (change.kind === 'create-authority') loaded.push(await loadState(context, change.state));
    else loaded.push(await loadAuthority(context, change.id, undefined, true));
    await assertKnownDesignations(change.input.designations);
  }

  const at = new Date();
  const done: Undo[] = [];
  const revisions: Array<Omit<NewRevision, 'actor' | 'at'>> = [];
  const outcome = { created: [] as Authority[], updated: [] as Authority[], unchanged: [] as string[], optionalSections: [] as string[] };
  try {
    for (const [index, change] of changes.entries()) {
      const current = loaded[index]!;
      if (change.kind === 'create-authority') {
        const created = await insertAuthority(change.state, authorityFields(change.input, change.state), at);
        done.push({ kind: 'delete', id: created.id, version: created.version });
        const after = authoritySnapshot(created);
        revisions.push({ entity: 'authority', entityId: created.id, state: created.state, action: 'create', fields: changedPaths(null, after), before: null, after, version: created.version });
        outcome.created.push(created);
      } else if (change.kind === 'update-authority') {
        const previous = current as Authority;
        const fields = authorityFields(change.input, previous.state);
        const before = authoritySnapshot(previous);
        if (changedPaths(before, authoritySnapshot(fields)).length === 0 && previous.version === change.version) {
          outcome.unchanged.push(previous.id);
          continue;
        }
        const updated = await updateAuthorityAtVersion(previous.id, change.version, fields, at);
        if (!updated) throw await authorityConflict(context, previous.id, undefined, change.version);
        done.push({ kind: 'restore-authority', previous, version: updated.version });
        const after = authoritySnapshot(updated);
        revisions.push({ entity: 'authority', entityId: updated.id, state: updated.state, action: 'update', fields: changedPaths(before, after), before, after, version: updated.version });
        outcome.updated.push(updated);
      } else {
        const previous = current as State;
        const before = stateSnapshot(previous, ['optional']);
        if (changedPaths(before, stateSnapshot({ ...previous, optional: change.input }, ['optional'])).length === 0 && previous.version === change.version) continue;
        const updated = await updateStateAtVersion(previous.code, change.version, { optional: change.input });
        if (!updated) throw await conflictSince('state', previous.code, change.version, stateSnapshot((await findState(previous.code)) ?? previous, ['access', 'optional']), (await findState(previous.code))?.version ?? previous.version);
        done.push({ kind: 'restore-optional', previous, version: updated.version });
        const after = stateSnapshot(updated, ['optional']);
        revisions.push({ entity: 'state', entityId: previous.code, state: previous.code, action: 'update', fields: changedPaths(before, after), before, after, version: updated.version });
        outcome.optionalSections.push(previous.code);
      }
    }
  } catch (error) {
    logger.error({ err: error, written: done.length }, 'bulk change failed; undoing the writes already made');
    let rolledBack = true;
    for (const undo of done.reverse()) {
      try {
        if (!(await undoWrite(undo))) rolledBack = false;
      } catch (undoError) {
        logger.error({ err: undoError, undo: undo.kind }, 'a write of a failed bulk change could not be undone');
        rolledBack = false;
      }
    }
    await bumpVersion();
    invalidateDirectory();
    const reason = error instanceof ConflictError ? error.message : 'A write to the database failed.';
    return { applied: false, reason, rolledBack, conflict: error instanceof ConflictError };
  }
  for (const revision of revisions) await record(context, revision, at);
  return { applied: true, ...outcome };
}
