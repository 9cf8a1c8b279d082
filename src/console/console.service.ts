import { stringify } from 'csv-stringify/sync';
import { recordAuditEvent } from '../audit/audit.service';
import {
  deleteResource,
  findResource,
  findStateRecord,
  insertDesignationType,
  insertInstrument,
  insertResource,
  insertState,
  resourceUrlTaken,
  setDesignationTypeRetired,
  setInstrumentRetired,
  updateDesignationType,
  updateInstrument,
  updateResource,
  updateStateRecordAtVersion,
  type StateRecordFields,
} from './console.repository';
import { REGION_ORDER } from '../directory/directory.presenter';
import { announceDirectoryChange, REFERENCE_DATA_CHANGED, collatorFor, isCurrentDesignationType, listDirectoryRecords, listResources } from '../directory/directory.service';
import type { DesignationType, InstrumentRecord, PartyRecord, Resource, State, UnLanguage } from '../directory/directory.types';
import { listActivitySince } from '../editing/editing.service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import type { Viewer } from '../shared/viewer';
import { figuresByRegion, monthlySeries, SERIES_MONTHS, stateCoverage, type MonthFigures, type RegionFigures, type StateCoverage } from './console.figures';
import { monthsBefore } from '../shared/freshness';
import { reminderStatusByState, type StateReminderStatus } from '../reminders/reminders.service';
import { reportsToFollowUp } from '../reports/reports.service';
import type { DashboardTable, DesignationEditInput, DesignationInput, InstrumentEditInput, InstrumentInput, ResourceInput, StateRecordInput } from './console.schema';

/** Who acts in the console: only the secretariat (the routes check the role; the service checks again). */
export interface ConsoleContext {
  viewer: Viewer;
  email?: string;
  ip?: string;
}

/** The console is the secretariat's; anyone else is refused even if a route forgot its guard. */
function assertSecretariat(context: ConsoleContext): { id: string } {
  if (context.viewer.kind !== 'user' || context.viewer.role !== 'secretariat') throw new ForbiddenError('Only the secretariat manages the Directory.');
  return { id: context.viewer.id };
}

export interface Dashboard {
  now: Date;
  coverage: StateCoverage[];
  regions: RegionFigures[];
  months: MonthFigures[];
  designations: DesignationType[];
  /** How many States have a party record at all; 0 means every State is counted against the core set. */
  partyStatusRecorded: number;
  /** Reminders pending and unanswered, by State code (States never reminded are absent). */
  reminders: Map<string, StateReminderStatus>;
  /** Problem reports from readers waiting for an answer, and answered but not closed. */
  reports: { open: number; answered: number };
}

/** Every figure of the dashboard, computed from the directory's data and the revisions of the last SERIES_MONTHS months. */
export async function getDashboard(context: ConsoleContext, lang: UnLanguage, now = new Date()): Promise<Dashboard> {
  assertSecretariat(context);
  const { states, holdings, designations, instruments } = await listDirectoryRecords();
  // A retired type is not expected of anyone any more; the titles of all are kept for what was recorded
  const expected = designations.filter((type) => isCurrentDesignationType(type, instruments));
  const since = monthsBefore(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), SERIES_MONTHS);
  const activity = await listActivitySince(since);
  const collator = collatorFor(lang);
  const coverage = stateCoverage(states, holdings, expected, now).sort((a, b) => collator.compare(a.names[lang], b.names[lang]));
  return {
    now,
    coverage,
    regions: figuresByRegion(coverage, REGION_ORDER),
    months: monthlySeries(states, activity, now),
    designations,
    partyStatusRecorded: coverage.filter((row) => row.partyStatusRecorded).length,
    reminders: await reminderStatusByState(),
    reports: await reportsToFollowUp(),
  };
}

