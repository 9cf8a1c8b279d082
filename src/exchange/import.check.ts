import type { z } from 'zod';
import { listDesignationTypes } from '../directory/directory.service';
import type { Authority, State } from '../directory/directory.types';
import { authorityInputFor, optionalSectionInput, parseEditingInput, type AuthorityInput, type OptionalSectionInput } from '../editing/editing.schema';
import { checkAuthorityEditable, checkStateEditable, type BulkChange, type EditContext } from '../editing/editing.service';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../shared/errors';
import { isObjectId } from '../shared/vocabulary';
import { csvField } from './columns';
import { cellCleared, inputOf, rowInput } from './import.map';
import { readSource } from './import.read';
import type { ImportReport, ImportSource, RawRow } from './import.types';

/**
 * Checking an import without writing: every row against the editing component's schemas, the
 * catalogue and the editing policy. What passes becomes a planned change; what does not, a problem
 * at its row and field.
 */

export interface Checked {
  report: ImportReport;
  changes: BulkChange[];
}

/** What the rows checked so far have found: the file's report, its changes, and what a later row must not repeat. */
interface Check {
  context: EditContext;
  source: ImportSource;
  designations: Set<string>;
  /** The States met so far: editable (the State), or refused (the message). */
  states: Map<string, State | string>;
  seenIds: Set<string>;
  seenSections: Set<string>;
  report: ImportReport;
  changes: BulkChange[];
}

/** A row's problems, by field. */
type Problems = Record<string, string>;

/** The policy's refusal of a State as a row's message. */
function stateRefusal(error: unknown, code: string): string {
  if (error instanceof NotFoundError) return `stateUnknown|${code}`;
  if (error instanceof ForbiddenError || error instanceof UnauthorizedError) return `stateNotYours|${code}`;
  throw error;
}

/** The State, or why the importer may not edit it; asked once per State of the file. */
async function editableState(check: Check, code: string): Promise<State | string> {
  if (!check.states.has(code)) {
    try {
      check.states.set(code, await checkStateEditable(check.context, code));
    } catch (error) {
      check.states.set(code, stateRefusal(error, code));
    }
  }
  return check.states.get(code)!;
}

/** The row's State: known, and one the importer may edit (a focal point's own). */
async function rowState(check: Check, row: RawRow, problems: Problems): Promise<{ code: string; state?: State }> {
  const code = typeof row.state === 'string' ? row.state.trim().toUpperCase() : '';
  if (!/^[A-Z]{3}$/.test(code)) {
    problems.state = code ? 'stateCode' : 'required';
    return { code };
  }
  const found = await editableState(check, code);
  if (typeof found === 'string') {
    problems.state = found;
    return { code };
  }
  return { code, state: found };
}

/** Parses with an editing schema, the refusal's messages going to the row's problems at `field(path)`. */
function parsed<S extends z.ZodType>(schema: S, raw: unknown, problems: Problems, field: (path: string) => string = (path) => path): z.output<S> | undefined {
  try {
    return parseEditingInput(schema, raw);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    for (const [path, message] of Object.entries(error.fields ?? {})) problems[field(path)] ??= message;
    return undefined;
  }
}

function pushProblems(report: ImportReport, row: RawRow, problems: Problems): void {
  for (const [field, message] of Object.entries(problems)) report.problems.push({ row: row.row, entity: row.entity, field, message });
}

/** A JSON entry of `optionalSections`: each State's once, at the version the file was made from. */
function checkOptionalSection(check: Check, row: RawRow, state: State | undefined, problems: Problems): void {
  if (state && check.seenSections.has(state.code)) problems.state = `stateDuplicate|${state.code}`;
  if (state) check.seenSections.add(state.code);
  if (row.version !== undefined && state && Number(row.version) !== state.version) problems.version = `versionStale|${state.version}`;
  const { state: _state, version: _version, ...fields } = row.cells;
  const input: OptionalSectionInput | undefined = parsed(optionalSectionInput, fields, problems);
  pushProblems(check.report, row, problems);
  if (!Object.keys(problems).length && state && input) {
    check.changes.push({ kind: 'update-optional', state: state.code, version: state.version, input });
    check.report.planned.push({ row: row.row, entity: 'optional-section', action: 'update', state: state.code });
  }
}

