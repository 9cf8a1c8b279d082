import request from 'supertest';
import { findAuthority } from '../../src/editing/editing.repository';
import { findLatestRevision } from '../../src/editing/revision.repository';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { authorityOf, editor, formFields, postPairs, withValues } from './editing-helpers';

/** The form's pairs with the designations ticked replaced by `codes`. */
function withDesignations(pairs: Array<[string, string]>, codes: string[]): Array<[string, string]> {
  return [...pairs.filter(([name]) => name !== 'designations'), ...codes.map((code): [string, string] => ['designations', code])];
}

describe('designations with dates', () => {
  useTestDatabase();
  const app = testApp();
  let focal: Awaited<ReturnType<typeof editor>>;
  beforeAll(async () => {
    focal = await editor(app, 'focal-point', ['FRA']);
  });

  it('when the sample is loaded, then each designation of an authority is dated, and its card says since when', async () => {
    const ministry = await authorityOf('FRA', 'Ministry of Justice');
    expect(ministry.designationDates?.map((row) => row.code)).toEqual(ministry.designations);
    for (const row of ministry.designationDates ?? []) expect(row.since).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const card = page((await request(app).get(`/authorities/${ministry.id}`)).text).text('.designations-held');
    expect(card).toMatch(/Central authority for mutual legal assistance \(UNTOC art\. 18\(13\)\) \(since \w+ \d{1,2}, \d{4}\)/);
  });

  it('when a focal point adds a designation without a date, types a notification date for another and gives one up, then each is stored so and the old one stays in the history', async () => {
    const ministry = await authorityOf('FRA', 'Ministry of Justice');
    const path = `/states/FRA/authorities/${ministry.id}/edit`;
    const form = await focal.agent.get(path);
    const fields = formFields(form.text, path);
    const since = ministry.designationDates!.find((row) => row.code === 'UNTOC-18-13')!.since;
    expect(fields).toContainEqual(['designationDates[UNTOC-18-13][since]', since]);

    const held = ministry.designations.filter((code) => code !== 'UNTOC-17');
    expect(held.length).toBe(ministry.designations.length - 1);
    const pairs = withDesignations(withValues(fields, { 'designationDates[UNTOC-18-13][notified]': '2004-06-01' }), [...held, 'SOM-8-6']);
    const saved = await postPairs(focal.agent, path, pairs);
    expect(saved.status).toBe(303);

    const after = (await findAuthority(ministry.id))!;
    const today = new Date().toISOString().slice(0, 10);
    expect(after.designationDates).toContainEqual({ code: 'UNTOC-18-13', since, notified: '2004-06-01' });
    expect(after.designationDates).toContainEqual({ code: 'SOM-8-6', since: today });
    expect(after.designationDates?.some((row) => row.code === 'UNTOC-17')).toBe(false);
    // The designation given up: in the revision that ended it, with its dates, on the day it ended
    const revision = (await findLatestRevision('authority', ministry.id))!;
    expect((revision.before as { designationDates: Array<{ code: string }> }).designationDates).toContainEqual(expect.objectContaining({ code: 'UNTOC-17' }));
    expect(revision.at.toISOString().slice(0, 10)).toBe(today);

    const statePage = page((await request(app).get('/states/FRA?lang=fr')).text);
    expect(statePage.texts('.designations-held').join(' ')).toContain('notifiée au dépositaire le 1 juin 2004');
    const api = await request(app).get(`/api/v1/authorities/${ministry.id}`);
    expect(api.body.data.designationDates).toContainEqual({ code: 'SOM-8-6', since: today });
  });

  it('when a date is typed for a designation, then it is kept over the stored one, and a bad date is refused at the form', async () => {
    const ministry = await authorityOf('FRA', 'Ministry of Justice');
    const path = `/states/FRA/authorities/${ministry.id}/edit`;
    const fields = formFields((await focal.agent.get(path)).text, path);
    const saved = await postPairs(focal.agent, path, withValues(fields, { 'designationDates[SOM-8-6][since]': '2019-03-15' }));
    expect(saved.status).toBe(303);
    expect((await findAuthority(ministry.id))!.designationDates).toContainEqual({ code: 'SOM-8-6', since: '2019-03-15' });

    const again = formFields((await focal.agent.get(path)).text, path);
    const refused = await postPairs(focal.agent, path, withValues(again, { 'designationDates[SOM-8-6][since]': '15/03/2019' }));
    expect(refused.status).toBe(422);
    expect(page(refused.text).field('designationDates[SOM-8-6][since]')).toBe('15/03/2019');
  });
});
