import { listActiveFocalPoints, listActiveSecretariat } from '../accounts/user-admin.service';
import { recordAuditEvent } from '../audit/audit.service';
import { getState, listDesignationTypes, listStates, type StateDetail } from '../directory/directory.service';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { logger } from '../shared/logger';
import type { Viewer } from '../shared/viewer';
import type { UnLanguage } from '../shared/vocabulary';
import { composeReply, composeReportNotice, type ReportedEntry, type ReportMailContext } from './reports.mail';
import { assertFollowsUpAllReports, assertFollowsUpReports, assertMayMove, recipientViewer } from './reports.policy';
import { countReportsByStatus, findReport, findReports, insertReport, updateReportStatus, type ProblemReport } from './reports.repository';
import type { ReportInput, ReportStatus } from './reports.schema';

export const REPORTS_PAGE_SIZE = 25;

export interface Choice {
  value: string;
  label: string;
}

/** An authority of the State as the report form offers it: by name when the viewer may see it, else by its designations only. */
function authorityChoices(state: StateDetail, designationTitle: (code: string) => string): Choice[] {
  return state.authorities.map((authority) => ({
    value: authority.id,
    label: authority.restricted ? authority.designations.map(designationTitle).join('; ') : authority.name.original === authority.name.en ? authority.name.en : `${authority.name.original} (${authority.name.en})`,
  }));
}

async function stateFor(viewer: Viewer, code: string, lang: UnLanguage): Promise<StateDetail> {
  try {
    return await getState(viewer, code, lang);
  } catch (error) {
    if (error instanceof NotFoundError) throw new ValidationError({ state: 'errors.stateUnknown' });
    throw error;
  }
}

export interface ReportFormOptions {
  /** Every State, for a report made without one chosen. */
  states: Choice[];
  /** The chosen State's authorities, as the viewer may know them. */
  authorities: Choice[];
  stateName?: string;
}

/**
 * What the report form offers this viewer: the States, and the chosen State's authorities named
 * only as the viewer may see them (a restricted State's by their designations), so the form
 * reveals nothing its State page does not.
 */
export async function reportFormOptions(viewer: Viewer, stateCode: string | undefined, lang: UnLanguage): Promise<ReportFormOptions> {
  const states = (await listStates({}, lang)).map((state) => ({ value: state.code, label: state.name }));
  const chosen = stateCode ? states.find((state) => state.value === stateCode) : undefined;
  if (!chosen) return { states, authorities: [] };
  const titles = new Map((await listDesignationTypes()).map((type) => [type.code, type.titles[lang]]));
  const state = await getState(viewer, chosen.value, lang);
  return { states, authorities: authorityChoices(state, (code) => titles.get(code) ?? code), stateName: state.name };
}

/** The State's name and the authority's, as the report's followers (who may see the State's details) read them. */
async function reportedEntry(report: Pick<ProblemReport, 'state' | 'authority'>, lang: UnLanguage): Promise<ReportedEntry> {
  const state = await getState(recipientViewer(report.state), report.state, lang);
  const authority = report.authority ? state.authorities.find((candidate) => candidate.id === report.authority) : undefined;
  const authorityName = authority && !authority.restricted ? (authority.name.original === authority.name.en ? authority.name.en : `${authority.name.original} (${authority.name.en})`) : undefined;
  return { stateName: state.name, authorityName };
}

/**
 * Records a reader's report (no account needed) and tells the State's active focal points and the
 * secretariat, each in their own language with a link to it in their part of the console. The
 * report is kept whatever the mail server says; a mail that fails is only logged.
 */
export async function submitReport(viewer: Viewer, input: ReportInput, language: UnLanguage, mail: ReportMailContext, now = new Date()): Promise<ProblemReport> {
  const state = await stateFor(viewer, input.state, language);
  if (input.authority && !state.authorities.some((authority) => authority.id === input.authority)) throw new ValidationError({ authority: 'errors.authorityUnknown' });
  const report = await insertReport({ state: state.code, authority: input.authority, kind: input.kind, field: input.field, description: input.description, email: input.email, language }, now);

  const focalPoints = (await listActiveFocalPoints()).filter((user) => user.states.includes(state.code));
  const recipients = new Map<string, { email: string; language: UnLanguage; consolePath: string }>();
  for (const user of await listActiveSecretariat()) recipients.set(user.email, { email: user.email, language: user.language, consolePath: `/admin/reports/${report.id}` });
  for (const user of focalPoints) if (!recipients.has(user.email)) recipients.set(user.email, { email: user.email, language: user.language, consolePath: `/states/${state.code}/reports/${report.id}` });
  const entries = new Map<UnLanguage, ReportedEntry>();
  for (const recipient of recipients.values()) {
    const entry = entries.get(recipient.language) ?? (await reportedEntry(report, recipient.language));
    entries.set(recipient.language, entry);
    await mail.mailer.send(composeReportNotice(mail, report, entry, recipient)).catch((error: unknown) => logger.error({ err: error, report: report.id }, 'a problem report could not be sent to one of its followers'));
  }
  return report;
}

