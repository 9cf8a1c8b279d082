import { ForbiddenError, UnauthorizedError, ValidationError } from '../shared/errors';
import type { Viewer } from '../shared/viewer';
import { REPORT_STATUSES, type ReportStatus } from './reports.schema';

/**
 * Reports about a State are followed up by those who keep its entry: its own focal points, and the
 * secretariat for every State. A focal point of another State never sees them.
 */
export function canFollowUpReports(viewer: Viewer, stateCode: string): boolean {
  if (viewer.kind === 'anonymous') return false;
  if (viewer.role === 'secretariat') return true;
  return viewer.role === 'focal-point' && viewer.states.includes(stateCode);
}

/** Throws unless the viewer follows up the State's reports: 401 for anonymous, 403 for anyone else. */
export function assertFollowsUpReports(viewer: Viewer, stateCode: string): void {
  if (viewer.kind === 'anonymous') throw new UnauthorizedError('Sign in to follow up reports.');
  if (!canFollowUpReports(viewer, stateCode)) throw new ForbiddenError(`You may not follow up the reports about ${stateCode}.`);
}

/** Throws unless the viewer follows up every State's reports (the secretariat's list of all). */
export function assertFollowsUpAllReports(viewer: Viewer): void {
  if (viewer.kind === 'anonymous') throw new UnauthorizedError('Sign in to follow up reports.');
  if (viewer.role !== 'secretariat') throw new ForbiddenError('Only the secretariat sees every State’s reports.');
}

/** The statuses a report may move on to: only forwards (open → answered → closed), never back. */
export function nextStatuses(current: ReportStatus): ReportStatus[] {
  return REPORT_STATUSES.slice(REPORT_STATUSES.indexOf(current) + 1);
}

export function assertMayMove(current: ReportStatus, to: ReportStatus): void {
  if (!nextStatuses(current).includes(to)) throw new ValidationError({ status: 'errors.statusNotNext' });
}

/**
 * Whom the report's e-mail reads the entry as: a focal point of that one State, since everyone it
 * goes to (the State's focal points, the secretariat) may see that State's details.
 */
export function recipientViewer(stateCode: string): Viewer {
  return { kind: 'user', id: `report-mail:${stateCode}`, role: 'focal-point', states: [stateCode] };
}
