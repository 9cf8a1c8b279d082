import type { DesignationType, Instrument, RegionalGroup, State } from '../directory/directory.types';
import { currencyOf, lastActivityOf, monthsBefore, STALE_AFTER_MONTHS, type Currency } from '../shared/freshness';

/**
 * The secretariat's figures as plain functions over plain data: no database, no Express, so each
 * can be checked on a few hand-made States.
 */

/** An entry neither updated nor confirmed for this long counts as stale (shared/freshness, the same rule as the public pages). */
export const CURRENT_MONTHS = STALE_AFTER_MONTHS;
/** How far back the monthly series goes. */
export const SERIES_MONTHS = 24;
/** The designation whose recording the Conference asks about first. */
export const MLA_DESIGNATION = 'UNTOC-18-13';

export type { Currency };

/** One State's recorded designations against what its party status calls for. */
export interface StateCoverage {
  code: string;
  names: State['names'];
  region: RegionalGroup;
  /** False while the secretariat has not entered any party record: the core set is expected then. */
  partyStatusRecorded: boolean;
  /** Instruments the State is recorded as a party to. */
  partyTo: Instrument[];
  expected: string[];
  held: string[];
  missing: string[];
  lastUpdatedAt?: Date;
  lastConfirmedAt?: Date;
  /** The later of the two stamps. */
  lastActivityAt?: Date;
  /** Whole months since the last update or confirmation; undefined when there was none. */
  monthsSince?: number;
  currency: Currency;
  holdsMla: boolean;
  /** Recorded as a party to UNTOC. */
  untocParty: boolean;
}

/** A change or confirmation of some State's entries, as revisions record it. */
export interface Activity {
  state: string;
  /** The entry changed (an authority's id, or the State's code for its own fields and confirmations). */
  entry: string;
  at: Date;
  kind: 'update' | 'confirm';
}

export interface RegionFigures {
  /** A regional group, or 'TOTAL' for the row of all States. */
  region: RegionalGroup | 'TOTAL';
  states: number;
  /** States recorded as parties to UNTOC. */
  untocParties: number;
  /** Of those, how many have an art. 18(13) authority recorded. */
  untocPartiesWithMla: number;
  /** All States (party status recorded or not) with an art. 18(13) authority recorded. */
  withMla: number;
  current: number;
  stale: number;
  never: number;
  /** States missing at least one expected designation. */
  withGaps: number;
}

export interface MonthFigures {
  /** YYYY-MM. */
  month: string;
  /** Entries changed in the month, each once however often it was saved. */
  updates: number;
  /** States that confirmed their entries as still accurate in the month, each once. */
  confirmations: number;
  /** States current at the month's end (updated or confirmed within CURRENT_MONTHS before it). */
  current: number;
  /** current / number of States, 0..1. */
  currentShare: number;
}

/**
 * Designations a State should have: those of every instrument it is a party to, from the catalogue
 * (so a designation type added later is expected too); the core set while no party status is recorded.
 */
export function expectedDesignations(state: Pick<State, 'parties'>, catalogue: DesignationType[]): { recorded: boolean; partyTo: Instrument[]; codes: string[] } {
  const recorded = state.parties.length > 0;
  const partyTo = [...new Set(state.parties.filter((record) => record.status === 'party').map((record) => record.instrument))];
  const codes = recorded ? catalogue.filter((type) => partyTo.includes(type.instrument)).map((type) => type.code) : catalogue.filter((type) => type.core).map((type) => type.code);
  return { recorded, partyTo, codes };
}

function wholeMonthsBetween(from: Date, to: Date): number {
  let months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  if (monthsBefore(to, months) < from) months -= 1;
  return Math.max(0, months);
}

