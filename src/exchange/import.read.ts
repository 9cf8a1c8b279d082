import { parse } from 'csv-parse/sync';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../shared/json-body';
import { unprotectCell } from './columns';
import { CSV_CLEAR_MARKER, CSV_COLUMNS, CSV_EXPORT_ONLY_COLUMNS, IMPORT_MAX_ROWS, type ImportFormat } from './exchange.schema';
import type { ImportProblem, ImportSource, RawRow } from './import.types';

/** Reading an import's file: its bytes as text, its format, and its rows before any check. */

interface ReadFile {
  rows: RawRow[];
  problems: ImportProblem[];
}

const fileProblem = (message: string): ImportProblem => ({ row: 0, entity: 'file', field: '_file', message });
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

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
    // `-` alone clears its field: null, told apart from every text, `'-` (the text "-") included
    const cells = Object.fromEntries(names.map((name, index) => [name, (record[index] ?? '').trim() === CSV_CLEAR_MARKER ? null : unprotectCell(record[index] ?? '')]));
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
export function readSource(source: ImportSource): ReadFile {
  const read = source.format === 'csv' ? readCsv(source.text) : readJson(source.text);
  if (read.problems.length) return read;
  if (read.rows.length === 0) return { rows: [], problems: [fileProblem('empty')] };
  if (read.rows.length > IMPORT_MAX_ROWS) return { rows: [], problems: [fileProblem(`tooManyRows|${IMPORT_MAX_ROWS}`)] };
  return read;
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
