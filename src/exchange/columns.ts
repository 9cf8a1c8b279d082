import type { Authority } from '../directory/directory.types';
import { ADDRESS_LINE_COLUMNS, CSV_COLUMNS, cellList, type CsvColumn, type CsvExportOnlyColumn } from './exchange.schema';

/*
 * The one map between an authority's fields and the Directory's CSV columns: the export writes
 * each field's columns with it, the import reads them back with it, so a file the export wrote
 * imports as the same authority.
 */

/** A CSV row as the import reads it: whether the header has a column, and a column's cell. */
export interface CsvRow {
  has: (column: CsvColumn) => boolean;
  cell: (column: CsvColumn) => string;
}

interface FieldColumns {
  /** The authority field (as the editing schema reads it) these columns hold. */
  field: string;
  columns: readonly CsvColumn[];
  /** The field's cells in an export. */
  toCells: (authority: Authority) => Partial<Record<CsvColumn, string>>;
  /** The field in an import, from the columns the header has, over the stored value (absent for a new authority). */
  fromCells: (row: CsvRow, stored: unknown) => unknown;
}

/** How a list is written in one cell; `cellList` reads it back. */
export const listCell = (values: string[]): string => values.join('; ');

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const asRecord = (value: unknown): Record<string, unknown> => (isPlainObject(value) ? value : {});

/** Numbers of a cell as phone rows; a number already stored keeps its label, which the CSV has no column for. */
const phonesOf = (cell: string, stored: unknown) => {
  const labels = new Map((Array.isArray(stored) ? stored : []).filter(isPlainObject).map((phone) => [String(phone.number), phone.label]));
  return cellList(cell).map((number) => {
    const label = labels.get(number.replace(/[\s().\u00a0-]/g, ''));
    return label === undefined ? { number } : { number, label };
  });
};

/** The address lines from its three cells (undefined: not given), each cell not given keeping the stored line it stands for; the third stands for the rest. */
const addressLinesOf = (cells: Array<string | undefined>, stored: unknown): string[] => {
  const lines = Array.isArray(stored) ? stored.map(String) : [];
  const [first, second, rest] = cells;
  return [first ?? lines[0] ?? '', second ?? lines[1] ?? '', ...(rest !== undefined ? [rest] : lines.slice(2))].filter(Boolean);
};

const listColumn = (column: 'designations' | 'emails' | 'languages' | 'channels'): FieldColumns => ({
  field: column,
  columns: [column],
  toCells: (authority) => ({ [column]: listCell(authority[column]) }),
  fromCells: ({ cell }) => cellList(cell(column)),
});

const textColumn = (column: 'website' | 'notes'): FieldColumns => ({
  field: column,
  columns: [column],
  toCells: (authority) => ({ [column]: authority[column] ?? '' }),
  fromCells: ({ cell }) => cell(column),
});

const phoneColumn = (column: 'phones' | 'fax'): FieldColumns => ({
  field: column,
  columns: [column],
  toCells: (authority) => ({ [column]: listCell(authority[column].map((phone) => phone.number)) }),
  fromCells: ({ cell }, stored) => phonesOf(cell(column), stored),
});

