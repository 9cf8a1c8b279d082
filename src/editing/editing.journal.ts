import { recordAuditEvent, type AuditEvent } from '../audit/audit.service';
import { announceDirectoryChange } from '../directory/directory.service';
import { AUTHORITY_FIELD_NAMES, type Authority, type OptionalSection, type PartyRecord, type State } from '../directory/directory.types';
import { decideJournal, findJournal, journalLeaseMs, journalOutcome, markJournalDone, type Journal } from '../shared/database/journal';
import { releaseClaim, takeClaim } from '../shared/database/once';
import { reachWritePoint } from '../shared/database/write-probe';
import { logger } from '../shared/logger';
import { changedPaths, toPlain } from './editing.diff';
import { deleteAuthoritiesOfJournal, findAuthority, findState, findWriteMarks, restoreAuthorityBeforeJournal, restoreStateBeforeJournal, stampState } from './editing.repository';
import { authoritySnapshot, stateSnapshot } from './editing.snapshots';
import { insertRevision, type NewRevision, type RevisionEntity, type Snapshot } from './revision.repository';

/*
 * An import's write journal, settled: committed imports are finished (their revisions, stamps and
 * audit event), rolled-back ones undone. See applyAllOrNone (editing.bulk.ts) for how it is written.
 */

/**
 * One planned write of an import, as its journal keeps it: ids chosen beforehand (the created
 * authority's and every revision's), the version each update expects, the entry's fields before
 * (to roll it back, and for readers until the import commits) and after (for its revision).
 */
export type JournalStep =
  | { op: 'create'; id: string; state: string; revision: string; after: Snapshot }
  | { op: 'update'; id: string; state: string; version: number; revision: string; before: Record<string, unknown>; beforeSnapshot: Snapshot; after: Snapshot }
  | { op: 'update-optional'; state: string; version: number; revision: string; before: Snapshot; after: Snapshot }
  /** A State's party records: the secretariat's record of the State, so no revision (not a change of its entry), only the audit event. */
  | { op: 'set-parties'; state: string; version: number; before: { parties: unknown }; after: { parties: unknown } };

export interface JournalContext {
  actor: NewRevision['actor'];
  at: Date;
  states: string[];
  audit?: { id: string; event: AuditEvent };
}

/** An authority's editable fields, stamp and last revision as stored, absent ones as null: what a rollback puts back. */
export function storedBefore(authority: Authority, lastRevision: string | undefined): Record<string, unknown> {
  const record = authority as unknown as Record<string, unknown>;
  return toPlain({ ...Object.fromEntries(AUTHORITY_FIELD_NAMES.map((key) => [key, record[key] ?? null])), updatedAt: authority.updatedAt ?? null, lastRevision: lastRevision ?? null });
}

/** An import writes the authorities of its steps, and States (re-read by every patch) for the rest. */
const changeOfJournal = (journal: Journal<JournalStep>) => ({ authorities: journal.steps.flatMap((step) => (step.op === 'create' || step.op === 'update' ? [step.id] : [])) });

function journalContext(journal: Journal<JournalStep>): JournalContext {
  const context = journal.context as unknown as JournalContext;
  return { ...context, at: new Date(context.at) };
}

/**
 * Undoes what an import wrote: the authorities it created are deleted and the entries it changed
 * get their earlier fields back (their versions moving on), each only while still marked by it,
 * so running this again, or in two processes at once, changes nothing more. True when complete.
 */
export async function rollBackJournal(journal: Journal<JournalStep>): Promise<boolean> {
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
        const before = step.op === 'set-parties' ? { parties: step.before.parties as PartyRecord[] } : { optional: step.before.optional as OptionalSection };
        if (marks?.pendingJournal === journal.id && !(await restoreStateBeforeJournal(step.state, marks.version, journal.id, before))) {
          if ((await findWriteMarks('state', step.state))?.pendingJournal === journal.id) complete = false;
        }
      }
    } catch (error) {
      logger.error({ err: error, journal: journal.id, step: step.op }, 'a write of an import could not be undone');
      complete = false;
    }
  }
  await announceDirectoryChange(changeOfJournal(journal));
  // An incomplete rollback stays pending, unaudited: the next recovery tries the rest again, then audits it
  if (!complete) {
    logger.error({ journal: journal.id }, 'an import could not be rolled back completely yet; the periodic recovery tries again');
    return false;
  }
  if (context.audit) {
    const details: Record<string, unknown> = { ...(context.audit.event.details ?? {}), outcome: 'rolled-back' };
    for (const key of ['created', 'updated', 'unchanged', 'optionalSections', 'partyRecords']) delete details[key];
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
export async function rollForwardJournal(journal: Journal<JournalStep>, afters = new Map<number, Snapshot>()): Promise<void> {
  const context = journalContext(journal);
  for (const [index, step] of journal.steps.entries()) {
    if (step.op === 'set-parties') continue;
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
  await announceDirectoryChange(changeOfJournal(journal));
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
export async function settleJournal(id: string, now = new Date()): Promise<'committed' | 'rolled-back' | 'in-progress'> {
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
