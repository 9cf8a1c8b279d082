import { stringify } from 'csv-stringify/sync';
import { recordAuditEvent } from '../audit/audit.service';
import { toStateDetailJson } from '../directory/directory.json';
import { getState, listStates, type StateDetail } from '../directory/directory.service';
import type { Viewer } from '../shared/viewer';
import { authorityCells, authorityReaderCells, listCell, protectCell } from './columns';
import { CSV_COLUMNS, CSV_EXPORT_ONLY_COLUMNS } from './exchange.schema';

/**
 * Exports of the whole Directory under the caller's access rights: everything comes from the
 * directory service's getState, which applies the access policy, so a restricted State's
 * authorities reach a viewer without access as stubs (designations only, no contact field).
 */

export type ExportFormat = 'json' | 'csv';

/** Every State, with its authorities as this viewer may see them, in the order of their English names. */
export async function directoryForExport(viewer: Viewer): Promise<StateDetail[]> {
  const states = await listStates({}, 'en');
  return Promise.all(states.map((state) => getState(viewer, state.code, 'en')));
}

/** The JSON export: the API's representation of each State, with the date it was made. */
export function directoryAsJson(states: StateDetail[], now = new Date()) {
  return {
    generatedAt: now.toISOString(),
    sample: states.some((state) => state.sample),
    states: states.map(toStateDetailJson),
  };
}

/** Anything a reader may take for the end of a line. */
export const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/;

/** The CSV export: one row per authority, the import's columns first (so a file can go back), UTF-8 with a BOM for spreadsheets. */
export function directoryAsCsv(states: StateDetail[]): string {
  const header = [...CSV_COLUMNS, ...CSV_EXPORT_ONLY_COLUMNS];
  const rows: string[][] = [];
  for (const state of states) {
    for (const authority of state.authorities) {
      const cells: Partial<Record<string, string>> = { id: authority.id, state: authority.state, designations: listCell(authority.designations), state_name: state.names.en };
      if (authority.restricted) cells.restricted = 'yes';
      else Object.assign(cells, authorityCells(authority), authorityReaderCells(authority), { restricted: 'no', updated_at: authority.updatedAt.toISOString() });
      rows.push(header.map((column) => protectCell(cells[column] ?? '')));
    }
  }
  // csv-stringify quotes a cell holding the record delimiter (CRLF) but not a lone CR or LF, which
  // spreadsheets still take as the end of a row: every cell with a line break is quoted.
  return stringify([header, ...rows], { bom: true, record_delimiter: 'windows', quoted_match: LINE_BREAK });
}

/** Writes a signed-in user's export to the audit log (anonymous exports hold only public data). */
export async function recordExport(viewer: Viewer, who: { email?: string; ip?: string }, format: ExportFormat, states: StateDetail[]): Promise<void> {
  if (viewer.kind === 'anonymous') return;
  await recordAuditEvent({
    type: 'export',
    actorId: viewer.id,
    actorEmail: who.email,
    ip: who.ip,
    subject: 'directory',
    details: { format, states: states.length, restrictedStatesWithDetails: states.filter((state) => state.access === 'restricted' && state.detailsVisible).map((state) => state.code) },
  });
}
