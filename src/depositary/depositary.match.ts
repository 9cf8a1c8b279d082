import { nameKey, stateNamesOf } from '../directory/search-index';
import type { Instrument, PartyRecord, State } from '../directory/directory.types';
import type { DepositaryRow } from './depositary.read';

/**
 * Which State each participant of a depositary's table is, and what recording the table would
 * change. Plain functions over the directory's States, so the dry run and the commit agree.
 */

export type RowMatch =
  | { kind: 'matched'; code: string; by: 'name' | 'choice' }
  | { kind: 'ambiguous'; codes: string[] }
  | { kind: 'unmatched' }
  /** The officer chose to leave the row out. */
  | { kind: 'left-out' };

/** "Netherlands (Kingdom of the)" → "Netherlands", "The Bahamas" → "Bahamas": the name under its qualifiers, tried when the whole name is not known. */
function shortKey(name: string): string {
  return nameKey(name.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')).replace(/^the /, '');
}

export interface StateNames {
  /** Folded name → the States known by it. */
  whole: Map<string, Set<string>>;
  short: Map<string, Set<string>>;
}

/** The folded names of every State, as the search index knows them: six languages, aliases, names in other languages. */
export function indexStateNames(states: State[]): StateNames {
  const whole = new Map<string, Set<string>>();
  const short = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, key: string, code: string) => {
    if (!key) return;
    if (!map.has(key)) map.set(key, new Set());
    map.get(key)!.add(code);
  };
  for (const state of states) {
    const { names, aliases } = stateNamesOf(state);
    for (const name of [...names, ...aliases]) {
      add(whole, nameKey(name), state.code);
      add(short, shortKey(name), state.code);
    }
  }
  return { whole, short };
}

/** A participant's State: by its whole name first, then by its name without qualifiers; several States for a name make the row ambiguous. */
export function matchParticipant(name: string, index: StateNames): RowMatch {
  for (const [map, key] of [[index.whole, nameKey(name)], [index.short, shortKey(name)]] as const) {
    const codes = map.get(key);
    if (!codes || codes.size === 0) continue;
    if (codes.size === 1) return { kind: 'matched', code: [...codes][0]!, by: 'name' };
    return { kind: 'ambiguous', codes: [...codes].sort() };
  }
  return { kind: 'unmatched' };
}

/** The record a row gives: a party once it consented, a signatory before; the source says where and as at when. */
export function partyRecordOf(row: DepositaryRow, instrument: Instrument, source: string): PartyRecord {
  return {
    instrument,
    status: row.consented ? 'party' : 'signatory',
    ...(row.signed ? { signed: row.signed } : {}),
    ...(row.consented ? { consented: row.consented, consentKind: row.consentKind ?? 'ratification' } : {}),
    source,
  };
}

/** "https://treaties.un.org/…, status as at 2024-05-04": what a party record keeps of where its facts come from. */
export function sourceText(source: string, asOf: string): string {
  return `${source}, status as at ${asOf}`;
}

export interface PlannedChange {
  code: string;
  /** The rows' line, for the page. */
  line: number;
  before?: PartyRecord;
  after: PartyRecord;
  /** Whether status or dates change (a new source alone is no change of status). */
  changesStatus: boolean;
  changes: boolean;
}

const sameFacts = (a: PartyRecord | undefined, b: PartyRecord) =>
  a !== undefined && a.status === b.status && (a.signed ?? '') === (b.signed ?? '') && (a.consented ?? '') === (b.consented ?? '') && (a.consentKind ?? '') === (b.consentKind ?? '');

/** What recording the matched rows would change, State by State. */
export function planChanges(matched: Array<{ row: DepositaryRow; code: string }>, states: Map<string, State>, instrument: Instrument, source: string): PlannedChange[] {
  return matched.map(({ row, code }) => {
    const before = states.get(code)?.parties.find((record) => record.instrument === instrument);
    const after = partyRecordOf(row, instrument, source);
    const changesStatus = !sameFacts(before, after);
    return { code, line: row.line, ...(before ? { before } : {}), after, changesStatus, changes: changesStatus || before?.source !== after.source };
  });
}