/** Column headings and cell values of one dashboard table, in the reader's language (`t` translates `console:` keys). */
export function dashboardTable(dashboard: Dashboard, table: DashboardTable, lang: UnLanguage, t: (key: string) => string): { header: string[]; rows: Array<Array<string | number>> } {
  const isoDay = (date: Date | undefined) => (date ? date.toISOString().slice(0, 10) : '');
  const regionName = (region: string) => (region === 'TOTAL' ? t('console:dashboard.total') : t(`region.${region}`));
  if (table === 'regions') {
    const keys = ['states', 'untocParties', 'untocPartiesWithMla', 'withMla', 'current', 'stale', 'never', 'withGaps'] as const;
    return {
      header: [t('console:columns.region'), ...keys.map((key) => t(`console:columns.${key}`))],
      rows: dashboard.regions.map((row) => [regionName(row.region), ...keys.map((key) => row[key])]),
    };
  }
  if (table === 'months') {
    return {
      header: [t('console:columns.month'), t('console:columns.updates'), t('console:columns.confirmations'), t('console:columns.currentAtEnd'), t('console:columns.currentShare')],
      rows: dashboard.months.map((month) => [month.month, month.updates, month.confirmations, month.current, `${Math.round(month.currentShare * 1000) / 10}%`]),
    };
  }
  return {
    header: ['ISO', t('console:columns.state'), t('console:columns.region'), t('console:columns.partyStatus'), t('console:columns.expected'), t('console:columns.held'), t('console:columns.missing'), t('console:columns.lastUpdated'), t('console:columns.lastConfirmed'), t('console:columns.monthsSince'), t('console:columns.currency'), t('console:columns.remindersPending'), t('console:columns.remindersUnanswered'), t('console:columns.lastReminder')],
    rows: dashboard.coverage.map((row) => [
      row.code,
      row.names[lang],
      t(`region.${row.region}`),
      row.partyStatusRecorded ? row.partyTo.join(' ') || t('console:dashboard.partyToNone') : t('console:dashboard.partyStatusNotRecorded'),
      row.expected.join(' '),
      row.held.join(' '),
      row.missing.join(' '),
      isoDay(row.lastUpdatedAt),
      isoDay(row.lastConfirmedAt),
      row.monthsSince ?? '',
      t(`console:currency.${row.currency}`),
      dashboard.reminders.get(row.code)?.pending ?? 0,
      dashboard.reminders.get(row.code)?.unanswered ?? 0,
      isoDay(dashboard.reminders.get(row.code)?.lastSentAt),
    ]),
  };
}

/** A table as CSV: UTF-8 with a byte-order mark, so spreadsheet programs read Cyrillic, Arabic and Chinese right. */
export function toCsv(table: { header: string[]; rows: Array<Array<string | number>> }): string {
  // A lone CR or LF ends a row in spreadsheets although csv-stringify leaves it unquoted.
  return stringify(table.rows, { header: true, columns: table.header, bom: true, record_delimiter: 'windows', quoted_match: /[\r\n\u0085\u2028\u2029]/ });
}

/** Records that the secretariat downloaded a table, as every export is. */
export async function recordExport(context: ConsoleContext, table: DashboardTable, rows: number): Promise<void> {
  const actor = assertSecretariat(context);
  await recordAuditEvent({ type: 'export', actorId: actor.id, actorEmail: context.email, ip: context.ip, subject: `dashboard:${table}`, details: { table, rows, format: 'csv' } });
}

// ---- Managing the Directory ---------------------------------------------------------------

/** States with their record fields, by name in the reader's language, narrowed by a code or a name. */
export async function listStateRecords(context: ConsoleContext, lang: UnLanguage, q?: string): Promise<State[]> {
  assertSecretariat(context);
  const { states } = await listDirectoryRecords();
  const needle = q?.trim().toLowerCase();
  const collator = collatorFor(lang);
  const matches = needle
    ? states.filter((state) => state.code.toLowerCase() === needle || Object.values(state.names).some((name) => name.toLowerCase().includes(needle)) || state.aliases.some((alias) => alias.toLowerCase().includes(needle)))
    : states;
  return [...matches].sort((a, b) => collator.compare(a.names[lang], b.names[lang]));
}

/** One State as stored now, for its edit form. */
export async function getStateRecord(context: ConsoleContext, code: string): Promise<State> {
  assertSecretariat(context);
  const state = await findStateRecord(code);
  if (!state) throw new NotFoundError(`No State or participant with code ${code}`);
  return state;
}

function recordFields(input: StateRecordInput): StateRecordFields {
  return { kind: input.kind, names: input.names, region: input.region, aliases: input.aliases, parties: input.parties, secondaryContacts: input.secondaryContacts };
}

const partyKey = (parties: PartyRecord[]) => JSON.stringify(parties.map((record) => [record.instrument, record.status, record.signed ?? '', record.consented ?? '', record.consentKind ?? '', record.source ?? '']));

