import type { AuditEvent } from '../audit/audit.service';
import type { Authority, AuthorityFields, OptionalSection, PartyRecord, State } from '../directory/directory.types';
import { decideJournal, insertJournal, journalLeaseMs, journalOutcome, newJournalId, type Journal } from '../shared/database/journal';
import { PROCESS_OWNER } from '../shared/database/once';
import { reachWritePoint } from '../shared/database/write-probe';
import { ConflictError } from '../shared/errors';
import { logger } from '../shared/logger';
import { conflictSince } from './editing.conflicts';
import { changedPaths, toPlain } from './editing.diff';
import { assertKnownDesignations, authorityConflict, loadAuthority, loadState } from './editing.entries';
import { rollBackJournal, rollForwardJournal, storedBefore, type JournalContext, type JournalStep } from './editing.journal';
import { findState, findWriteMarks, insertAuthority, updateAuthorityAtVersion, updateStateAtVersion, type WriteMark } from './editing.repository';
import { actorOf, authorityFields, authoritySnapshot, newObjectId, stateSnapshot, type EditContext } from './editing.snapshots';
import type { AuthorityInput, OptionalSectionInput } from './editing.schema';
import type { Snapshot } from './revision.repository';

/** Bulk changes: an import's rows (the exchange component) or the depositary's party status (the depositary component), applied all or none. */

/** One change of a bulk import, each at the version the importer read (so a save made meanwhile is not overwritten). */
export type BulkChange =
  | { kind: 'create-authority'; state: string; input: AuthorityInput }
  | { kind: 'update-authority'; id: string; version: number; input: AuthorityInput }
  | { kind: 'update-optional'; state: string; version: number; input: OptionalSectionInput }
  /** The State's record for one instrument, replacing the one it has (its other instruments' records are kept); at the version stored when the change is applied. */
  | { kind: 'set-party-record'; state: string; record: PartyRecord };

export type BulkOutcome =
  | { applied: true; created: Authority[]; updated: Authority[]; unchanged: string[]; optionalSections: string[]; partyRecords: string[] }
  | { applied: false; reason: string; rolledBack: boolean; conflict: boolean };

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
    if (change.kind === 'update-optional' || change.kind === 'set-party-record') {
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
  const writes: Array<{ fields?: AuthorityFields; optional?: OptionalSection; parties?: PartyRecord[] }> = [];
  const unchanged: string[] = [];
  for (const [index, change] of changes.entries()) {
    const current = loaded[index]!;
    if (change.kind === 'create-authority') {
      const fields = authorityFields(change.input, change.state, undefined, at);
      steps.push({ op: 'create', id: newObjectId(), state: change.state, revision: newObjectId(), after: authoritySnapshot(fields) });
      writes.push({ fields });
    } else if (change.kind === 'update-authority') {
      const previous = current as Authority;
      const fields = authorityFields(change.input, previous.state, previous, at);
      const beforeSnapshot = authoritySnapshot(previous);
      if (changedPaths(beforeSnapshot, authoritySnapshot(fields)).length === 0 && previous.version === change.version) {
        unchanged.push(previous.id);
        continue;
      }
      const before = storedBefore(previous, (await findWriteMarks('authority', previous.id))?.lastRevision);
      steps.push({ op: 'update', id: previous.id, state: previous.state, version: change.version, revision: newObjectId(), before, beforeSnapshot, after: authoritySnapshot(fields) });
      writes.push({ fields });
    } else if (change.kind === 'set-party-record') {
      const previous = current as State;
      const parties = withPartyRecord(previous.parties, change.record);
      const before = { parties: toPlain(previous.parties) };
      if (changedPaths(before, { parties: toPlain(parties) }).length === 0) {
        unchanged.push(previous.code);
        continue;
      }
      steps.push({ op: 'set-parties', state: previous.code, version: previous.version, before, after: { parties: toPlain(parties) } });
      writes.push({ parties });
    } else {
      const previous = current as State;
      const before = stateSnapshot(previous, ['optional']);
      const after = stateSnapshot({ ...previous, optional: change.input }, ['optional']);
      if (changedPaths(before, after).length === 0 && previous.version === change.version) continue;
      steps.push({ op: 'update-optional', state: previous.code, version: change.version, revision: newObjectId(), before, after });
      writes.push({ optional: change.input });
    }
  }

  // Party status is the secretariat's record of the State, not its entry: it stamps no State as updated
  const states = [...new Set(steps.flatMap((step) => (step.op === 'set-parties' ? [] : [step.state])))];
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
          partyRecords: steps.filter((step) => step.op === 'set-parties').map((step) => step.state),
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

  const outcome = { created: [] as Authority[], updated: [] as Authority[], unchanged, optionalSections: [] as string[], partyRecords: [] as string[] };
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
      const mark = (before?: Record<string, unknown>): WriteMark => ({ ...('revision' in step ? { revision: step.revision } : {}), journal: { id: journalId, ...(before ? { before } : {}) } });
      if (step.op === 'create') {
        const created = await insertAuthority(step.state, write.fields!, at, { id: step.id, version: 0 }, mark());
        afters.set(index, authoritySnapshot(created));
        outcome.created.push(created);
      } else if (step.op === 'update') {
        const updated = await updateAuthorityAtVersion(step.id, step.version, write.fields!, at, mark(step.before));
        if (!updated) throw await authorityConflict(context, step.id, undefined, step.version);
        afters.set(index, authoritySnapshot(updated));
        outcome.updated.push(updated);
      } else if (step.op === 'set-parties') {
        const updated = await updateStateAtVersion(step.state, step.version, { parties: write.parties }, mark(step.before));
        if (!updated) throw new ConflictError(`The record of ${step.state} was saved by someone else meanwhile. Nothing was written: run the dry run again.`);
        outcome.partyRecords.push(step.state);
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

/** A State's party records with `record` in place of its instrument's, in the order of the instruments first recorded. */
function withPartyRecord(parties: PartyRecord[], record: PartyRecord): PartyRecord[] {
  const kept = parties.map((existing) => (existing.instrument === record.instrument ? record : existing));
  return kept.some((existing) => existing.instrument === record.instrument) ? kept : [...kept, record];
}
