import { currencyOf, isStale, lastActivityOf, monthsBefore, STALE_AFTER_MONTHS } from '../../src/shared/freshness';

const now = new Date('2026-06-15T12:00:00Z');

describe('freshness: when an entry is out of date', () => {
  it('when a State was updated within the months, then it is current', () => {
    expect(currencyOf({ lastUpdatedAt: new Date('2026-01-01T00:00:00Z') }, now)).toBe('current');
    expect(isStale({ lastUpdatedAt: new Date('2026-01-01T00:00:00Z') }, now)).toBe(false);
  });

  it('when a State was updated long ago but confirmed recently, then the later stamp counts', () => {
    const stamps = { lastUpdatedAt: new Date('2020-01-01T00:00:00Z'), lastConfirmedAt: new Date('2026-05-01T00:00:00Z') };
    expect(lastActivityOf(stamps)).toEqual(new Date('2026-05-01T00:00:00Z'));
    expect(isStale(stamps, now)).toBe(false);
  });

  it('when the last stamp is older than the months, then the State is stale', () => {
    expect(currencyOf({ lastConfirmedAt: new Date('2025-06-15T11:59:59Z') }, now)).toBe('stale');
    expect(isStale({ lastConfirmedAt: new Date('2025-06-15T11:59:59Z') }, now)).toBe(true);
  });

  it('when the last stamp is exactly the months ago, then the State is still current', () => {
    expect(currencyOf({ lastUpdatedAt: monthsBefore(now, STALE_AFTER_MONTHS) }, now)).toBe('current');
  });

  it('when a State was never updated nor confirmed, then it is stale, of currency never', () => {
    expect(lastActivityOf({})).toBeUndefined();
    expect(currencyOf({}, now)).toBe('never');
    expect(isStale({}, now)).toBe(true);
  });

  it('when a shorter window is given (a reminder campaign), then it is used', () => {
    const stamps = { lastUpdatedAt: new Date('2026-01-01T00:00:00Z') };
    expect(isStale(stamps, now, 3)).toBe(true);
    expect(isStale(stamps, now)).toBe(false);
  });

  it('when months are counted back, then calendar months in UTC are used', () => {
    expect(monthsBefore(new Date('2026-03-31T00:00:00Z'), 1).toISOString()).toBe('2026-03-03T00:00:00.000Z');
    expect(monthsBefore(new Date('2026-06-15T12:00:00Z'), 12).toISOString()).toBe('2025-06-15T12:00:00.000Z');
  });
});
