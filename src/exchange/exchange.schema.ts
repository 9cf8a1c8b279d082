import { z } from 'zod';

/**
 * Inputs of the import and export pages, and the columns of the Directory's CSV. The fields of an
 * authority and of an optional section are checked by the editing component's schemas
 * (`authorityInput`, `optionalSectionInput`); this file only says how a file maps onto them.
 */

/** Largest file (or pasted text) an import takes. */
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
/** Most rows (authorities and optional sections together) one import takes. */
export const IMPORT_MAX_ROWS = 2000;

export const IMPORT_FORMATS = ['csv', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What the import form posts besides the file: the pasted text, the format ('auto' guesses), and whether to commit. */
export const importForm = z.object({
  content: z.string().max(IMPORT_MAX_BYTES).optional().default(''),
  format: z.preprocess((value) => (value === '' || value === undefined ? 'auto' : value), z.enum(['auto', ...IMPORT_FORMATS])),
  action: z.preprocess((value) => (value === undefined || value === '' ? 'dry-run' : value), z.enum(['dry-run', 'commit'])),
});

/**
 * The CSV columns, one row per authority. Lists inside a cell are separated by ';'. Only `state`
 * is required in the header; with an `id` a row updates that authority (of the row's State), and a
 * column absent from the header keeps the stored value; without an `id` a row creates an authority.
 */
export const CSV_COLUMNS = [
  'id',
  'state',
  'designations',
  'name_original',
  'name_language',
  'name_en',
  'kind',
  'address_line_1',
  'address_line_2',
  'address_line_3',
  'city',
  'postal_code',
  'phones',
  'fax',
  'emails',
  'website',
  'languages',
  'channels',
  'urgent_accepted',
  'urgent_means',
  'urgent_notes',
  'notes',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Columns the export adds for readers; an import of an exported file ignores them. */
export const CSV_EXPORT_ONLY_COLUMNS = ['state_name', 'restricted', 'updated_at', 'contact_247_description', 'contact_247_phones', 'contact_247_emails', 'contact_persons'] as const;
export type CsvExportOnlyColumn = (typeof CSV_EXPORT_ONLY_COLUMNS)[number];

export const ADDRESS_LINE_COLUMNS = ['address_line_1', 'address_line_2', 'address_line_3'] as const;

/**
 * A CSV cell holding only this clears its field; an empty cell keeps the stored value (a spreadsheet
 * cannot tell a cell left empty on purpose from one never filled in). A field whose value is this
 * very text is exported as `'-`, which imports back as the text.
 */
export const CSV_CLEAR_MARKER = '-';

/** Splits a cell holding a list ("a; b;c") into its items. */
export function cellList(value: string | undefined): string[] {
  return (value ?? '')
    .split(';')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Keys of a JSON import's authority entry that are not authority fields: where it goes, and what an export wrote for readers. */
export const JSON_AUTHORITY_META_KEYS = ['state', 'id', 'version', 'restricted', 'updatedAt', 'sample'] as const;