export interface ReportListing {
  items: ProblemReport[];
  total: number;
  page: number;
  pages: number;
}

/**
 * One page of reports, newest first: of one State for its followers (`state` given), or of every
 * State for the secretariat. A page past the last shows the last.
 */
export async function listReports(viewer: Viewer, filter: { state?: string; status?: ReportStatus; allStates: boolean }, requestedPage = 1): Promise<ReportListing> {
  if (filter.allStates) assertFollowsUpAllReports(viewer);
  else if (filter.state) assertFollowsUpReports(viewer, filter.state);
  else throw new NotFoundError('No such State');
  const query = { ...(filter.state ? { states: [filter.state] } : {}), ...(filter.status ? { status: filter.status } : {}) };
  let page = requestedPage;
  let found = await findReports(query, { skip: (page - 1) * REPORTS_PAGE_SIZE, limit: REPORTS_PAGE_SIZE });
  const pages = Math.ceil(found.total / REPORTS_PAGE_SIZE);
  if (pages > 0 && page > pages) {
    page = pages;
    found = await findReports(query, { skip: (page - 1) * REPORTS_PAGE_SIZE, limit: REPORTS_PAGE_SIZE });
  }
  return { items: found.items, total: found.total, page, pages };
}

/** One report, for those who follow up its State; reached under another State's address it does not exist. */
export async function getReport(viewer: Viewer, id: string, underState?: string): Promise<ProblemReport & ReportedEntry> {
  const report = await findReport(id);
  if (!report || (underState !== undefined && report.state !== underState)) throw new NotFoundError('No such report');
  assertFollowsUpReports(viewer, report.state);
  return { ...report, ...(await reportedEntry(report, report.language)) };
}

export interface FollowUpContext {
  viewer: Viewer;
  email?: string;
  ip?: string;
}

/**
 * Moves a report on (open → answered → closed) with an optional reply note, audited; the note is
 * e-mailed to the reporter when they left an address, in the language they reported in.
 */
export async function changeReportStatus(
  context: FollowUpContext,
  id: string,
  change: { status: ReportStatus; note?: string },
  mail: ReportMailContext,
  underState?: string,
  now = new Date(),
): Promise<ProblemReport> {
  const report = await findReport(id);
  if (!report || (underState !== undefined && report.state !== underState)) throw new NotFoundError('No such report');
  assertFollowsUpReports(context.viewer, report.state);
  assertMayMove(report.status, change.status);
  const actorId = context.viewer.kind === 'user' ? context.viewer.id : 'anonymous';
  const step = { status: change.status, note: change.note, byId: actorId, byEmail: context.email, at: now };
  if (!(await updateReportStatus(report.id, report.status, step))) throw new ConflictError('errors.changedMeanwhile');
  await recordAuditEvent(
    {
      type: 'problem-report-status-changed',
      actorId,
      actorEmail: context.email,
      subject: report.id,
      state: report.state,
      ip: context.ip,
      details: { state: report.state, statusBefore: report.status, statusAfter: change.status, ...(change.note ? { note: change.note } : {}) },
    },
    now,
  );
  if (change.note && report.email) {
    const entry = await reportedEntry(report, report.language);
    await mail.mailer.send(composeReply({ ...report, email: report.email }, entry, change.note)).catch((error: unknown) => logger.error({ err: error, report: report.id }, 'the reply to a problem report could not be sent'));
  }
  return { ...report, status: change.status, updatedAt: now, steps: [...report.steps, step] };
}

/** How many problem reports wait for an answer, and how many were answered but not closed: the secretariat's dashboard figure. */
export async function reportsToFollowUp(): Promise<{ open: number; answered: number }> {
  const { open, answered } = await countReportsByStatus();
  return { open, answered };
}
