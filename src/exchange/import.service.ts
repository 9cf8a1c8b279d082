import { parse } from 'csv-parse/sync';
import { recordAuditEvent, type AuditEvent } from '../audit/audit.service';
import { listDesignationTypes } from '../directory/directory.service';
import type { Authority, State } from '../directory/directory.types';
import { authorityInput, optionalSectionInput, parseEditingInput, type AuthorityInput, type OptionalSectionInput } from '../editing/editing.schema';
import { applyAllOrNone, checkAuthorityEditable, checkStateEditable, type BulkChange, type EditContext } from '../editing/editing.service';
import { AppError, ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../shared/errors';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../shared/json-body';
import {
  ADDRESS_LINE_COLUMNS,
  CSV_COLUMNS,
  CSV_EXPORT_ONLY_COLUMNS,
  IMPORT_MAX_ROWS,
  JSON_AUTHORITY_META_KEYS,
  cellList,
  type CsvColumn,
  type ImportFormat,
} from './exchange.schema';
import { isObjectId } from '../shared/vocabulary';

/**
 * Imports of authorities and optional sections from CSV or JSON. Every row is checked with the
 * editing component's schemas and policy first; a dry run lists every problem by row and field;
 * a commit writes only a file without problems, all rows or none (editing's applyAllOrNone).
 * Messages are keys: the editing component's (`email`, `phone`, ...) or this component's
 * (`stateNotYours|DEU`, see EXCHANGE_MESSAGE_KEYS), turned into words by the routes.
 */

export interface ImportSource {
  text: string;
  format: ImportFormat;
}

export type ImportEntity = 'file' | 'authority' | 'optional-section';

export interface ImportProblem {
  /** CSV: the row as a spreadsheet numbers it (the header is row 1); JSON: the entry's position in its list, from 1; 0 for the whole file. */
  row: number;
  entity: ImportEntity;
  /** The CSV column or the JSON field path; `_file` or `_row` for the whole file or row. */
  field: string;
  message: string;
}

export interface PlannedChange {
  row: number;
  entity: Exclude<ImportEntity, 'file'>;
  action: 'create' | 'update';
  state: string;
  id?: string;
  name?: string;
}

export interface ImportReport {
  format: ImportFormat;
  rowCount: number;
  problems: ImportProblem[];
  planned: PlannedChange[];
  committed: boolean;
  result?: { created: string[]; updated: string[]; unchanged: string[]; optionalSections: string[] };
  failure?: { reason: string; rolledBack: boolean; conflict: boolean };
}

/** Message keys of this component (the others are the editing component's `editing:invalid.*`). */
export const EXCHANGE_MESSAGE_KEYS = [
  'encoding',
  'empty',
  'tooManyRows',
  'csvSyntax',
  'jsonSyntax',
  'jsonTooDeep',
  'jsonShape',
  'unknownColumn',
  'missingColumn',
  'duplicateColumn',
  'stateCode',
  'stateUnknown',
  'stateNotYours',
  'stateDuplicate',
  'idInvalid',
  'idUnknown',
  'idOtherState',
  'idDuplicate',
  'versionStale',
  'tooLarge',
] as const;

// ---- Reading the file ---------------------------------------------------------------------------

/** A row as read from the file, before any check: where it goes, and the fields it gives. */
interface RawRow {
  row: number;
  entity: Exclude<ImportEntity, 'file'>;
  state: unknown;
  id?: unknown;
  version?: unknown;
  /** JSON: the entry's fields; CSV: the cells by column. */
  cells: Record<string, unknown>;
  /** CSV only: the columns of the header, so a column left out keeps the stored value. */
  columns?: Set<string>;
}

interface ReadFile {
  rows: RawRow[];
  problems: ImportProblem[];
}

const fileProblem = (message: string): ImportProblem => ({ row: 0, entity: 'file', field: '_file', message });
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Spreadsheets run a cell starting with = + - @ as a formula, so the export prefixes such cells with ' (see export.service); the import takes it off. */
const unprotect = (cell: string): string => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

function readCsv(text: string): ReadFile {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, info: true, relax_quotes: false }) as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return { rows: [], problems: [fileProblem(`csvSyntax|${line ?? '?'}`)] };
  }
  const [header, ...data] = records;
  if (!header) return { rows: [], problems: [fileProblem('empty')] };
  const names = header.record.map((name) => name.trim().toLowerCase());
  const problems: ImportProblem[] = [];
  const known = new Set<string>([...CSV_COLUMNS, ...CSV_EXPORT_ONLY_COLUMNS]);
  names.forEach((name, index) => {
    if (!known.has(name)) problems.push(fileProblem(`unknownColumn|${name || `#${index + 1}`}`));
    else if (names.indexOf(name) !== index) problems.push(fileProblem(`duplicateColumn|${name}`));
  });
  if (!names.includes('state')) problems.push(fileProblem('missingColumn|state'));
  if (problems.length) return { rows: [], problems };
  const columns = new Set(names.filter((name) => (CSV_COLUMNS as readonly string[]).includes(name)));
  const rows = data.map(({ record, info }): RawRow => {
    const cells = Object.fromEntries(names.map((name, index) => [name, unprotect(record[index] ?? '')]));
    return { row: info.lines, entity: 'authority', state: cells.state, id: cells.id || undefined, cells, columns };
  });
  return { rows, problems: [] };
}

function readJson(text: string): ReadFile {
  // Rows are walked by recursive code (blank-row detection, validation): refuse what would overflow it.
  if (jsonNestsDeeperThan(text)) return { rows: [], problems: [fileProblem(`jsonTooDeep|${MAX_JSON_DEPTH}`)] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { rows: [], problems: [fileProblem('jsonSyntax')] };
  }
  let authorities: unknown = [];
  let sections: unknown = [];
  if (Array.isArray(data)) authorities = data;
  else if (isPlainObject(data) && Object.keys(data).every((key) => key === 'authorities' || key === 'optionalSections')) {
    authorities = data.authorities ?? [];
    sections = data.optionalSections ?? [];
  } else return { rows: [], problems: [fileProblem('jsonShape')] };
  if (!Array.isArray(authorities) || !Array.isArray(sections)) return { rows: [], problems: [fileProblem('jsonShape')] };
  const entry = (entity: RawRow['entity']) => (value: unknown, index: number): RawRow => {
    const cells = isPlainObject(value) ? value : {};
    return { row: index + 1, entity, state: isPlainObject(value) ? cells.state : undefined, id: cells.id, version: cells.version, cells: isPlainObject(value) ? cells : { _notObject: true } };
  };
  return { rows: [...authorities.map(entry('authority')), ...sections.map(entry('optional-section'))], problems: [] };
}

/** The file's rows, or the problems that stop it being read at all. */
function readSource(source: ImportSource): ReadFile {
  const read = source.format === 'csv' ? readCsv(source.text) : readJson(source.text);
  if (read.problems.length) return read;
  if (read.rows.length === 0) return { rows: [], problems: [fileProblem('empty')] };
  if (read.rows.length > IMPORT_MAX_ROWS) return { rows: [], problems: [fileProblem(`tooManyRows|${IMPORT_MAX_ROWS}`)] };
  return read;
}

// ---- From rows to editing input ---------------------------------------------------------------

/** An authority's editable fields as the editing schema reads them, to which a row's changes are applied. */
function inputOf(authority: Authority): Record<string, unknown> {
  const { designations, name, kind, address, phones, fax, emails, website, officeHours, languages, channels, urgent, contact247, contactPersons, notes } = authority;
  return JSON.parse(
    JSON.stringify({ designations, name, kind, address: { lines: address.lines, city: address.city, postalCode: address.postalCode }, phones, fax, emails, website, officeHours, languages, channels, urgent, contact247, contactPersons, notes }),
  ) as Record<string, unknown>;
}

/** Numbers of a cell as phone rows; a number already stored keeps its label, which the CSV has no column for. */
const phonesOf = (cell: string, stored: unknown) => {
  const labels = new Map((Array.isArray(stored) ? stored : []).filter(isPlainObject).map((phone) => [String(phone.number), phone.label]));
  return cellList(cell).map((number) => {
    const label = labels.get(number.replace(/[\s().\u00a0-]/g, ''));
    return label === undefined ? { number } : { number, label };
  });
};

/** A CSV row as editing input: the stored values (for an update), with every column of the header applied. */
function csvInput(row: RawRow, stored: Record<string, unknown> | undefined): Record<string, unknown> {
  const has = (column: CsvColumn) => row.columns?.has(column) ?? false;
  const cell = (column: CsvColumn) => String(row.cells[column] ?? '');
  const input: Record<string, unknown> = { ...(stored ?? {}) };
  const before = (key: string) => (isPlainObject(input[key]) ? (input[key] as Record<string, unknown>) : {});
  if (has('designations')) input.designations = cellList(cell('designations'));
  if (has('name_original') || has('name_language') || has('name_en')) {
    const name = before('name');
    input.name = {
      original: has('name_original') ? cell('name_original') : name.original,
      originalLanguage: has('name_language') ? cell('name_language') : name.originalLanguage,
      en: has('name_en') ? cell('name_en') : name.en,
    };
  }
  if (has('kind')) input.kind = cell('kind') || undefined;
  if (ADDRESS_LINE_COLUMNS.some(has) || has('city') || has('postal_code')) {
    const address = before('address');
    input.address = {
      lines: ADDRESS_LINE_COLUMNS.some(has) ? ADDRESS_LINE_COLUMNS.map((column) => (has(column) ? cell(column) : '')).filter(Boolean) : (address.lines ?? []),
      city: has('city') ? cell('city') : address.city,
      postalCode: has('postal_code') ? cell('postal_code') : address.postalCode,
    };
  }
  if (has('phones')) input.phones = phonesOf(cell('phones'), input.phones);
  if (has('fax')) input.fax = phonesOf(cell('fax'), input.fax);
  for (const column of ['emails', 'languages', 'channels'] as const) if (has(column)) input[column] = cellList(cell(column));
  if (has('website')) input.website = cell('website');
  if (has('notes')) input.notes = cell('notes');
  if (has('urgent_accepted') || has('urgent_means') || has('urgent_notes')) {
    const urgent = before('urgent');
    input.urgent = {
      accepted: has('urgent_accepted') ? cell('urgent_accepted').toLowerCase() : urgent.accepted,
      means: has('urgent_means') ? cellList(cell('urgent_means')) : (urgent.means ?? []),
      notes: has('urgent_notes') ? cell('urgent_notes') : urgent.notes,
    };
  }
  return input;
}

/** A JSON entry as editing input: the stored values (for an update), with every field the entry gives replacing them. */
function jsonInput(row: RawRow, stored: Record<string, unknown> | undefined): Record<string, unknown> {
  const given = Object.fromEntries(Object.entries(row.cells).filter(([key]) => !(JSON_AUTHORITY_META_KEYS as readonly string[]).includes(key)));
  return { ...(stored ?? {}), ...given };
}

/** Where an editing field path is in a CSV file: its column. */
const CSV_COLUMN_OF: Record<string, CsvColumn> = {
  name: 'name_original',
  'name.original': 'name_original',
  'name.originalLanguage': 'name_language',
  'name.en': 'name_en',
  address: 'city',
  'address.lines': 'address_line_1',
  'address.city': 'city',
  'address.postalCode': 'postal_code',
  urgent: 'urgent_accepted',
  'urgent.accepted': 'urgent_accepted',
  'urgent.means': 'urgent_means',
  'urgent.notes': 'urgent_notes',
};

function csvField(path: string): string {
  if (CSV_COLUMN_OF[path]) return CSV_COLUMN_OF[path];
  const first = path.split('.')[0] ?? path;
  return (CSV_COLUMNS as readonly string[]).includes(first) ? first : path;
}

// ---- Checking -----------------------------------------------------------------------------------

interface Checked {
  report: ImportReport;
  changes: BulkChange[];
}

/** The policy's refusal of a State as a row's message. */
function stateRefusal(error: unknown, code: string): string {
  if (error instanceof NotFoundError) return `stateUnknown|${code}`;
  if (error instanceof ForbiddenError || error instanceof UnauthorizedError) return `stateNotYours|${code}`;
  throw error;
}

/** Checks every row of the file against the schemas, the catalogue and the policy, without writing. */
async function check(context: EditContext, source: ImportSource): Promise<Checked> {
  const read = readSource(source);
  const report: ImportReport = { format: source.format, rowCount: read.rows.length, problems: [...read.problems], planned: [], committed: false };
  const changes: BulkChange[] = [];
  const designations = new Set((await listDesignationTypes()).map((type) => type.code));
  const states = new Map<string, State | string>();
  const seenIds = new Set<string>();
  const seenSections = new Set<string>();

  const editableState = async (code: string): Promise<State | string> => {
    if (!states.has(code)) {
      try {
        states.set(code, await checkStateEditable(context, code));
      } catch (error) {
        states.set(code, stateRefusal(error, code));
      }
    }
    return states.get(code)!;
  };

  for (const row of read.rows) {
    const problems: Record<string, string> = {};
    const field = (path: string) => (source.format === 'csv' ? csvField(path) : path);
    if (row.cells._notObject) {
      report.problems.push({ row: row.row, entity: row.entity, field: '_row', message: 'jsonObject' });
      continue;
    }

    // The State: known, and one the importer may edit (a focal point's own)
    const code = typeof row.state === 'string' ? row.state.trim().toUpperCase() : '';
    let state: State | undefined;
    if (!/^[A-Z]{3}$/.test(code)) problems.state = code ? 'stateCode' : 'required';
    else {
      const found = await editableState(code);
      if (typeof found === 'string') problems.state = found;
      else state = found;
    }

    if (row.entity === 'optional-section') {
      if (state && seenSections.has(state.code)) problems.state = `stateDuplicate|${state.code}`;
      if (state) seenSections.add(state.code);
      if (row.version !== undefined && state && Number(row.version) !== state.version) problems.version = `versionStale|${state.version}`;
      const { state: _state, version: _version, ...fields } = row.cells;
      let input: OptionalSectionInput | undefined;
      try {
        input = parseEditingInput(optionalSectionInput, fields);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        for (const [path, message] of Object.entries(error.fields ?? {})) problems[path] ??= message;
      }
      pushProblems(report, row, problems);
      if (!Object.keys(problems).length && state && input) {
        changes.push({ kind: 'update-optional', state: state.code, version: state.version, input });
        report.planned.push({ row: row.row, entity: 'optional-section', action: 'update', state: state.code });
      }
      continue;
    }

    // An authority: an id updates that authority of the row's State, none creates one
    let stored: Authority | undefined;
    const id = typeof row.id === 'string' ? row.id.trim() : row.id === undefined || row.id === null ? '' : String(row.id);
    if (id) {
      if (!isObjectId(id)) problems.id = 'idInvalid';
      else if (seenIds.has(id)) problems.id = 'idDuplicate';
      else {
        seenIds.add(id);
        try {
          stored = await checkAuthorityEditable(context, id);
          if (code && stored.state !== code) {
            problems.id = 'idOtherState';
            stored = undefined;
          }
        } catch (error) {
          if (error instanceof ForbiddenError) problems.id = 'idOtherState';
          else if (error instanceof NotFoundError || error instanceof ConflictError) problems.id = 'idUnknown';
          else throw error;
        }
      }
      if (stored && row.version !== undefined && Number(row.version) !== stored.version) problems.version = `versionStale|${stored.version}`;
    }

    const base = stored ? inputOf(stored) : undefined;
    const raw = source.format === 'csv' ? csvInput(row, base) : jsonInput(row, base);
    let input: AuthorityInput | undefined;
    try {
      input = parseEditingInput(authorityInput, raw);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const [path, message] of Object.entries(error.fields ?? {})) problems[field(path)] ??= message;
    }
    const codes = input?.designations ?? (Array.isArray(raw.designations) ? raw.designations.filter((value): value is string => typeof value === 'string') : []);
    const unknown = codes.find((designation) => !designations.has(designation));
    if (unknown !== undefined) problems[field('designations')] ??= `designationUnknown|${unknown}`;

    pushProblems(report, row, problems);
    if (Object.keys(problems).length || !state || !input) continue;
    const name = input.name.en;
    if (stored) {
      changes.push({ kind: 'update-authority', id: stored.id, version: stored.version, input });
      report.planned.push({ row: row.row, entity: 'authority', action: 'update', state: state.code, id: stored.id, name });
    } else {
      changes.push({ kind: 'create-authority', state: state.code, input });
      report.planned.push({ row: row.row, entity: 'authority', action: 'create', state: state.code, name });
    }
  }
  return { report, changes };
}

