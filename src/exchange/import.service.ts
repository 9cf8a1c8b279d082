import { recordAuditEvent, type AuditEvent } from '../audit/audit.service';
import { applyAllOrNone, type EditContext } from '../editing/editing.service';
import { AppError, ConflictError } from '../shared/errors';
import { checkImport } from './import.check';
import type { ImportReport, ImportSource } from './import.types';

/**
 * Imports of authorities and optional sections from CSV or JSON (read in import.read.ts, mapped
 * onto editing input with the CSV's column map in columns.ts, checked in import.check.ts). A dry
 * run lists every problem by row and field; a commit writes only a file without problems, all rows
 * or none (editing's applyAllOrNone).
 */

/** Checks a file and says what it would change and every problem by row and field; writes nothing. */
export async function dryRunImport(context: EditContext, source: ImportSource): Promise<ImportReport> {
  return (await checkImport(context, source)).report;
}

/**
 * Imports a file: nothing at all when any row has a problem; otherwise every row, with one
 * revision per changed authority or section, or none if a write fails (the writes already made
 * are undone). The attempt is written to the audit log.
 */
export async function commitImport(context: EditContext, source: ImportSource): Promise<ImportReport> {
  const { report, changes } = await checkImport(context, source);
  if (report.problems.length) return report;
  const audit: AuditEvent = {
    type: 'import',
    actorId: context.viewer.kind === 'user' ? context.viewer.id : undefined,
    actorEmail: context.email,
    ip: context.ip,
    subject: [...new Set(report.planned.map((change) => change.state))].join(', '),
    details: { format: source.format, rows: report.rowCount },
  };
  let outcome: Awaited<ReturnType<typeof applyAllOrNone>>;
  try {
    // The import's journal records the audit event with its outcome, also when another process finishes it
    outcome = await applyAllOrNone(context, changes, { audit });
  } catch (error) {
    // A check that passed a moment ago refused now (rights or catalogue changed): nothing was written
    if (!(error instanceof AppError)) throw error;
    outcome = { applied: false, reason: error.message, rolledBack: true, conflict: error instanceof ConflictError };
    await recordAuditEvent({ ...audit, details: { ...audit.details, outcome: 'rolled-back' } });
  }
  if (!outcome.applied) return { ...report, failure: { reason: outcome.reason, rolledBack: outcome.rolledBack, conflict: outcome.conflict } };
  const result = { created: outcome.created.map((authority) => authority.id), updated: outcome.updated.map((authority) => authority.id), unchanged: outcome.unchanged, optionalSections: outcome.optionalSections };
  return { ...report, committed: true, result };
}