/** Party records name instruments of the catalogue; a row for another (a form older than a retirement, a crafted one) is refused at its field. */
async function assertKnownInstruments(parties: PartyRecord[]): Promise<void> {
  const known = new Set((await listDirectoryRecords()).instruments.map((instrument) => instrument.code));
  const unknown = parties.find((record) => !known.has(record.instrument));
  if (unknown) throw new ValidationError({ [`parties.${unknown.instrument}.status`]: 'errors.unknownInstrument' });
}

/** Adds a participant (a State, or an organization such as the EU); refused at the code field when it exists. */
export async function createState(context: ConsoleContext, code: string, input: StateRecordInput): Promise<void> {
  const actor = assertSecretariat(context);
  await assertKnownInstruments(input.parties);
  if (!(await insertState(code, recordFields(input)))) throw new ValidationError({ code: 'errors.codeTaken' });
  await announceDirectoryChange(REFERENCE_DATA_CHANGED);
  await recordAuditEvent({ type: 'directory-record-changed', actorId: actor.id, actorEmail: context.email, ip: context.ip, subject: code, state: code, details: { action: 'create', parties: input.parties } });
}

/**
 * Changes a State's record if nobody saved the State since `version` (the focal points' edits raise
 * it too); party status changes are written to the audit log with their before and after.
 */
export async function updateStateRecord(context: ConsoleContext, code: string, version: number, input: StateRecordInput): Promise<State> {
  const actor = assertSecretariat(context);
  const current = await getStateRecord(context, code);
  await assertKnownInstruments(input.parties);
  const updated = await updateStateRecordAtVersion(code, version, recordFields(input));
  if (!updated) throw new ConflictError('Someone else saved this State while you were editing it. Nothing was overwritten: reload the page, check the current values, then save again.');
  await announceDirectoryChange(REFERENCE_DATA_CHANGED);
  const fields: string[] = (['kind', 'names', 'region', 'aliases', 'secondaryContacts'] as const).filter((key) => JSON.stringify(current[key] ?? []) !== JSON.stringify(updated[key] ?? []));
  const partiesChanged = partyKey(current.parties) !== partyKey(updated.parties);
  if (partiesChanged) fields.push('parties');
  if (fields.length > 0) {
    await recordAuditEvent({
      type: 'directory-record-changed',
      actorId: actor.id,
      actorEmail: context.email,
      ip: context.ip,
      subject: code,
      state: code,
      details: { action: 'update', fields, ...(partiesChanged ? { partiesBefore: current.parties, partiesAfter: updated.parties } : {}) },
    });
  }
  return updated;
}

/** The designation catalogue, in list order. */
export async function listDesignations(context: ConsoleContext): Promise<DesignationType[]> {
  assertSecretariat(context);
  return (await listDirectoryRecords()).designations;
}

export async function getDesignation(context: ConsoleContext, code: string): Promise<DesignationType> {
  const type = (await listDesignations(context)).find((candidate) => candidate.code === code);
  if (!type) throw new NotFoundError(`No designation type ${code}`);
  return type;
}

/** Records a change of the catalogue in the audit log, with what was changed. */
async function auditCatalogueChange(context: ConsoleContext, actor: { id: string }, subject: string, details: Record<string, unknown>): Promise<void> {
  await recordAuditEvent({ type: 'directory-record-changed', actorId: actor.id, actorEmail: context.email, ip: context.ip, subject, details });
}

/**
 * Adds a designation type (decision 3/2 (g)(vii)) under an instrument of the catalogue: forms,
 * search filters, the finder and the API read the catalogue, so it appears there at once.
 */
export async function createDesignation(context: ConsoleContext, input: DesignationInput): Promise<void> {
  const actor = assertSecretariat(context);
  const instrument = (await listDirectoryRecords()).instruments.find((candidate) => candidate.code === input.instrument);
  if (!instrument || instrument.retired) throw new ValidationError({ instrument: 'errors.choice' });
  if (!(await insertDesignationType({ ...input, retired: false }))) throw new ValidationError({ code: 'errors.codeTaken' });
  await announceDirectoryChange(REFERENCE_DATA_CHANGED);
  await auditCatalogueChange(context, actor, `designation:${input.code}`, { action: 'designation-added', code: input.code, instrument: input.instrument });
}

/** Changes a designation type's titles, article, role, order or expectation; its code and instrument stay. */
export async function editDesignation(context: ConsoleContext, code: string, input: DesignationEditInput): Promise<void> {
  const actor = assertSecretariat(context);
  if (!(await updateDesignationType(code, input))) throw new NotFoundError(`No designation type ${code}`);
  await announceDirectoryChange(REFERENCE_DATA_CHANGED);
  await auditCatalogueChange(context, actor, `designation:${code}`, { action: 'designation-edited', code });
}

