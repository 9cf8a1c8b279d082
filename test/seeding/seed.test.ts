import { getDashboard } from '../../src/console/console.service';
import { AuthorityModel, DesignationTypeModel, StateModel } from '../../src/directory/directory.models';
import { SAMPLE_HISTORY_ACTOR } from '../../src/editing/editing.sample-history';
import { RevisionModel } from '../../src/editing/revision.model';
import { seedDirectory, seedIfEmpty } from '../../src/seeding/seed.service';
import { useTestDatabase } from '../helpers/database';

describe('seeding in production mode', () => {
  useTestDatabase({ seed: false });

  it('when the database is empty, then every participant and the catalogue are loaded, and no sample data', async () => {
    const report = await seedIfEmpty({ sample: false });
    expect(report?.states).toBe(198);
    expect(await StateModel.countDocuments()).toBe(198);
    expect(await DesignationTypeModel.countDocuments()).toBe(9);
    expect(await AuthorityModel.countDocuments()).toBe(0);
    expect(await StateModel.countDocuments({ sample: true })).toBe(0);
    expect(report?.sampleRevisions).toBe(0);
    expect(await RevisionModel.countDocuments()).toBe(0);
  });

  it('when the database already has States, then seedIfEmpty does nothing', async () => {
    expect(await seedIfEmpty({ sample: false })).toBeUndefined();
  });

  it('when seeding again, then nothing is duplicated and what was entered since is kept', async () => {
    await StateModel.updateOne({ code: 'AFG' }, { $set: { access: 'restricted', lastUpdatedAt: new Date('2026-01-02') } });
    await seedDirectory({ sample: false });
    expect(await StateModel.countDocuments()).toBe(198);
    const afghanistan = await StateModel.findOne({ code: 'AFG' }).lean();
    expect(afghanistan?.access).toBe('restricted');
    expect(afghanistan?.lastUpdatedAt?.toISOString()).toBe('2026-01-02T00:00:00.000Z');
  });
});

describe('seeding in sample mode', () => {
  useTestDatabase({ seed: false });

  it('when sample data is loaded twice, then sample authorities are replaced, not doubled, and all are marked as samples', async () => {
    await seedDirectory({ sample: true });
    const first = await AuthorityModel.countDocuments();
    await seedDirectory({ sample: true });
    expect(await AuthorityModel.countDocuments()).toBe(first);
    expect(first).toBeGreaterThan(20);
    expect(await AuthorityModel.countDocuments({ sample: { $ne: true } })).toBe(0);
  });

  it('when sample data is loaded, then every contact detail is fictitious by construction', async () => {
    const authorities = await AuthorityModel.find().lean();
    const emails = authorities.flatMap((a) => [...a.emails, ...(a.contact247?.emails ?? []), ...a.contactPersons.flatMap((p) => p.emails)]);
    for (const email of emails) expect(email).toMatch(/@([a-z0-9-]+\.)*(example|example\.(org|net|com))$/);
    const phones = authorities.flatMap((a) => [...a.phones, ...a.fax, ...(a.contact247?.phones ?? []), ...a.contactPersons.flatMap((p) => p.phones)]);
    const fictional = /^\+(442079460\d{3}|441134960\d{3}|441614960\d{3}|6125550\d{4}|61491570\d{3}|1\d{3}55501\d{2})$/;
    for (const phone of phones) expect(phone.number).toMatch(fictional);
    for (const authority of authorities) if (authority.website) expect(new URL(authority.website).hostname).toMatch(/(^|\.)example$/);
  });
});

describe('the sample data\'s history', () => {
  useTestDatabase({ seed: false });
  const now = new Date();
  const monthKey = (date: Date) => date.toISOString().slice(0, 7);
  const yearAgo = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth() + 1, 1));

  it('when sample data is seeded, then its entries were changed and confirmed in at least 6 different months of the last 12, never in the future', async () => {
    const report = await seedDirectory({ sample: true, now });
    const revisions = await RevisionModel.find({ actorId: SAMPLE_HISTORY_ACTOR }).lean();
    expect(report.sampleRevisions).toBe(revisions.length);
    for (const revision of revisions) expect(revision.at.getTime()).toBeLessThanOrEqual(now.getTime());
    const months = new Set(revisions.filter((revision) => revision.at >= yearAgo && revision.action !== 'confirm').map((revision) => monthKey(revision.at)));
    expect(months.size).toBeGreaterThanOrEqual(6);
    expect(revisions.some((revision) => revision.action === 'confirm' && revision.at >= yearAgo)).toBe(true);
  });

  it('when the history is written, then it ends at each authority as stored, its version counts its revisions, and the States\' stamps agree with it', async () => {
    const authorities = await AuthorityModel.find().lean();
    for (const authority of authorities) {
      const revisions = await RevisionModel.find({ entityId: String(authority._id) }).sort({ version: 1 }).lean();
      expect(revisions.map((revision) => revision.version)).toEqual(revisions.map((_, index) => index + 1));
      expect(revisions[0]?.action).toBe('create');
      expect(authority.version).toBe(revisions.length);
      const last = revisions.at(-1)!;
      expect(last.at.getTime()).toBe(authority.updatedAt?.getTime());
      expect((last.after as { emails: string[] }).emails).toEqual(authority.emails);
      for (const revision of revisions.slice(1)) expect(revision.fields.length).toBeGreaterThan(0);
    }
    const france = await StateModel.findOne({ code: 'FRA' }).lean();
    const latest = await RevisionModel.findOne({ state: 'FRA', action: { $ne: 'confirm' } }).sort({ at: -1 }).lean();
    expect(latest?.at.getTime()).toBe(france?.lastUpdatedAt?.getTime());
    const confirmed = await RevisionModel.findOne({ state: 'FRA', action: 'confirm' }).lean();
    expect(confirmed?.at.getTime()).toBe(france?.lastConfirmedAt?.getTime());
  });

  it('when sample data is seeded again, then the history is replaced, not doubled', async () => {
    const before = await RevisionModel.countDocuments();
    await seedDirectory({ sample: true, now });
    expect(await RevisionModel.countDocuments()).toBe(before);
    const ids = new Set((await AuthorityModel.find({}, { _id: 1 }).lean()).map((authority) => String(authority._id)));
    for (const revision of await RevisionModel.find({ entity: 'authority' }).lean()) expect(ids.has(revision.entityId)).toBe(true);
  });

  it('when the secretariat opens the dashboard over the sample data, then the monthly series shows updates in at least 6 of the last 12 months', async () => {
    const dashboard = await getDashboard({ viewer: { kind: 'user', id: 'secretariat', role: 'secretariat', states: [] } }, 'en', now);
    const lastYear = dashboard.months.slice(-12);
    expect(lastYear.filter((month) => month.updates > 0).length).toBeGreaterThanOrEqual(6);
    expect(lastYear.some((month) => month.confirmations > 0)).toBe(true);
  });
});
