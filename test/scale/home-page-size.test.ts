import request from 'supertest';
import { AuthorityModel, StateModel } from '../../src/directory/directory.models';
import { bumpVersion } from '../../src/directory/directory.repository';
import { invalidateDirectory } from '../../src/directory/directory-cache';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

/** The most a public answer may weigh, uncompressed, however full the Directory is. */
const MAX_ANSWER_BYTES = 100 * 1024;
const EVERY_DESIGNATION = ['UNTOC-18-13', 'UNTOC-16', 'UNTOC-17', 'SOM-8-6', 'UNCAC-46-13', 'DRUGS1988-7-8'];

/** The home page lists every State: its weight grows with what each row says, so every State here holds every designation. */
describe('the home page when every State has designated everything', () => {
  useTestDatabase();
  const app = testApp();

  beforeAll(async () => {
    const codes = (await StateModel.find({}, { code: 1 }).lean()).map((state) => state.code);
    await AuthorityModel.insertMany(
      codes.map((state, i) => ({
        state,
        designations: EVERY_DESIGNATION,
        name: { original: `Ministry of Justice ${i}`, originalLanguage: 'en', en: `Ministry of Justice ${i}` },
        kind: 'ministry-of-justice',
        address: { lines: ['1 Example Street'], city: 'Capital', country: state },
        phones: [],
        emails: [`mlа${i}@justice.example`],
        languages: ['en'],
        channels: ['email'],
        urgent: { accepted: true, means: ['email'] },
        contactPersons: [],
        updatedAt: new Date(Date.UTC(2026, 0, 1)),
        sample: true,
        version: 0,
      })),
    );
    await StateModel.updateMany({}, { $set: { lastUpdatedAt: new Date(Date.UTC(2026, 0, 1)), lastConfirmedAt: new Date(Date.UTC(2026, 5, 1)) } });
    await bumpVersion();
    invalidateDirectory();
  }, 60_000);

  it.each([['en'], ['fr'], ['es'], ['ru'], ['ar'], ['zh']])('when it is read in %s, alphabetically or by region, then it stays under the size limit and marks every core designation', async (lang) => {
    for (const view of ['alphabetical', 'region']) {
      const res = await request(app).get(`/?lang=${lang}&view=${view}`).expect(200);
      expect(Buffer.byteLength(res.text)).toBeLessThan(MAX_ANSWER_BYTES);
      const html = page(res.text);
      const rows = html.count('table.states tbody tr');
      expect(rows).toBeGreaterThanOrEqual(190);
      // four core designations held in every row, and at least the two others counted
      expect(html.count('table.states td.held')).toBe(rows * 4);
      expect(html.texts('table.states tbody tr td.mark:not(.held)').every((count) => Number(count) >= 2)).toBe(true);
      expect(html.count('table.states tbody time')).toBe(rows);
    }
  });
});
