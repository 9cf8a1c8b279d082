import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { AuditEventModel } from '../../src/audit/audit.model';
import { findState } from '../../src/editing/editing.repository';
import { testApp } from '../helpers/app';
import { createTestUser, csrfTokenIn, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'depositary', name), 'utf8');

/** Posts the party-status form as a browser does (multipart), with the CSRF token of the form page. */
async function post(agent: request.Agent, fields: Record<string, string>, file?: { name: string; content: Buffer }) {
  const token = csrfTokenIn((await agent.get('/admin/party-status')).text);
  let req = agent.post('/admin/party-status').field('_csrf', token);
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  if (file) req = req.attach('file', file.content, file.name);
  return req;
}

/** Each row of the dry run's table: its participant's line, how it matched and the State. */
const reviewedRows = (html: string) =>
  page(html)
    .$('#rows tbody tr')
    .toArray()
    .map((row) => ({ line: row.attribs['data-line'], match: row.attribs['data-match'], state: row.attribs['data-state'] }));

describe('party status from the depositary', () => {
  useTestDatabase();
  let secretariat: request.Agent;
  beforeAll(async () => {
    secretariat = await signedInAgent(testApp(), await createTestUser({ role: 'secretariat' }));
  });

  it('when the UNCAC excerpt is checked, then each participant is shown with its State and its change, and nothing is written', async () => {
    const res = await post(secretariat, { content: fixture('uncac-status-excerpt.txt'), action: 'dry-run' });
    expect(res.status).toBe(200);
    const rows = reviewedRows(res.text);
    expect(rows).toHaveLength(26);
    expect(rows.every((row) => row.match === 'matched')).toBe(true);
    expect(rows.find((row) => row.state === 'BOL')).toBeDefined();
    const view = page(res.text);
    expect(view.field('instrument')).toBe('');
    expect(view.text('#count-changing')).toBe('26');
    const bolivia = view.$('#rows tr[data-state="BOL"] td.after').text();
    expect(bolivia).toContain('Dec 5, 2005');
    expect(view.count('button[value="commit"]')).toBe(1);
    expect((await findState('BOL'))!.parties).toEqual([]);
  });

  it('when the UNTOC excerpt is recorded, then every participant gets its party record with the source and status date, audited, and the dashboard counts them', async () => {
    const before = page((await secretariat.get('/admin/dashboard')).text).text('[data-testid="figure-parties-with-mla"]');
    expect(before).toMatch(/\/ 0$/);
    const stampBefore = (await findState('ARG'))!.lastUpdatedAt?.getTime();
    const res = await post(secretariat, { content: fixture('untoc-status-excerpt.txt'), action: 'commit' });
    expect(res.status).toBe(200);
    expect(page(res.text).text('.notice[role="status"]')).toContain('18');

    const argentina = (await findState('ARG'))!;
    expect(argentina.parties).toEqual([{ instrument: 'UNTOC', status: 'party', signed: '2000-12-12', consented: '2002-11-19', consentKind: 'ratification', source: expect.stringContaining('mtdsg_no=XVIII-12') }]);
    expect(argentina.parties[0]!.source).toContain('status as at 2024-05-04');
    expect((await findState('BHR'))!.parties).toEqual([expect.objectContaining({ status: 'party', consented: '2004-06-07', consentKind: 'accession' })]);
    expect((await findState('BHR'))!.parties[0]!.signed).toBeUndefined();
    // A party record is not an update of the State's entry: its currency stamp stays
    expect(argentina.lastUpdatedAt?.getTime()).toBe(stampBefore);

    const audit = await AuditEventModel.findOne({ type: 'directory-record-changed', subject: 'party-status:UNTOC' }).lean();
    expect(audit?.details).toMatchObject({ action: 'party-status-loaded', instrument: 'UNTOC', asOf: '2024-05-04', outcome: 'applied', partyRecords: expect.arrayContaining(['ARG', 'BHR']) });

    const after = page((await secretariat.get('/admin/dashboard')).text).text('[data-testid="figure-parties-with-mla"]');
    expect(after).toMatch(/\/ 18$/);

    // the audit log says it in words
    const log = page((await secretariat.get('/admin/audit')).text).text('main');
    for (const words of ['party status loaded from the depositary', 'Status as of', 'Party status recorded for', 'Argentina', 'applied']) expect(log).toContain(words);
    expect(log).not.toContain('party-status-loaded');
  });

  it('when the same table is checked again, then no State changes', async () => {
    const res = await post(secretariat, { content: fixture('untoc-status-excerpt.txt'), action: 'dry-run' });
    expect(page(res.text).text('#count-changing')).toBe('0');
  });

  it('when a pasted table has no header lines, then the status date and source are asked for at their fields, with the table kept', async () => {
    const table = 'Albania\n12 Dec 2000\n21 Aug 2002\nAtlantis\n  1 Jan 2001 a';
    const res = await post(secretariat, { instrument: 'UNTOC', content: table, action: 'dry-run' });
    expect(res.status).toBe(422);
    const view = page(res.text);
    expect(view.errorSummaryFields()).toEqual(expect.arrayContaining(['source', 'asOf']));
    expect(view.fieldError('asOf')).toBe('Enter the date of the status: the table has no ASOF line.');
    expect(view.field('content')?.trim()).toBe(table);
    expect(view.field('instrument')).toBe('UNTOC');
  });

  it('when a row matches no State, then the officer picks its State or leaves it out, and the choice is recorded', async () => {
    const table = 'Albania\n12 Dec 2000\n21 Aug 2002\nAtlantis\n  1 Jan 2001 a';
    const fields = { instrument: 'SOM', content: table, source: 'https://treaties.un.org/Pages/ViewDetails.aspx?mtdsg_no=XVIII-12-b', asOf: '2024-05-04' };
    const dryRun = await post(secretariat, { ...fields, action: 'dry-run' });
    expect(dryRun.status).toBe(200);
    expect(reviewedRows(dryRun.text)).toEqual([
      { line: '1', match: 'matched', state: 'ALB' },
      { line: '4', match: 'unmatched', state: undefined },
    ]);
    expect(page(dryRun.text).options('choices[4]')).toContain('AND');

    const twice = await post(secretariat, { ...fields, 'choices[4]': 'ALB', action: 'commit' });
    expect(twice.status).toBe(422);
    expect(page(twice.text).fieldError('choices-4')).toContain('line 1');
    expect((await findState('ALB'))!.parties.some((record) => record.instrument === 'SOM')).toBe(false);

    const chosen = await post(secretariat, { ...fields, 'choices[4]': 'AND', action: 'commit' });
    expect(chosen.status).toBe(200);
    expect((await findState('AND'))!.parties).toContainEqual(expect.objectContaining({ instrument: 'SOM', status: 'party', consented: '2001-01-01' }));
    // Its UNTOC record, written before, is kept
    expect((await findState('ALB'))!.parties.map((record) => record.instrument)).toEqual(['UNTOC', 'SOM']);
  });

  it('when the source is the status page of another instrument, then the instrument field says so', async () => {
    const res = await post(secretariat, { instrument: 'UNCAC', content: fixture('untoc-status-excerpt.txt'), action: 'dry-run' });
    expect(res.status).toBe(422);
    expect(page(res.text).fieldError('instrument')).toContain('XVIII-12');
  });

  it('when the depositary XML is uploaded, then its rows are read and matched', async () => {
    const xml = '<?xml version="1.0" encoding="ISO-8859-1"?><Treaty><Participants><Table><TGroup><Thead><Row><Entry>Participant</Entry><Entry>Signature</Entry><Entry>Ratification, Acceptance(A), Approval(AA), Accession(a)</Entry></Row></Thead><Tbody><Rows><Row><Entry>C\xf4te d\'Ivoire</Entry><Entry>15 Dec 2000</Entry><Entry>25 Oct 2012</Entry></Row></Rows></Tbody></TGroup></Table></Participants></Treaty>';
    const res = await post(secretariat, { instrument: 'UNTOC', source: 'https://treaties.un.org/doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-12.en.xml', asOf: '2024-05-04', action: 'dry-run' }, { name: 'XVIII-12.en.xml', content: Buffer.from(xml, 'latin1') });
    expect(res.status).toBe(200);
    expect(reviewedRows(res.text)).toEqual([{ line: '2', match: 'matched', state: 'CIV' }]);
  });

  it('when the page is read in Spanish, then it speaks Spanish', async () => {
    const res = await secretariat.get('/admin/party-status?lang=es');
    expect(page(res.text).text('h1')).toBe('Condición de parte según el depositario');
  });
});
