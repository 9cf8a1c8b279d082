import type request from 'supertest';
import { AuthorityModel, StateModel } from '../../src/directory/directory.models';
import { RevisionModel } from '../../src/editing/revision.model';
import { csrfTokenIn } from '../helpers/accounts';

/** What exchange tests share: posting a file to the import as the form does, and a picture of the database to compare. */

export interface ImportPost {
  content: string;
  format?: 'auto' | 'csv' | 'json';
  action?: 'dry-run' | 'commit';
  /** Send the content as an uploaded file with this name instead of pasted text. */
  fileName?: string;
  /** Ask for the JSON report rather than the page. */
  json?: boolean;
}

/** Posts to /import as multipart/form-data, with the CSRF token of the import form. */
export async function postImport(agent: request.Agent, post: ImportPost): Promise<request.Response> {
  const form = await agent.get('/import');
  if (form.status !== 200) throw new Error(`/import answered ${form.status}`);
  let req = agent.post('/import').field('_csrf', csrfTokenIn(form.text)).field('format', post.format ?? 'auto').field('action', post.action ?? 'dry-run');
  req = post.fileName ? req.attach('file', Buffer.from(post.content, 'utf8'), post.fileName) : req.field('content', post.content);
  if (post.json !== false) req = req.set('Accept', 'application/json');
  return req;
}

export interface ReportProblem {
  row: number;
  entity: string;
  field: string;
  code: string;
  message: string;
}

/** Authorities and States as stored, and the number of revisions: two pictures are equal when nothing was written. */
export async function databasePicture(): Promise<{ authorities: unknown[]; states: unknown[]; revisions: number }> {
  const authorities = await AuthorityModel.find().sort({ _id: 1 }).lean();
  const states = await StateModel.find().sort({ code: 1 }).lean();
  return { authorities: JSON.parse(JSON.stringify(authorities)), states: JSON.parse(JSON.stringify(states)), revisions: await RevisionModel.countDocuments() };
}

/** A CSV text from a header and rows, quoting every cell. */
export function csv(header: string[], rows: string[][]): string {
  const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
  return [header, ...rows].map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}

/** The CSV columns the import tests write (a subset of the import's columns). */
export const CSV_HEADER = ['id', 'state', 'designations', 'name_original', 'name_language', 'name_en', 'kind', 'address_line_1', 'city', 'phones', 'emails', 'languages', 'channels', 'urgent_accepted', 'urgent_means'] as const;

export type CsvCells = Partial<Record<(typeof CSV_HEADER)[number], string>>;

/** One valid CSV row of a French ministry of justice, with the given cells changed. */
export function csvRow(cells: CsvCells): string[] {
  const all: Record<string, string> = {
    id: '',
    state: 'FRA',
    designations: 'UNTOC-18-13; UNTOC-16',
    name_language: 'fr',
    kind: 'ministry-of-justice',
    address_line_1: '1 rue de l’Exemple',
    city: 'Paris',
    phones: '+44 20 7946 0150',
    emails: 'import@justice.fr.example',
    languages: 'fr; en',
    channels: 'post; email',
    urgent_accepted: 'yes',
    urgent_means: 'email',
    ...cells,
  };
  return CSV_HEADER.map((column) => all[column] ?? '');
}
