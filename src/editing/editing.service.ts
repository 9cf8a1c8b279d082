import type { AccessLevel, Authority, DesignationType, OptionalSection, State } from '../directory/directory.types';
import { listDesignationTypesAsOffered } from '../directory/directory.service';
import { onlyOnce } from '../shared/database/once';
import { ValidationError } from '../shared/errors';
import { changedPaths } from './editing.diff';
import { assertKnownDesignations, authorityConflict, loadAuthority, loadState } from './editing.entries';
import { deleteAuthorityAtVersion, findAuthoritiesOfState, insertAuthority, updateAuthorityAtVersion } from './editing.repository';
import { changeState, planSave, record } from './editing.saves';
import type { AuthorityInput, OptionalSectionInput } from './editing.schema';
import { authorityFields, authoritySnapshot, newObjectId, type EditContext } from './editing.snapshots';
import { findActivitySince, findLatestOpenings, findRecentRevisions, findRevisionsOfState, type Revision } from './revision.repository';

/*
 * The editing component's use cases: focal points' and the secretariat's edits of a State's
 * entries, its history, restores (editing.restore.ts), confirmations, and imports' all-or-none
 * changes (editing.bulk.ts). How a save survives a crash is in editing.saves.ts, an import's
 * journal in editing.journal.ts, the refusal of a stale save in editing.conflicts.ts.
 */

export type { EditContext } from './editing.snapshots';
export { applyAllOrNone, type BulkChange } from './editing.bulk';
export { recoverUnfinishedWrites, startWriteRecovery } from './editing.recovery';
export { restoreRevision } from './editing.restore';
export type { Revision } from './revision.repository';
export { writeSampleHistory, type SampleHistory } from './editing.sample-history';

export interface EditableState {
  state: State;
  authorities: Authority[];
  designations: DesignationType[];
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
  const [authorities, designations] = await Promise.all([findAuthoritiesOfState(code), listDesignationTypesAsOffered()]);
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
  const created = await onlyOnce(planned.key, () => insertAuthority(code, authorityFields(input, code, undefined, at), at, { id, version: 0 }, planned.mark), planned.mark.claim);
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
  const updated = await updateAuthorityAtVersion(current.id, version, authorityFields(input, current.state, current, at), at, planned.mark);
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
 * The latest changes of the given States (or of all), newest first, with the moment each State was
 * last opened to the public: no policy here, the caller words each change for its reader.
 */
export async function recentChanges(query: { states?: string[]; after?: Date; limit: number }): Promise<{ revisions: Revision[]; openedAt: Map<string, Date> }> {
  const [revisions, openedAt] = await Promise.all([findRecentRevisions(query), findLatestOpenings(query.states)]);
  return { revisions, openedAt };
}

/** Changes (any action but a confirmation) and confirmations of every State's entries since `since`, for the secretariat's figures. */
export async function listActivitySince(since: Date): Promise<Array<{ state: string; entry: string; at: Date; kind: 'update' | 'confirm' }>> {
  const activity = await findActivitySince(since);
  return activity.map((event) => ({ state: event.state, entry: event.entityId, at: event.at, kind: event.action === 'confirm' ? ('confirm' as const) : ('update' as const) }));
}
