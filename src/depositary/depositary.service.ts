import type { AuditEvent } from '../audit/audit.service';
import { listDirectoryRecords } from '../directory/directory.service';
import type { Instrument, InstrumentRecord, State } from '../directory/directory.types';
import { applyAllOrNone, type BulkChange, type EditContext } from '../editing/editing.service';
import { ForbiddenError, ValidationError } from '../shared/errors';
import { indexStateNames, matchParticipant, planChanges, sourceText, type PlannedChange, type RowMatch } from './depositary.match';
import { readStatusTable, type DepositaryRow, type DepositaryTable } from './depositary.read';
import type { PartyStatusForm } from './depositary.schema';

/**
 * Party status from the depositary in one step: the secretariat gives the status table of an
 * instrument as the UN Treaty Collection shows it; a dry run names the State of each participant
 * and what would change; a commit records every party record at once (editing's all-or-none
 * changes, with a write journal), audited, and the dashboard counts them at once.
 */

/**
 * The instrument whose depositary reference (the UN Treaty Collection's chapter and number, in the
 * catalogue) the source's address carries (`mtdsg_no=XVIII-12`).
 */
function instrumentOfSource(source: string | undefined, instruments: InstrumentRecord[]): InstrumentRecord | undefined {
  const reference = source ? /mtdsg_no=([\w-]+)/i.exec(source)?.[1]?.toUpperCase() : undefined;
  return reference ? instruments.find((instrument) => instrument.depositaryReference?.toUpperCase() === reference) : undefined;
}

export interface ReviewedRow {
  row: DepositaryRow;
  match: RowMatch;
  /** The States the row could be: the candidates of an ambiguous row. */
  candidates: string[];
}

export interface PartyStatusReport {
  instrument: Instrument;
  source: string;
  asOf: string;
  table: DepositaryTable;
  rows: ReviewedRow[];
  /** Matched rows, State by State, what recording would change. */
  changes: PlannedChange[];
  /** What keeps the table from being recorded, by field (`content`, `choices.<line>`): message keys. */
  blockers: Record<string, string>;
  committed: boolean;
  /** Set when a commit was refused by the database (a conflict, a failed write): nothing was written. */
  failure?: { reason: string; conflict: boolean };
}

function assertSecretariat(context: EditContext): void {
  if (context.viewer.kind !== 'user' || context.viewer.role !== 'secretariat') throw new ForbiddenError('Only the secretariat records party status.');
}

/** The form's table read and checked; the source, date and instrument from the fields or else from the table's own lines. */
function readForm(form: PartyStatusForm, instruments: InstrumentRecord[]): { table: DepositaryTable; instrument: Instrument; source: string; asOf: string } {
  const errors: Record<string, string> = {};
  if (!form.content.trim()) errors.content = 'errors.tableRequired';
  const table = readStatusTable(form.content);
  const source = form.source ?? table.source;
  const asOf = form.asOf ?? table.asOf;
  const fromSource = instrumentOfSource(source, instruments);
  const instrument = form.instrument ?? fromSource?.code;
  if (!instrument) errors.instrument = 'errors.instrumentRequired';
  else if (!instruments.some((candidate) => candidate.code === instrument)) errors.instrument = 'errors.choice';
  else if (fromSource && fromSource.code !== instrument) errors.instrument = `errors.instrumentMismatch|${fromSource.depositaryReference}`;
  if (!source) errors.source = 'errors.sourceRequired';
  if (!asOf) errors.asOf = 'errors.asOfRequired';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { table, instrument: instrument!, source: source!, asOf: asOf! };
}

function review(form: PartyStatusForm, { states, instruments }: { states: State[]; instruments: InstrumentRecord[] }): PartyStatusReport {
  const { table, instrument, source, asOf } = readForm(form, instruments);
  const known = new Map(states.map((state) => [state.code, state]));
  const names = indexStateNames(states);
  const blockers: Record<string, string> = {};
  if (table.problems.length) blockers.content = `errors.unreadable|${table.problems.length}`;
  const rows: ReviewedRow[] = table.rows.map((row) => {
    const found = matchParticipant(row.name, names);
    const candidates = found.kind === 'ambiguous' ? found.codes : [];
    const choice = form.choices[String(row.line)];
    if (choice === undefined) return { row, match: found, candidates };
    if (choice === '') return { row, match: { kind: 'left-out' }, candidates };
    if (!known.has(choice)) {
      blockers[`choices.${row.line}`] = 'errors.choice';
      return { row, match: found, candidates };
    }
    return { row, match: { kind: 'matched', code: choice, by: found.kind === 'matched' && found.code === choice ? 'name' : 'choice' }, candidates };
  });
  const firstRowOf = new Map<string, number>();
  for (const { row, match } of rows) {
    if (match.kind !== 'matched') continue;
    const first = firstRowOf.get(match.code);
    if (first === undefined) firstRowOf.set(match.code, row.line);
    else blockers[`choices.${row.line}`] = `errors.duplicateState|${first}`;
  }
  const matched = rows.flatMap(({ row, match }) => (match.kind === 'matched' ? [{ row, code: match.code }] : []));
  const changes = planChanges(matched, known, instrument, sourceText(source, asOf));
  return { instrument, source, asOf, table, rows, changes, blockers, committed: false };
}

/** The dry run: each participant's State (or why none), what would change; nothing is written. */
export async function reviewPartyStatus(context: EditContext, form: PartyStatusForm): Promise<PartyStatusReport> {
  assertSecretariat(context);
  return review(form, await listDirectoryRecords());
}

/**
 * Records the party records of the matched rows, all or none (a write journal: a crash half-way is
 * rolled back, a failed write undoes the others), with one audit event. Refused while a line is
 * unreadable or two rows name the same State.
 */
export async function commitPartyStatus(context: EditContext, form: PartyStatusForm): Promise<PartyStatusReport> {
  assertSecretariat(context);
  const report = review(form, await listDirectoryRecords());
  if (Object.keys(report.blockers).length) throw new ValidationError(report.blockers);
  const changes: BulkChange[] = report.changes.filter((change) => change.changes).map((change) => ({ kind: 'set-party-record', state: change.code, record: change.after }));
  const audit: AuditEvent = {
    type: 'directory-record-changed',
    actorId: context.viewer.kind === 'user' ? context.viewer.id : undefined,
    actorEmail: context.email,
    ip: context.ip,
    subject: `party-status:${report.instrument}`,
    details: { action: 'party-status-loaded', instrument: report.instrument, source: report.source, asOf: report.asOf, rows: report.table.rows.length, matched: report.changes.length },
  };
  const outcome = await applyAllOrNone(context, changes, { audit });
  if (!outcome.applied) return { ...report, failure: { reason: outcome.reason, conflict: outcome.conflict } };
  return { ...report, committed: true };
}