function pushProblems(report: ImportReport, row: RawRow, problems: Record<string, string>): void {
  for (const [field, message] of Object.entries(problems)) report.problems.push({ row: row.row, entity: row.entity, field, message });
}

// ---- Use cases ----------------------------------------------------------------------------------

/** Checks a file and says what it would change and every problem by row and field; writes nothing. */
export async function dryRunImport(context: EditContext, source: ImportSource): Promise<ImportReport> {
  return (await check(context, source)).report;
}

/**
 * Imports a file: nothing at all when any row has a problem; otherwise every row, with one
 * revision per changed authority or section, or none if a write fails (the writes already made
 * are undone). The attempt is written to the audit log.
 */
export async function commitImport(context: EditContext, source: ImportSource): Promise<ImportReport> {
  const { report, changes } = await check(context, source);
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

/** The format a file is in: the one chosen, else its name's extension, else its first character. */
export function guessFormat(chosen: 'auto' | ImportFormat, fileName: string | undefined, text: string): ImportFormat {
  if (chosen !== 'auto') return chosen;
  const extension = fileName?.toLowerCase().match(/\.(csv|json)$/)?.[1];
  if (extension === 'csv' || extension === 'json') return extension;
  return /^\uFEFF?\s*[[{]/.test(text) ? 'json' : 'csv';
}

/** A file's bytes as text: UTF-8 only (with or without a BOM); undefined when they are not. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}
