import { AUTHORITY_FIELD_NAMES, type Authority } from '../directory/directory.types';
import { authorityFromCells } from './columns';
import { JSON_AUTHORITY_META_KEYS, type CsvColumn, type ImportFormat } from './exchange.schema';
import type { RawRow } from './import.types';

/** From an import's rows to editing input: the stored authority (for an update) with the row's fields over it. */

/** An authority's editable fields as the editing schema reads them, to which a row's changes are applied. */
export function inputOf(authority: Authority): Record<string, unknown> {
  const fields: Record<string, unknown> = Object.fromEntries(AUTHORITY_FIELD_NAMES.map((name) => [name, authority[name]]));
  // the country is the State's own, never an input
  fields.address = { lines: authority.address.lines, city: authority.address.city, postalCode: authority.address.postalCode };
  return JSON.parse(JSON.stringify(fields)) as Record<string, unknown>;
}

/** Whether a CSV cell changes its field: it clears it (null) or holds text; an empty cell keeps the stored value. */
const cellGiven = (row: RawRow, column: CsvColumn): boolean => (row.columns?.has(column) ?? false) && (row.cells[column] === null || String(row.cells[column] ?? '').trim() !== '');

/** A CSV row as editing input: the stored values (for an update), with every cell of the row that is not empty applied. */
function csvInput(row: RawRow, stored: Record<string, unknown> | undefined): Record<string, unknown> {
  return authorityFromCells({ has: (column: CsvColumn) => cellGiven(row, column), cell: (column: CsvColumn) => (row.cells[column] === null ? '' : String(row.cells[column] ?? '')) }, stored);
}

/** Whether the row's cell in `column` clears its field. */
export const cellCleared = (row: RawRow, column: string): boolean => (row.columns?.has(column) ?? false) && row.cells[column] === null;

/** A JSON entry as editing input: the stored values (for an update), with every field the entry gives replacing them. */
function jsonInput(row: RawRow, stored: Record<string, unknown> | undefined): Record<string, unknown> {
  const given = Object.fromEntries(Object.entries(row.cells).filter(([key]) => !(JSON_AUTHORITY_META_KEYS as readonly string[]).includes(key)));
  return { ...(stored ?? {}), ...given };
}

/** A row of either format as editing input. */
export function rowInput(format: ImportFormat, row: RawRow, stored: Record<string, unknown> | undefined): Record<string, unknown> {
  return format === 'csv' ? csvInput(row, stored) : jsonInput(row, stored);
}