/** The authority a row with an `id` updates: one of the row's State, named once in the file, at the version the file was made from. */
async function storedAuthority(check: Check, row: RawRow, code: string, problems: Problems): Promise<Authority | undefined> {
  const id = typeof row.id === 'string' ? row.id.trim() : row.id === undefined || row.id === null ? '' : String(row.id);
  if (!id) return undefined;
  let stored: Authority | undefined;
  if (!isObjectId(id)) problems.id = 'idInvalid';
  else if (check.seenIds.has(id)) problems.id = 'idDuplicate';
  else {
    check.seenIds.add(id);
    try {
      stored = await checkAuthorityEditable(check.context, id);
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
  return stored;
}

/** A CSV field left without the value it needs, said as what was done to its cell: left empty (nothing stored to keep), or cleared with the marker. */
function nameEmptyCells(row: RawRow, problems: Problems): void {
  for (const [column, message] of Object.entries(problems)) {
    if (message === 'required' || message === 'requiredOne') problems[column] = cellCleared(row, column) ? 'cellCleared' : 'cellEmpty';
  }
}

/** An authority's row: an id updates that authority of the row's State, none creates one. */
async function checkAuthority(check: Check, row: RawRow, code: string, state: State | undefined, problems: Problems): Promise<void> {
  const field = (path: string) => (check.source.format === 'csv' ? csvField(path) : path);
  const stored = await storedAuthority(check, row, code, problems);
  const raw = rowInput(check.source.format, row, stored ? inputOf(stored) : undefined);
  const input: AuthorityInput | undefined = parsed(authorityInputFor({ region: state?.iso2 }), raw, problems, field);
  if (check.source.format === 'csv') nameEmptyCells(row, problems);
  const codes = input?.designations ?? (Array.isArray(raw.designations) ? raw.designations.filter((value): value is string => typeof value === 'string') : []);
  const unknown = codes.find((designation) => !check.designations.has(designation));
  if (unknown !== undefined) problems[field('designations')] ??= `designationUnknown|${unknown}`;

  pushProblems(check.report, row, problems);
  if (Object.keys(problems).length || !state || !input) return;
  const name = input.name.en;
  if (stored) {
    check.changes.push({ kind: 'update-authority', id: stored.id, version: stored.version, input });
    check.report.planned.push({ row: row.row, entity: 'authority', action: 'update', state: state.code, id: stored.id, name });
  } else {
    check.changes.push({ kind: 'create-authority', state: state.code, input });
    check.report.planned.push({ row: row.row, entity: 'authority', action: 'create', state: state.code, name });
  }
}

/** Checks every row of the file against the schemas, the catalogue and the policy, without writing. */
export async function checkImport(context: EditContext, source: ImportSource): Promise<Checked> {
  const read = readSource(source);
  const check: Check = {
    context,
    source,
    designations: new Set((await listDesignationTypes()).map((type) => type.code)),
    states: new Map(),
    seenIds: new Set(),
    seenSections: new Set(),
    report: { format: source.format, rowCount: read.rows.length, problems: [...read.problems], planned: [], committed: false },
    changes: [],
  };
  for (const row of read.rows) {
    if (row.cells._notObject) {
      check.report.problems.push({ row: row.row, entity: row.entity, field: '_row', message: 'jsonObject' });
      continue;
    }
    const problems: Problems = {};
    const { code, state } = await rowState(check, row, problems);
    if (row.entity === 'optional-section') checkOptionalSection(check, row, state, problems);
    else await checkAuthority(check, row, code, state, problems);
  }
  return { report: check.report, changes: check.changes };
}
