import { XMLParser } from 'fast-xml-parser';
import type { ConsentKind } from '../directory/directory.types';

/**
 * Reads the depositary's status table of an instrument, as the UN Treaty Collection gives it: text
 * copied from the status page, or the XML export of the same table. Both give, per participant, the
 * date of signature and the date of consent to be bound with the kind of act marked after it.
 */

/** How the participant consented to be bound; the depositary marks all but a ratification after the date. */
const MARKERS: Record<string, ConsentKind> = { a: 'accession', A: 'acceptance', AA: 'approval', d: 'succession' };

export interface DepositaryRow {
  /** Where the row starts: its line in a pasted table, its position in an XML file. */
  line: number;
  /** The participant as the depositary writes it, footnote numbers included. */
  participant: string;
  /** The participant's name without its footnote numbers. */
  name: string;
  footnotes: string[];
  /** ISO dates. */
  signed?: string;
  consented?: string;
  consentKind?: ConsentKind;
}

/** Something the reader could not take, with the line it is on (0: the whole text). */
export interface ReadProblem {
  line: number;
  text: string;
  code: 'date' | 'noDates' | 'tooManyDates' | 'xml' | 'noRows';
}

export type DepositaryFormat = 'untc_lines' | 'untc_xml';

export interface DepositaryTable {
  format: DepositaryFormat;
  /** From the `SOURCE:` and `ASOF:` lines when the text has them. */
  source?: string;
  asOf?: string;
  rows: DepositaryRow[];
  problems: ReadProblem[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** " 9 Dec 2003", "21 Jun 2006 a", "10 Oct 2023 AA": a day, an English month, a year and the kind of act, if marked. */
const DATE_CELL = /^(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})(?:\s+(a|A|AA|d))?$/;
/** Footnote numbers after a name: "Argentina 1", "Serbia 4, 5", or glued to it as a superscript copies: "Argentina1". */
const FOOTNOTES = /^(.*?[^\d\s,])\s*(\d{1,3}(?:\s*,\s*\d{1,3})*)$/;
/** The table's column headings, when the copy takes them along. */
const HEADING = /^(participants?|signature|ratification|accession|acceptance|approval|succession|definitive signature)\b/i;
const HEADER_LINE = /^(SOURCE|ASOF|FORMAT)\s*:\s*(.*)$/i;

interface DateCell {
  iso: string;
  marker?: ConsentKind;
}

function readDate(cell: string): DateCell | undefined | 'invalid' {
  const match = DATE_CELL.exec(cell.trim().replace(/\s+/g, ' '));
  if (!match) return undefined;
  const [, day, monthName, year, marker] = match as unknown as [string, string, string, string, string | undefined];
  const month = MONTHS.indexOf(monthName.slice(0, 3).toLowerCase());
  const date = new Date(Date.UTC(Number(year), month, Number(day)));
  if (month < 0 || date.getUTCDate() !== Number(day)) return 'invalid';
  return { iso: date.toISOString().slice(0, 10), ...(marker ? { marker: MARKERS[marker] } : {}) };
}

function splitName(participant: string): { name: string; footnotes: string[] } {
  const match = FOOTNOTES.exec(participant);
  if (!match) return { name: participant, footnotes: [] };
  return { name: match[1]!.trim(), footnotes: match[2]!.split(',').map((number) => number.trim()) };
}

/** A participant's row from its signature and consent cells; a consent without a marker is a ratification. */
function rowOf(line: number, participant: string, superscripts: string[], cells: { signature?: DateCell; consent?: DateCell }): DepositaryRow | ReadProblem {
  if (!cells.signature && !cells.consent) return { line, text: participant, code: 'noDates' };
  const { name, footnotes } = splitName(participant);
  return {
    line,
    participant,
    name,
    footnotes: [...footnotes, ...superscripts],
    ...(cells.signature ? { signed: cells.signature.iso } : {}),
    ...(cells.consent ? { consented: cells.consent.iso, consentKind: cells.consent.marker ?? 'ratification' } : {}),
  };
}

/**
 * Dates copied one under the other, empty cells left out: two are signature and consent; a single
 * one is a consent when a marker follows it (an accession or a succession needs no signature),
 * otherwise a signature.
 */
function cellsOfDates(dates: DateCell[]): { signature?: DateCell; consent?: DateCell } | 'tooMany' {
  if (dates.length > 2) return 'tooMany';
  const [first, second] = dates as [DateCell | undefined, DateCell | undefined];
  if (!first) return {};
  if (second) return { signature: first, consent: second };
  return first.marker ? { consent: first } : { signature: first };
}

const isProblem = (value: DepositaryRow | ReadProblem): value is ReadProblem => 'code' in value;

/**
 * Text copied from the status page: each participant on a line, then its date lines (one per
 * column that has a date), or a row per line with its cells separated by tabs (a copied table).
 * `SOURCE:`, `ASOF:` and `FORMAT:` lines at the top are taken when present.
 */
export function readStatusText(text: string): DepositaryTable {
  const table: DepositaryTable = { format: 'untc_lines', rows: [], problems: [] };
  let current: { line: number; participant: string; dates: DateCell[] } | undefined;
  const finish = () => {
    if (!current) return;
    const cells = cellsOfDates(current.dates);
    const row = cells === 'tooMany' ? ({ line: current.line, text: current.participant, code: 'tooManyDates' } as const) : rowOf(current.line, current.participant, [], cells);
    if (isProblem(row)) table.problems.push(row);
    else table.rows.push(row);
    current = undefined;
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let inHeader = true;
  for (const [index, raw] of lines.entries()) {
    const lineNumber = index + 1;
    const trimmed = raw.trim();
    if (!trimmed) continue;
    const header = inHeader ? HEADER_LINE.exec(trimmed) : null;
    if (header) {
      const [, key, value] = header as unknown as [string, string, string];
      if (key.toUpperCase() === 'SOURCE') table.source = value.trim();
      if (key.toUpperCase() === 'ASOF') table.asOf = /^\d{4}-\d{2}-\d{2}/.exec(value.trim())?.[0];
      continue;
    }
    inHeader = false;
    const tabbed = raw.split('\t').map((cell) => cell.trim());
    if (tabbed.length > 1) {
      // A copied table row: the participant, then its cells (empty where it has no date)
      finish();
      const [participant, ...rest] = tabbed as [string, ...string[]];
      if (HEADING.test(participant) && !rest.some((cell) => readDate(cell))) continue;
      const dates = rest.map((cell) => (cell ? readDate(cell) : undefined));
      const unreadable = rest.findIndex((cell, column) => cell && (dates[column] === undefined || dates[column] === 'invalid'));
      if (unreadable >= 0) {
        table.problems.push({ line: lineNumber, text: rest[unreadable]!, code: 'date' });
        continue;
      }
      const [signature, consent] = dates as Array<DateCell | undefined>;
      // With two date columns each cell is where it stands; with one, it is read as stacked dates are
      const cells = rest.length > 1 ? { ...(signature ? { signature } : {}), ...(consent ? { consent } : {}) } : cellsOfDates(signature ? [signature] : []);
      const row = cells === 'tooMany' ? ({ line: lineNumber, text: participant, code: 'tooManyDates' } as const) : rowOf(lineNumber, participant, [], cells);
      if (isProblem(row)) table.problems.push(row);
      else table.rows.push(row);
      continue;
    }
    const date = readDate(trimmed);
    if (date === 'invalid') {
      table.problems.push({ line: lineNumber, text: trimmed, code: 'date' });
      continue;
    }
    if (date) {
      if (current) current.dates.push(date);
      else table.problems.push({ line: lineNumber, text: trimmed, code: 'noDates' });
      continue;
    }
    finish();
    if (HEADING.test(trimmed)) continue;
    current = { line: lineNumber, participant: trimmed, dates: [] };
  }
  finish();
  if (table.rows.length === 0 && table.problems.length === 0) table.problems.push({ line: 0, text: '', code: 'noRows' });
  return table;
}

type XmlNode = Record<string, unknown>;

const childrenOf = (node: XmlNode): XmlNode[] => {
  const name = Object.keys(node).find((key) => key !== ':@');
  const value = name ? node[name] : undefined;
  return Array.isArray(value) ? (value as XmlNode[]) : [];
};
const nameOf = (node: XmlNode): string => Object.keys(node).find((key) => key !== ':@') ?? '';

/** An element's text, with what superscripts hold (footnote numbers) apart. */
function textOf(node: XmlNode): { text: string; superscripts: string[] } {
  let text = '';
  const superscripts: string[] = [];
  for (const child of childrenOf(node)) {
    const name = nameOf(child);
    if (name === '#text') text += String(child['#text']);
    else if (/^(superscript|sup)$/i.test(name)) superscripts.push(...textOf(child).text.split(',').map((part) => part.trim()).filter(Boolean));
    else {
      const inner = textOf(child);
      text += inner.text;
      superscripts.push(...inner.superscripts);
    }
  }
  return { text: text.replace(/\s+/g, ' ').trim(), superscripts };
}

function findAll(nodes: XmlNode[], name: RegExp, found: XmlNode[] = []): XmlNode[] {
  for (const node of nodes) {
    if (name.test(nameOf(node))) found.push(node);
    else findAll(childrenOf(node), name, found);
  }
  return found;
}

/**
 * The depositary's XML export (MTDSG `…/XVIII-12.en.xml`): the participants' table is a CALS-like
 * `Participants/Table/TGroup` with `Thead` and `Tbody` rows of `Entry` cells, footnote numbers as
 * `<superscript>` after the name. Read tolerantly: rows are looked for under `Participants` (or
 * anywhere when there is no such element), tag names in any case, the signature and consent
 * columns found by their headings (second and third when there are none).
 */
export function readStatusXml(xml: string): DepositaryTable {
  const table: DepositaryTable = { format: 'untc_xml', rows: [], problems: [] };
  let tree: XmlNode[];
  try {
    const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: true, parseTagValue: false, trimValues: false, processEntities: true });
    tree = parser.parse(xml, true) as XmlNode[];
  } catch {
    table.problems.push({ line: 0, text: '', code: 'xml' });
    return table;
  }
  const participants = findAll(tree, /^participants$/i);
  const rows = findAll(participants.length ? participants : tree, /^row$/i)
    .map((row) => findAll(childrenOf(row), /^entry$/i).map(textOf))
    .filter((cells) => cells.length > 0);
  const headingRow = rows.find((cells) => HEADING.test(cells[0]!.text));
  const headings = headingRow?.map((cell) => cell.text.toLowerCase()) ?? [];
  const signatureColumn = headings.findIndex((heading) => heading.startsWith('signature') || heading.includes('definitive signature'));
  const consentColumn = headings.findIndex((heading, column) => column !== signatureColumn && column > 0 && /ratification|accession|acceptance|approval|succession|consent/.test(heading));
  const columns = { signature: signatureColumn > 0 ? signatureColumn : 1, consent: consentColumn > 0 ? consentColumn : 2 };
  for (const [index, entries] of rows.entries()) {
    if (entries === headingRow) continue;
    const [participant, ...rest] = entries as [ReturnType<typeof textOf>, ...Array<ReturnType<typeof textOf>>];
    if (!participant.text) continue;
    const cells: { signature?: DateCell; consent?: DateCell } = {};
    let unreadable = false;
    for (const [column, kind] of [[columns.signature, 'signature'], [columns.consent, 'consent']] as const) {
      const cell = rest[column - 1]?.text;
      if (!cell) continue;
      const date = readDate(cell);
      if (date === undefined || date === 'invalid') {
        table.problems.push({ line: index + 1, text: cell, code: 'date' });
        unreadable = true;
      } else cells[kind] = date;
    }
    if (unreadable) continue;
    const row = rowOf(index + 1, participant.text, participant.superscripts, cells);
    if (isProblem(row)) table.problems.push(row);
    else table.rows.push(row);
  }
  if (table.rows.length === 0 && table.problems.length === 0) table.problems.push({ line: 0, text: '', code: 'noRows' });
  return table;
}

/** Decodes an uploaded file: the depositary's XML may declare ISO-8859-1; anything else is read as UTF-8. */
export function decodeDepositaryFile(buffer: Buffer): string {
  const head = buffer.subarray(0, 200).toString('latin1');
  const declared = /encoding\s*=\s*["']([\w-]+)["']/i.exec(head)?.[1]?.toLowerCase();
  const latin = declared === 'iso-8859-1' || declared === 'latin1' || declared === 'windows-1252';
  return new TextDecoder(latin ? 'windows-1252' : 'utf-8').decode(buffer).replace(/^\uFEFF/, '');
}

/** Reads either kind: XML when the text starts as XML, the copied table otherwise. */
export function readStatusTable(text: string): DepositaryTable {
  return /^\s*</.test(text.replace(/^\uFEFF/, '')) ? readStatusXml(text) : readStatusText(text);
}