/**
 * Retires a designation type (or brings it back): a retired type stays on the authorities that
 * hold it and in their history, but leaves the forms, the filters and the finder.
 */
export async function retireDesignation(context: ConsoleContext, code: string, retired: boolean): Promise<void> {
  const actor = assertSecretariat(context);
  if (!(await setDesignationTypeRetired(code, retired))) throw new NotFoundError(`No designation type ${code}`);
  await announceDirectoryChange(REFERENCE_DATA_CHANGED);
  await auditCatalogueChange(context, actor, `designation:${code}`, { action: retired ? 'designation-retired' : 'designation-restored', code });
}

/** The instrument catalogue in list order, retired instruments included. */
export async function listInstrumentsForEditing(context: ConsoleContext): Promise<InstrumentRecord[]> {
  assertSecretariat(context);
  return (await listDirectoryRecords()).instruments;
}

export async function getInstrument(context: ConsoleContext, code: string): Promise<InstrumentRecord> {
  const instrument = (await listInstrumentsForEditing(context)).find((candidate) => candidate.code === code);
  if (!instrument) throw new NotFoundError(`No instrument ${code}`);
  return instrument;
}

/**
 * Adds an instrument (a new convention or protocol): its designation types are then added under it,
 * and party status is recorded for it (by hand or from the depositary), with no change to the code.
 */
export async function createInstrument(context: ConsoleContext, input: InstrumentInput): Promise<void> {
  const actor = assertSecretariat(context);
  if (!(await insertInstrument({ ...input, retired: false }))) throw new ValidationError({ code: 'errors.codeTaken' });
  await announceDirectoryChange(REFERENCE_DATA_CHANGED);
  await auditCatalogueChange(context, actor, `instrument:${input.code}`, { action: 'instrument-added', instrument: input.code });
}

export async function editInstrument(context: ConsoleContext, code: string, input: InstrumentEditInput): Promise<void> {
  const actor = assertSecretariat(context);
  if (!(await updateInstrument(code, input))) throw new NotFoundError(`No instrument ${code}`);
  await announceDirectoryChange(REFERENCE_DATA_CHANGED);
  await auditCatalogueChange(context, actor, `instrument:${code}`, { action: 'instrument-edited', instrument: code });
}

/** Retires an instrument (or brings it back): it stays in party records and history; its designation types leave forms and filters. */
export async function retireInstrument(context: ConsoleContext, code: string, retired: boolean): Promise<void> {
  const actor = assertSecretariat(context);
  if (!(await setInstrumentRetired(code, retired))) throw new NotFoundError(`No instrument ${code}`);
  await announceDirectoryChange(REFERENCE_DATA_CHANGED);
  await auditCatalogueChange(context, actor, `instrument:${code}`, { action: retired ? 'instrument-retired' : 'instrument-restored', instrument: code });
}

export async function listResourcesForEditing(context: ConsoleContext, lang: UnLanguage): Promise<Resource[]> {
  assertSecretariat(context);
  return listResources(lang);
}

export async function getResource(context: ConsoleContext, id: string): Promise<Resource> {
  assertSecretariat(context);
  const resource = await findResource(id);
  if (!resource) throw new NotFoundError(`No resource with id ${id}`);
  return resource;
}

/** Adds a link to the resources page (decision 3/2 (g)(iv)); each address once. */
export async function createResource(context: ConsoleContext, input: ResourceInput): Promise<Resource> {
  assertSecretariat(context);
  if (await resourceUrlTaken(input.url)) throw new ValidationError({ url: 'errors.urlTaken' });
  const resource = await insertResource(input);
  await announceDirectoryChange(REFERENCE_DATA_CHANGED);
  return resource;
}

export async function editResource(context: ConsoleContext, id: string, input: ResourceInput): Promise<void> {
  await getResource(context, id);
  if (await resourceUrlTaken(input.url, id)) throw new ValidationError({ url: 'errors.urlTaken' });
  if (!(await updateResource(id, input))) throw new NotFoundError(`No resource with id ${id}`);
  await announceDirectoryChange(REFERENCE_DATA_CHANGED);
}

export async function removeResource(context: ConsoleContext, id: string): Promise<void> {
  assertSecretariat(context);
  if (!(await deleteResource(id))) throw new NotFoundError(`No resource with id ${id}`);
  await announceDirectoryChange(REFERENCE_DATA_CHANGED);
}
