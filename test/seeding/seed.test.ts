import { AuthorityModel, DesignationTypeModel, StateModel } from '../../src/directory/directory.models';
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