/** Every authority field the CSV holds, with its columns. */
export const AUTHORITY_COLUMNS: readonly FieldColumns[] = [
  listColumn('designations'),
  {
    field: 'name',
    columns: ['name_original', 'name_language', 'name_en'],
    toCells: ({ name }) => ({ name_original: name.original, name_language: name.originalLanguage, name_en: name.en }),
    fromCells: ({ has, cell }, stored) => {
      const name = asRecord(stored);
      return {
        original: has('name_original') ? cell('name_original') : name.original,
        originalLanguage: has('name_language') ? cell('name_language') : name.originalLanguage,
        en: has('name_en') ? cell('name_en') : name.en,
      };
    },
  },
  { field: 'kind', columns: ['kind'], toCells: ({ kind }) => ({ kind }), fromCells: ({ cell }) => cell('kind') || undefined },
  {
    field: 'address',
    columns: [...ADDRESS_LINE_COLUMNS, 'city', 'postal_code'],
    toCells: ({ address }) => ({
      address_line_1: address.lines[0] ?? '',
      address_line_2: address.lines[1] ?? '',
      address_line_3: address.lines.slice(2).join(', '),
      city: address.city,
      postal_code: address.postalCode ?? '',
    }),
    fromCells: ({ has, cell }, stored) => {
      const address = asRecord(stored);
      return {
        lines: ADDRESS_LINE_COLUMNS.some(has) ? addressLinesOf(ADDRESS_LINE_COLUMNS.map((column) => (has(column) ? cell(column) : undefined)), address.lines) : (address.lines ?? []),
        city: has('city') ? cell('city') : address.city,
        postalCode: has('postal_code') ? cell('postal_code') : address.postalCode,
      };
    },
  },
  phoneColumn('phones'),
  phoneColumn('fax'),
  listColumn('emails'),
  textColumn('website'),
  listColumn('languages'),
  listColumn('channels'),
  {
    field: 'urgent',
    columns: ['urgent_accepted', 'urgent_means', 'urgent_notes'],
    toCells: ({ urgent }) => ({ urgent_accepted: urgent.accepted ? 'yes' : 'no', urgent_means: listCell(urgent.means), urgent_notes: urgent.notes ?? '' }),
    fromCells: ({ has, cell }, stored) => {
      const urgent = asRecord(stored);
      return {
        accepted: has('urgent_accepted') ? cell('urgent_accepted').toLowerCase() : urgent.accepted,
        means: has('urgent_means') ? cellList(cell('urgent_means')) : (urgent.means ?? []),
        notes: has('urgent_notes') ? cell('urgent_notes') : urgent.notes,
      };
    },
  },
  textColumn('notes'),
];

/** An authority's cells in an export, by column. */
export function authorityCells(authority: Authority): Partial<Record<CsvColumn, string>> {
  return Object.assign({}, ...AUTHORITY_COLUMNS.map((field) => field.toCells(authority))) as Partial<Record<CsvColumn, string>>;
}

/** A CSV row as editing input: the stored values (for an update), with every field whose columns the header has read from the row. */
export function authorityFromCells(row: CsvRow, stored: Record<string, unknown> | undefined): Record<string, unknown> {
  const input: Record<string, unknown> = { ...(stored ?? {}) };
  for (const field of AUTHORITY_COLUMNS) if (field.columns.some(row.has)) input[field.field] = field.fromCells(row, input[field.field]);
  return input;
}

/**
 * What the export adds for readers and the import leaves alone: the 24/7 line and the contact
 * persons, whose nested details one row cannot hold so that they read back (the editing form
 * and the JSON file carry them both ways).
 */
export function authorityReaderCells(authority: Authority): Partial<Record<CsvExportOnlyColumn, string>> {
  const line247 = authority.contact247;
  const reachedAt = (phones: Authority['phones'], emails: string[]) => [...phones.map((phone) => phone.number), ...emails].join(', ');
  return {
    contact_247_description: line247?.description ?? '',
    contact_247_phones: listCell(line247?.phones.map((phone) => phone.number) ?? []),
    contact_247_emails: listCell(line247?.emails ?? []),
    contact_persons: listCell(authority.contactPersons.map((person) => `${[person.name, person.title].filter(Boolean).join(', ')}: ${reachedAt(person.phones, person.emails)}`)),
  };
}

/** Where an editing field path is in a CSV file, for a problem's column: where the first column of a group is not the right place to point at. */
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

/** The CSV column of an editing field path (a path of no column stays as it is). */
export function csvField(path: string): string {
  if (CSV_COLUMN_OF[path]) return CSV_COLUMN_OF[path];
  const first = path.split('.')[0] ?? path;
  return (CSV_COLUMNS as readonly string[]).includes(first) ? first : path;
}

/** A cell a spreadsheet would run as a formula (= + - @) gets a leading ' in an export ... */
export const protectCell = (cell: string): string => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);
/** ... and an import takes it off again. */
export const unprotectCell = (cell: string): string => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);