/** Every State's coverage and currency, in the order given. */
export function stateCoverage(
  states: State[],
  holdings: Array<{ state: string; designations: string[] }>,
  catalogue: DesignationType[],
  now: Date,
): StateCoverage[] {
  const heldByState = new Map<string, Set<string>>();
  for (const holding of holdings) {
    const set = heldByState.get(holding.state) ?? new Set<string>();
    for (const code of holding.designations) set.add(code);
    heldByState.set(holding.state, set);
  }
  return states.map((state) => {
    const heldSet = heldByState.get(state.code) ?? new Set<string>();
    const held = catalogue.map((type) => type.code).filter((code) => heldSet.has(code));
    const { recorded, partyTo, codes } = expectedDesignations(state, catalogue);
    const lastActivityAt = lastActivityOf(state);
    const currency = currencyOf(state, now, CURRENT_MONTHS);
    return {
      code: state.code,
      names: state.names,
      region: state.region,
      partyStatusRecorded: recorded,
      partyTo,
      expected: codes,
      held,
      missing: codes.filter((code) => !heldSet.has(code)),
      lastUpdatedAt: state.lastUpdatedAt,
      lastConfirmedAt: state.lastConfirmedAt,
      lastActivityAt,
      monthsSince: lastActivityAt ? wholeMonthsBetween(lastActivityAt, now) : undefined,
      currency,
      holdsMla: heldSet.has(MLA_DESIGNATION),
      untocParty: partyTo.includes('UNTOC'),
    };
  });
}

function tally(region: RegionFigures['region'], rows: StateCoverage[]): RegionFigures {
  return {
    region,
    states: rows.length,
    untocParties: rows.filter((row) => row.untocParty).length,
    untocPartiesWithMla: rows.filter((row) => row.untocParty && row.holdsMla).length,
    withMla: rows.filter((row) => row.holdsMla).length,
    current: rows.filter((row) => row.currency === 'current').length,
    stale: rows.filter((row) => row.currency === 'stale').length,
    never: rows.filter((row) => row.currency === 'never').length,
    withGaps: rows.filter((row) => row.missing.length > 0).length,
  };
}

/** The Conference's figures by regional group (in `order`, groups without States left out) and a total row last. */
export function figuresByRegion(coverage: StateCoverage[], order: readonly RegionalGroup[]): RegionFigures[] {
  const rows = order.map((region) => tally(region, coverage.filter((row) => row.region === region))).filter((row) => row.states > 0);
  return [...rows, tally('TOTAL', coverage)];
}

const monthKey = (date: Date) => date.toISOString().slice(0, 7);

/**
 * The last `months` calendar months, oldest first, the current one included: the entries updated
 * and the States confirming in each, counted from the revisions' dates, and how many States were current at each month's end (or
 * now, for the running month). A State's known activity is its revisions plus its two stamps,
 * which may predate the revisions (entries loaded from elsewhere).
 */
export function monthlySeries(states: Array<Pick<State, 'code' | 'lastUpdatedAt' | 'lastConfirmedAt'>>, activity: Activity[], now: Date, months = SERIES_MONTHS): MonthFigures[] {
  const firstMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1));
  const series: MonthFigures[] = [];
  const datesByState = new Map<string, number[]>();
  for (const state of states) datesByState.set(state.code, [state.lastUpdatedAt, state.lastConfirmedAt].filter((date): date is Date => date instanceof Date).map((date) => date.getTime()));
  for (const event of activity) datesByState.get(event.state)?.push(event.at.getTime());
  for (let index = 0; index < months; index += 1) {
    const start = new Date(Date.UTC(firstMonth.getUTCFullYear(), firstMonth.getUTCMonth() + index, 1));
    const nextStart = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    const end = nextStart > now ? now : new Date(nextStart.getTime() - 1);
    const from = monthsBefore(end, CURRENT_MONTHS).getTime();
    const inMonth = activity.filter((event) => event.at >= start && event.at < nextStart);
    let current = 0;
    for (const dates of datesByState.values()) if (dates.some((time) => time > from && time <= end.getTime())) current += 1;
    series.push({
      month: monthKey(start),
      updates: new Set(inMonth.filter((event) => event.kind === 'update').map((event) => `${event.state} ${event.entry}`)).size,
      confirmations: new Set(inMonth.filter((event) => event.kind === 'confirm').map((event) => event.state)).size,
      current,
      currentShare: states.length ? current / states.length : 0,
    });
  }
  return series;
}
