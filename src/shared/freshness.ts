/**
 * When an entry counts as out of date: the one rule behind the directory's "out of date" badge,
 * the console's current / stale / never figures and the reminders sent to stale States.
 * A State neither updated nor confirmed within STALE_AFTER_MONTHS is stale, and so is a State
 * never updated nor confirmed at all (its entries were never checked by anyone).
 */

/** An entry older than this, neither updated nor confirmed, is out of date. */
export const STALE_AFTER_MONTHS = 12;

/** current: updated or confirmed within the months; stale: only before them; never: neither stamp at all. */
export type Currency = 'current' | 'stale' | 'never';

export interface Stamps {
  lastUpdatedAt?: Date;
  lastConfirmedAt?: Date;
}

/** `date` moved back by whole calendar months (UTC). */
export function monthsBefore(date: Date, months: number): Date {
  const moved = new Date(date);
  moved.setUTCMonth(moved.getUTCMonth() - months);
  return moved;
}

/** The later of the two stamps, or undefined when the State has neither. */
export function lastActivityOf(stamps: Stamps): Date | undefined {
  const times = [stamps.lastUpdatedAt, stamps.lastConfirmedAt].filter((date): date is Date => date instanceof Date).map((date) => date.getTime());
  return times.length ? new Date(Math.max(...times)) : undefined;
}

/** Where a State stands at `now`, counted over `months` (STALE_AFTER_MONTHS unless a reminder campaign says otherwise). */
export function currencyOf(stamps: Stamps, now: Date, months = STALE_AFTER_MONTHS): Currency {
  const last = lastActivityOf(stamps);
  if (!last) return 'never';
  return last >= monthsBefore(now, months) ? 'current' : 'stale';
}

/** Out of date: not updated nor confirmed within the months, never-updated States included. */
export function isStale(stamps: Stamps, now: Date, months = STALE_AFTER_MONTHS): boolean {
  return currencyOf(stamps, now, months) !== 'current';
}
