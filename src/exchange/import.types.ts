import type { ImportFormat } from './exchange.schema';

/*
 * What an import reads and reports. Messages are keys: the editing component's (`email`, `phone`,
 * ...) or this component's (`stateNotYours|DEU`, see EXCHANGE_MESSAGE_KEYS), turned into words by
 * the routes.
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
  'cellEmpty',
  'cellCleared',
] as const;

/** A row as read from the file, before any check: where it goes, and the fields it gives. */
export interface RawRow {
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
