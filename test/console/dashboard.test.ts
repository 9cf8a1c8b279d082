import type { Express } from 'express';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { AuditEventModel } from '../../src/audit/audit.model';
import { testApp } from '../helpers/app';
import { createTestUser, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

const BOM = '\uFEFF';

describe('the secretariat\'s dashboard', () => {
  useTestDatabase();
  let app: Express;
  let secretariat: request.Agent;
  beforeAll(async () => {
    app = testApp();
    secretariat = await signedInAgent(app, await createTestUser({ role: 'secretariat' }));
  });

  it('when an anonymous reader opens the dashboard or a download, then they are sent to sign in and back', async () => {
    for (const page of ['/admin/dashboard', '/admin/dashboard/states.csv', '/admin/states', '/admin/designations', '/admin/resources']) {
      const res = await request(app).get(page);
      expect([page, res.status]).toEqual([page, 303]);
      expect(res.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(page)}`);
    }
  });

  it('when a focal point or a practitioner opens any console page or posts to it, then the answer is 403', async () => {
    const pages = ['/admin/dashboard', '/admin/dashboard/regions.csv', '/admin/states', '/admin/states/FRA', '/admin/states/new', '/admin/designations', '/admin/resources'];
    for (const user of [await createTestUser({ role: 'focal-point', states: ['FRA'] }), await createTestUser({ role: 'practitioner' })]) {
      const agent = await signedInAgent(app, user);
      for (const page of pages) expect([page, (await agent.get(page)).status]).toEqual([page, 403]);
      const res = await agent.post('/admin/resources').type('form').send({ title: 'x', category: 'other', url: 'https://example.org/x' });
      expect(res.status).toBe(403);
    }
  });

  it('when the secretariat opens the dashboard, then it shows the charts as SVG with titles, the tables and their CSV links, and says party status is not recorded', async () => {
    const res = await secretariat.get('/admin/dashboard');
    expect(res.status).toBe(200);
    const dashboard = page(res.text);
    // the bar charts twice: labels beside the bars, and above them for a narrow screen
    expect(dashboard.count('svg[role="img"]')).toBe(5);
    expect(dashboard.attrs('svg[role="img"]', 'aria-labelledby')).toEqual([
      'chart-mla-title chart-mla-desc',
      'chart-mla-narrow-title chart-mla-narrow-desc',
      'chart-current-title chart-current-desc',
      'chart-current-narrow-title chart-current-narrow-desc',
      'chart-months-title chart-months-desc',
    ]);
    expect(dashboard.text('svg [id="chart-mla-title"]')).toBe('States with an art. 18(13) central authority recorded, by regional group');
    expect(dashboard.count('svg [id="chart-months-desc"]')).toBe(1);
    for (const table of ['regions', 'months', 'states']) {
      const section = dashboard.$('section').has(`table[data-testid="table-${table}"]`);
      expect([table, section.length, section.find(`a[href="/admin/dashboard/${table}.csv"]`).length]).toEqual([table, 1, 1]);
    }
    expect(dashboard.text('[data-testid="party-status-notice"]')).toMatch(/^Party status is not recorded for 198 States:/);
    expect(dashboard.count('script')).toBe(0);
    // one row per State in the coverage table
    expect(dashboard.count('[data-testid="table-states"] tbody tr[class^="currency-"]')).toBe(198);
    // each State's designations by their short names, never the stored codes
    const marks = dashboard.texts('[data-testid="table-states"] ul.glance li');
    expect(marks).toContain('Recorded: MLA');
    expect(marks.filter((mark) => /UNTOC-|SOM-/.test(mark))).toEqual([]);
  });

  it('when the dashboard is filtered by regional group and currency, then the States table lists only those States', async () => {
    const res = await secretariat.get('/admin/dashboard?region=EASTERN_EUROPEAN&currency=never');
    expect(res.status).toBe(200);
    const statesTable = page(res.text).$('[data-testid="table-states"]');
    const rowClasses = statesTable.find('tbody tr').toArray().map((row) => row.attribs['class']);
    expect(rowClasses.length).toBeGreaterThan(0);
    expect(rowClasses.every((name) => name === 'currency-never')).toBe(true);
    expect(statesTable.find('a[href="/states/FRA"]')).toHaveLength(0);
  });

  it('when the dashboard is read in Russian, then its headings and figures come in Russian', async () => {
    const res = await secretariat.get('/admin/dashboard?lang=ru');
    await secretariat.get('/admin/dashboard?lang=en');
    const dashboard = page(res.text);
    expect(dashboard.text('h1')).toBe('Полнота и актуальность Справочника');
    expect(dashboard.texts('.csv-link a')).toEqual(['Скачать CSV', 'Скачать CSV', 'Скачать CSV']);
  });

  it('when the dashboard is read in Arabic, then the charts are drawn right to left: bars from the right, labels on the right, figures anchored at the bar\'s end', async () => {
    const arabic = page((await secretariat.get('/admin/dashboard?lang=ar')).text);
    const english = page((await secretariat.get('/admin/dashboard?lang=en')).text);
    expect(arabic.attrs('svg[role="img"]', 'direction')).toEqual(['rtl', 'rtl', 'rtl', 'rtl', 'rtl']);
    expect(english.attrs('svg[role="img"]', 'direction')).toEqual(['ltr', 'ltr', 'ltr', 'ltr', 'ltr']);
    expect(arabic.attrs('#chart-mla-title ~ g .chart-value', 'text-anchor')).toEqual(english.attrs('#chart-mla-title ~ g .chart-value', 'text-anchor').map(() => 'end'));
    expect(english.attr('#chart-mla-title ~ g .chart-value', 'text-anchor')).toBe('start');
    const width = Number(arabic.attr('svg[aria-labelledby^="chart-mla"]', 'viewBox')?.split(' ')[2]);
    const labelX = Number(arabic.attr('#chart-mla-title ~ g .chart-label', 'x'));
    const barX = Number(arabic.attr('#chart-mla-title ~ g .chart-bar', 'x'));
    const barWidth = Number(arabic.attr('#chart-mla-title ~ g .chart-bar', 'width'));
    expect(labelX).toBeGreaterThan(width / 2);
    expect(barX + barWidth).toBeLessThan(labelX);
    expect(arabic.text('#chart-mla-title ~ g .chart-label')).toBe('مجموعة الدول الأفريقية');
  });

  it('when each table is downloaded, then it is UTF-8 CSV with a byte-order mark, parses back with the right rows, and an export is audited', async () => {
    const before = await AuditEventModel.countDocuments({ type: 'export' });
    const regions = await secretariat.get('/admin/dashboard/regions.csv?lang=en').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
    });
    expect(regions.status).toBe(200);
    expect(regions.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    // eslint-disable-next-line no-restricted-syntax -- a Content-Disposition header, not markup
    expect(regions.headers['content-disposition']).toMatch(/attachment; filename="?directory-regions-\d{4}-\d{2}-\d{2}\.csv"?/);
    const regionText = regions.body as string;
    expect(regionText.startsWith(BOM)).toBe(true);
    const regionRows = parse(regionText, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(regionRows.at(-1)).toMatchObject({ 'Regional group': 'All States', States: '198' });
    expect(regionRows.slice(0, -1).reduce((sum, row) => sum + Number(row.States), 0)).toBe(198);

    const text = async (path: string) => (await secretariat.get(path).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
    })).body as string;
    const months = parse(await text('/admin/dashboard/months.csv?lang=en'), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(months).toHaveLength(24);
    expect(months.at(-1)?.Month).toBe(new Date().toISOString().slice(0, 7));

    const states = parse(await text('/admin/dashboard/states.csv?lang=ru'), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(states).toHaveLength(198);
    const russia = states.find((row) => row.ISO === 'RUS');
    expect(russia?.['Государство']).toBe('Российская Федерация');
    expect(russia?.['Ожидаемые назначения']).toBe('UNTOC-18-13 UNTOC-16 UNTOC-17 SOM-8-6');

    expect(await AuditEventModel.countDocuments({ type: 'export' })).toBe(before + 3);
    const latest = await AuditEventModel.findOne({ type: 'export' }).sort({ at: -1, _id: -1 }).lean();
    expect(latest).toMatchObject({ subject: 'dashboard:states', details: { table: 'states', rows: 198, format: 'csv' } });
  });

  it('when an unknown table is asked for, then the answer is 404 and nothing is audited', async () => {
    const before = await AuditEventModel.countDocuments({ type: 'export' });
    expect((await secretariat.get('/admin/dashboard/users.csv')).status).toBe(404);
    expect(await AuditEventModel.countDocuments({ type: 'export' })).toBe(before);
  });
});
