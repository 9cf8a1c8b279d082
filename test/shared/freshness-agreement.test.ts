import { getDashboard } from '../../src/console/console.service';
import { invalidateDirectory } from '../../src/directory/directory-cache';
import { StateModel } from '../../src/directory/directory.models';
import { listStates } from '../../src/directory/directory.service';
import { campaignTargets } from '../../src/reminders/reminders.service';
import { useTestDatabase } from '../helpers/database';

const now = new Date('2026-06-15T12:00:00Z');

describe('freshness: the directory, the dashboard and the reminders agree', () => {
  useTestDatabase();

  beforeAll(async () => {
    await StateModel.updateMany({}, { $unset: { lastUpdatedAt: 1, lastConfirmedAt: 1 } });
    await StateModel.updateOne({ code: 'FRA' }, { $set: { lastUpdatedAt: new Date('2026-02-01T00:00:00Z') } });
    await StateModel.updateOne({ code: 'DEU' }, { $set: { lastUpdatedAt: new Date('2019-02-01T00:00:00Z'), lastConfirmedAt: new Date('2026-05-01T00:00:00Z') } });
    await StateModel.updateOne({ code: 'ITA' }, { $set: { lastUpdatedAt: new Date('2024-01-01T00:00:00Z') } });
    await StateModel.updateOne({ code: 'ESP' }, { $set: { lastConfirmedAt: new Date('2025-06-15T11:00:00Z') } });
    invalidateDirectory();
  });

  it('when States are current, stale or never updated, then all three name the same stale States', async () => {
    const states = await listStates({}, 'en', now);
    const directoryStale = states.filter((state) => state.stale).map((state) => state.code).sort();
    const dashboard = await getDashboard({ viewer: { kind: 'user', id: '000000000000000000000001', role: 'secretariat', states: [] } }, 'en', now);
    const dashboardStale = dashboard.coverage.filter((row) => row.currency !== 'current').map((row) => row.code).sort();
    const reminded = campaignTargets({ kind: 'stale', months: 12 }, states, now).map((state) => state.code).sort();

    expect(directoryStale).toEqual(dashboardStale);
    expect(reminded).toEqual(directoryStale);
    // the four States set up above land where the rule says
    expect(directoryStale).toEqual(expect.arrayContaining(['ITA', 'ESP']));
    expect(directoryStale).not.toContain('DEU');
    expect(directoryStale).not.toContain('FRA');
    // a State never updated nor confirmed is stale everywhere, counted as "never" on the dashboard
    expect(directoryStale).toContain('GBR');
    expect(dashboard.coverage.find((row) => row.code === 'GBR')?.currency).toBe('never');
    expect(directoryStale).toHaveLength(states.length - 2);
  });
});
