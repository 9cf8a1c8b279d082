import { recordAuditEvent, type AuditEvent } from '../audit/audit.service';
import { announceDirectoryChange, REFERENCE_DATA_CHANGED } from '../directory/directory.service';
import type { State } from '../directory/directory.types';
import { claimsOf, registerClaimRecovery, settleClaim, type Claim } from '../shared/database/once';
import { reachWritePoint } from '../shared/database/write-probe';
import { versionKey } from '../shared/database/writes';
import { ConflictError } from '../shared/errors';
import { logger } from '../shared/logger';
import { conflictSince } from './editing.conflicts';
import { changedPaths, toPlain } from './editing.diff';
import { settleJournal } from './editing.journal';
import { findAuthority, findState, findWriteMarks, stampState, updateStateAtVersion, type StateEditableFields, type WriteMark } from './editing.repository';
import { actorOf, authoritySnapshot, newObjectId, stateSnapshot, type EditContext } from './editing.snapshots';
import { insertRevision, revisionExists, type NewRevision, type Revision, type RevisionEntity, type Snapshot } from './revision.repository';

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

export interface PlannedSave {
  id: string;
  key: string;
  mark: WriteMark;
}

export function planSave(context: EditContext, save: Omit<PendingSave, 'id' | 'actor' | 'at'>, at: Date, id = newObjectId()): PlannedSave {
  const pending: PendingSave = { ...save, id, actor: actorOf(context), at };
  return { id, key: versionKey(save.entity, save.entityId, save.version), mark: { revision: id, claim: { payload: { save: toPlainSave(pending) } } } };
}

/** Dates stay dates in the claim document; everything else is plain data. */
function toPlainSave(save: PendingSave): Record<string, unknown> {
  return { ...toPlain({ ...save, at: undefined, audit: undefined }), at: save.at, ...(save.audit ? { audit: save.audit } : {}) };
}

/** A save writes its entry and stamps its State: an authority is named, a State is re-read with the others. */
const changeOfSave = (entity: RevisionEntity, entityId: string) => (entity === 'authority' ? { authorities: [entityId] } : REFERENCE_DATA_CHANGED);

async function settleSaveClaim(key: string, revision: string): Promise<void> {
  const claim = (await claimsOf(key)).find((candidate) => (candidate.payload?.save as PendingSave | undefined)?.id === revision);
  if (claim) await settleClaim(claim);
}

/**
 * Keeps the change, stamps the State (updated, or confirmed) and tells every instance's cache.
 * `planned` is the revision id chosen before the write and the version claim that carries it,
 * settled once the revision is in.
 */
export async function record(context: EditContext, revision: Omit<NewRevision, 'actor' | 'at'>, at: Date, planned?: PlannedSave): Promise<Revision> {
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
    await announceDirectoryChange(changeOfSave(revision.entity, revision.entityId));
  }
  return saved;
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
  await announceDirectoryChange(changeOfSave(save.entity, save.entityId));
  if (save.audit) await recordAuditEvent(save.audit.event, new Date(save.at), save.audit.id);
  logger.warn({ entity: save.entity, entityId: save.entityId, revision: save.id }, 'a save stopped between its write and its revision; the revision was recorded from its claim');
}

registerClaimRecovery('authority:', recoverSave);
registerClaimRecovery('state:', recoverSave);

/**
 * Before an entry is written again: a save of it that died before its revision is completed, and
 * an import that wrote it and is not finished is decided (or the save is refused while it runs).
 */
export async function settleEntry(entity: RevisionEntity, id: string): Promise<void> {
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

export async function changeState(context: EditContext, current: State, version: number, fields: StateEditableFields, restoredFrom?: string): Promise<{ state: State; revision: Revision }> {
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
