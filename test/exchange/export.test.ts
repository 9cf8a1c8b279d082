import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { AuditEventModel } from '../../src/audit/audit.model';
import { findAuthoritiesOfState } from '../../src/editing/editing.repository';
import { escapeText, foldLine } from '../../src/exchange/vcard';
import sample from '../../seed/data/sample.json';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { authorityOf, editor, todayAsShown } from '../editing/editing-helpers';
import { postImport } from './exchange-helpers';

type SampleAuthority = (typeof sample.authorities)[number] & Record<string, unknown>;

/** Every string anywhere in a value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The contact strings of the RUS sample authorities (names, addresses, phones, e-mails, notes...), less those some public State's authority also has. */
function rusContactStrings(): string[] {
  const contact = (authority: SampleAuthority) => {
    const { state, designations, kind, languages, channels, updatedAt, sample: isSample, officeHours, urgent, ...rest } = authority;
    void [state, designations, kind, languages, channels, updatedAt, isSample, officeHours];
    return strings({ ...rest, urgentNotes: (urgent as { notes?: string }).notes })
      .filter((text) => text !== 'RUS' && !/^[a-z]{2,3}$/.test(text)); // State and language codes are not contact data
  };
  const authorities = sample.authorities as SampleAuthority[];
  const restricted = new Set(sample.states.filter((state) => state.access === 'restricted').map((state) => state.code));
  const elsewhere = new Set(authorities.filter((authority) => !restricted.has(authority.state)).flatMap(strings));
  return [...new Set(authorities.filter((authority) => authority.state === 'RUS').flatMap(contact))].filter((text) => !elsewhere.has(text));
}

/** The e-mail addresses each authority of a printable page lists under its heading. */
function printedEmails(html: string): Record<string, string[]> {
  const { $ } = page(html);
  return Object.fromEntries(
    $('main section.authority')
      .toArray()
      .map((section) => {
        const emails = $(section).find('dt').filter((_, term) => $(term).text() === 'E-mail').next('dd');
        return [$(section).children('h2').text(), emails.length > 0 ? emails.text().split(' · ') : []];
      }),
  );
}

describe('exports: the Directory as JSON and CSV, vCards, printable State pages', () => {
  useTestDatabase();
  const app = testApp();
  let practitioner: Awaited<ReturnType<typeof editor>>;
  const rusStrings = rusContactStrings();

  beforeAll(async () => {
    practitioner = await editor(app, 'practitioner');
  });

  it('the RUS sample has contact strings to look for', () => {
    expect(rusStrings.length).toBeGreaterThan(10);
    expect(rusStrings).toEqual(expect.arrayContaining(['international@prokuratura.ru.example', '+441134960142', 'Иван Примеров']));
  });

  it('when an anonymous reader exports the Directory as JSON, then restricted States have designations and counts but no contact string, and public States are complete', async () => {
    const res = await request(app).get('/export/directory.json');
    expect(res.status).toBe(200);
    // eslint-disable-next-line no-restricted-syntax -- a Content-Disposition header, not markup
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?directory-\d{4}-\d{2}-\d{2}\.json"?/);
    for (const text of rusStrings) expect(res.text).not.toContain(text);
    const rus = res.body.states.find((state: { code: string }) => state.code === 'RUS');
    expect(rus).toEqual(expect.objectContaining({ detailsRestricted: true, authorityCount: 3, optional: null }));
    expect(rus.designations).toEqual(expect.arrayContaining(['UNTOC-18-13', 'UNTOC-16']));
    expect(rus.authorities.every((authority: Record<string, unknown>) => authority.restricted === true && Object.keys(authority).sort().join() === 'designations,id,restricted,state')).toBe(true);
    const fra = res.body.states.find((state: { code: string }) => state.code === 'FRA');
    expect(strings(fra)).toEqual(expect.arrayContaining((await findAuthoritiesOfState('FRA')).flatMap((authority) => authority.emails)));
    expect(await AuditEventModel.countDocuments({ type: 'export' })).toBe(0);
  });

  it('when an anonymous reader exports the Directory as CSV, then it starts with a BOM, parses back one row per authority, and holds no contact string of restricted States', async () => {
    const res = await request(app).get('/export/directory.csv').buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    for (const contact of rusStrings) expect(text).not.toContain(contact);
    const rows = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(sample.authorities.length);
    const rus = rows.filter((row) => row.state === 'RUS');
    expect(rus).toHaveLength(3);
    expect(rus.every((row) => row.restricted === 'yes' && row.emails === '' && row.phones === '' && row.name_original === '' && row.designations !== '')).toBe(true);
    const fra = await authorityOf('FRA', 'Ministry of Justice');
    const fraRow = rows.find((row) => row.id === fra.id)!;
    expect(fraRow).toEqual(expect.objectContaining({ state: 'FRA', name_original: fra.name.original, emails: fra.emails.join('; '), restricted: 'no', kind: fra.kind }));
    // a leading + would make a spreadsheet read the cell as a formula: it is protected with '
    expect(fraRow.phones).toBe(`'${fra.phones.map((phone) => phone.number).join('; ')}`);
  });

  it('when a practitioner exports, then restricted States’ contacts are there, and the export is audited', async () => {
    const json = await practitioner.agent.get('/export/directory.json');
    expect(json.status).toBe(200);
    const all = new Set(strings(json.body));
    for (const text of rusStrings) expect(all).toContain(text);
    const csvText = (await practitioner.agent.get('/export/directory.csv')).text;
    expect(csvText).toContain('international@prokuratura.ru.example');
    const events = await AuditEventModel.find({ type: 'export', actorId: practitioner.user.user.id }).lean();
    expect(events.map((event) => (event.details as { format: string }).format).sort()).toEqual(['csv', 'json']);
    expect((events[0]!.details as { restrictedStatesWithDetails: string[] }).restrictedStatesWithDetails).toContain('RUS');
  });

  it('when the Directory is exported as CSV, then each row has the urgent procedure, the 24/7 line and the contact persons, and restricted rows have none of them for a reader without access', async () => {
    const rowsOf = (csvText: string) => parse(csvText, { bom: true, columns: true }) as Array<Record<string, string>>;
    const anonymousRows = rowsOf((await request(app).get('/export/directory.csv')).text);
    const fra = await authorityOf('FRA', 'Ministry of Justice');
    expect(anonymousRows.find((row) => row.id === fra.id)).toEqual(
      expect.objectContaining({
        urgent_accepted: 'yes',
        urgent_means: 'email; interpol',
        urgent_notes: expect.stringContaining('the original follows through the usual channel'),
        contact_247_description: 'Magistrat de permanence (exemple)',
        contact_247_phones: "'+442079460114",
        contact_247_emails: 'permanence@justice.fr.example',
        contact_persons: 'Camille Exemple, Magistrate, head of office (sample): +442079460121, camille.exemple@justice.fr.example',
      }),
    );
    const restrictedRows = anonymousRows.filter((row) => row.state === 'RUS');
    for (const row of restrictedRows) {
      expect([row.urgent_accepted, row.urgent_notes, row.contact_247_description, row.contact_247_phones, row.contact_persons]).toEqual(['', '', '', '', '']);
    }
    const practitionerRows = rowsOf((await practitioner.agent.get('/export/directory.csv')).text);
    expect(practitionerRows.filter((row) => row.state === 'RUS').map((row) => row.contact_persons)).toContainEqual(expect.stringContaining('Иван Примеров'));
  });

  it('when the secretariat exports the CSV and imports a State’s rows back unchanged, then the check finds no problem and the commit changes nothing', async () => {
    const secretariat = await editor(app, 'secretariat');
    const text = (await secretariat.agent.get('/export/directory.csv')).text;
    const lines = text.replace(/^\uFEFF/, '').split('\r\n');
    const fraLines = [lines[0]!, ...lines.filter((line) => /^[a-f0-9]{24},FRA,/.test(line))];
    expect(fraLines.length).toBe(4);
    const res = await postImport(secretariat.agent, { content: fraLines.join('\r\n'), format: 'csv', action: 'commit' });
    expect(res.status).toBe(200);
    expect(res.body.data.problems).toEqual([]);
    expect(res.body.data.result).toEqual(expect.objectContaining({ created: [], updated: [] }));
    expect(res.body.data.result.unchanged).toHaveLength(3);
  });

  it('when an authority is saved as a vCard, then it has ORG, FN, work phones and fax, e-mail, address, URL, languages and designations, folded at 75 octets', async () => {
    const rus = (await findAuthoritiesOfState('RUS')).find((authority) => authority.name.en.startsWith('Office of the Prosecutor'))!;
    expect((await request(app).get(`/authorities/${rus.id}.vcf`)).status).toBe(403);
    const res = await practitioner.agent.get(`/authorities/${rus.id}.vcf`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/vcard; charset=utf-8');
    const raw = res.text;
    for (const line of raw.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(raw.endsWith('\r\n')).toBe(true);
    const card = raw.replace(/\r\n /g, '');
    const lines = card.split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCARD');
    expect(lines).toEqual(
      expect.arrayContaining([
        'VERSION:4.0',
        'ORG:Генеральная прокуратура (образец)',
        'FN;LANGUAGE=ru:Генеральная прокуратура (образец)',
        'FN;LANGUAGE=en:Office of the Prosecutor General (sample)',
        'TEL;TYPE=work,voice;VALUE=uri:tel:+441134960142',
        'TEL;TYPE=work,fax;VALUE=uri:tel:+441134960149',
        'EMAIL;TYPE=work:international@prokuratura.ru.example',
        'ADR;TYPE=work:;;ул. Примерная\\, д. 1;Москва;;;Russian Federation',
        'URL:https://prokuratura.ru.example/',
        'LANG;PREF=1:ru',
        'LANG;PREF=2:en',
        'END:VCARD',
      ]),
    );
    expect(lines.find((line) => line.startsWith('NOTE:'))).toContain('Central authority for mutual legal assistance (UNTOC art. 18(13))\\, Authority for extradition');
    expect(lines).toContain('RELATED;TYPE=contact;VALUE=text:Иван Примеров\\, Prosecutor\\, international cooperation (sample)');
  });

  it('when an authority with a 24/7 line and contact persons is saved as a vCard, then the card holds them and the urgent procedure, its note in the reader’s language', async () => {
    const fra = await authorityOf('FRA', 'Ministry of Justice');
    const unfold = (card: string) => card.replace(/\r\n /g, '').split('\r\n');
    const english = unfold((await request(app).get(`/authorities/${fra.id}.vcf`)).text);
    expect(english).toEqual(
      expect.arrayContaining([
        'TEL;TYPE=work,voice;PREF=1;VALUE=uri:tel:+442079460114',
        'EMAIL;TYPE=work;PREF=1:permanence@justice.fr.example',
        'RELATED;TYPE=contact;VALUE=text:Camille Exemple\\, Magistrate\\, head of office (sample)',
      ]),
    );
    const note = english.find((line) => line.startsWith('NOTE:'))!.split('\\n');
    expect(note).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^NOTE:Designated as: Central authority for mutual legal assistance \(UNTOC art\. 18\(13\)\)\\, /),
        'Urgent requests are accepted in advance of the formal request by e-mail and through INTERPOL. Urgent requests may be sent in advance by e-mail or through INTERPOL\\; the original follows through the usual channel.',
        '24/7 contact: Magistrat de permanence (exemple): +442079460114\\, permanence@justice.fr.example',
        'Contact persons:',
        '- Camille Exemple\\, Magistrate\\, head of office (sample): +442079460121\\, camille.exemple@justice.fr.example',
      ]),
    );
    const french = unfold((await request(app).get(`/authorities/${fra.id}.vcf?lang=fr`)).text);
    const frenchNote = french.find((line) => line.startsWith('NOTE:'))!.split('\\n');
    expect(frenchNote[0]).toMatch(/^NOTE:Désignée en qualité de\s: .+ et Autorité chargée de l’entraide judiciaire \(Convention de 1988/);
    expect(frenchNote).toEqual(expect.arrayContaining([expect.stringMatching(/^Les demandes urgentes sont acceptées avant la demande formelle par courriel et par l’intermédiaire d’INTERPOL\./), 'Contact 24 h/24\\, 7 j/7 : Magistrat de permanence (exemple) : +442079460114\\, permanence@justice.fr.example', 'Personnes à contacter :']));
    expect(french.find((line) => line.startsWith('ADR;'))).toMatch(/;France$/);
  });

  it('when a name and notes hold commas, semicolons, backslashes and line breaks, then the vCard escapes them', async () => {
    const secretariat = await editor(app, 'secretariat');
    const authority = {
      state: 'FRA',
      designations: ['UNTOC-18-13'],
      name: { original: 'Justice, Law; and \\ Order', originalLanguage: 'en', en: 'Justice, Law; and \\ Order' },
      kind: 'other',
      address: { lines: ['1, Example Street'], city: 'Paris' },
      notes: `First line\nSecond line with a long text that will need folding: ${'é'.repeat(60)}`,
    };
    const res = await postImport(secretariat.agent, { content: JSON.stringify([authority]), action: 'commit' });
    expect(res.status).toBe(200);
    const id = res.body.data.result.created[0] as string;
    const card = (await request(app).get(`/authorities/${id}.vcf`)).text;
    for (const line of card.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const unfolded = card.replace(/\r\n /g, '');
    expect(unfolded).toContain('\r\nORG:Justice\\, Law\\; and \\\\ Order\r\n');
    expect(unfolded).toContain('ADR;TYPE=work:;;1\\, Example Street;Paris;;;France\r\n');
    expect(unfolded).toContain(`\\nFirst line\\nSecond line with a long text that will need folding: ${'é'.repeat(60)}\r\n`);
    expect(escapeText('a\\b,c;d\r\ne')).toBe('a\\\\b\\,c\\;d\\ne');
    expect(foldLine('x'.repeat(160)).split('\r\n').map((line) => line.length)).toEqual([75, 75, 12]);
  });

  it('when a State page is printed, then it is dated and shows every authority’s contacts, as the reader may see them', async () => {
    const fra = await request(app).get('/states/FRA/print');
    expect(fra.status).toBe(200);
    const printed = page(fra.text);
    const dates = printed.text('[data-testid="print-dates"]');
    expect(dates.startsWith(`Printed on ${todayAsShown()}`)).toBe(true);
    expect(dates).toMatch(/ · data last updated \w+ \d{1,2}, \d{4}( · |$)/);
    expect(printed.attr('link[rel="stylesheet"]', 'href')).toMatch(/^\/css\/print\.css\?v=[\w-]+$/);
    const fraEmails = printedEmails(fra.text);
    for (const authority of await findAuthoritiesOfState('FRA')) expect([authority.name.original, fraEmails[authority.name.original]]).toEqual([authority.name.original, authority.emails]);
    const rusAnonymous = await request(app).get('/states/RUS/print');
    expect(page(rusAnonymous.text).count('[data-testid="print-restricted"]')).toBe(1);
    for (const text of rusStrings) expect(rusAnonymous.text).not.toContain(text);
    const rusPractitioner = await practitioner.agent.get('/states/RUS/print');
    expect(Object.values(printedEmails(rusPractitioner.text)).flat()).toContain('international@prokuratura.ru.example');
    expect(page(rusPractitioner.text).count('[data-testid="print-restricted"]')).toBe(0);
    expect(rusPractitioner.text).not.toContain('print-restricted');
    const russian = await request(app).get('/states/FRA/print?lang=ru');
    expect(page(russian.text).text('[data-testid="print-dates"]')).toMatch(/^Распечатано /);
  });

  it('when a State page is printed, then it holds the requirements, laws, treaties, office hours with their days and one list of contact persons, every link absolute', async () => {
    const printed = page((await request(app).get('/states/FRA/print')).text);
    const optional = printed.$('section.optional');
    expect(optional.find('h3').toArray().map((heading) => printed.$(heading).text())).toEqual(
      expect.arrayContaining(['Requirements for mutual legal assistance', 'Requirements for extradition', 'National laws and web sites', 'Bilateral and regional treaties']),
    );
    expect(optional.find('.state-text').text()).toContain('Toute demande d’entraide comporte');
    expect(printed.attrs('section.optional .laws a', 'href')).toEqual(['https://laws.fr.example/code-procedure-penale/entraide']);
    expect(printed.texts('section.optional .treaties li')).toContainEqual(expect.stringContaining('Regional convention on extradition (sample) (Germany and United Kingdom'));
    expect(printed.texts('[data-testid="print-hours"]')).toContainEqual(expect.stringMatching(/^Monday, Tuesday, Wednesday, Thursday, and Friday, /));
    const ministry = printed.$('main section.authority').filter((_, section) => printed.$(section).children('h2').text() === 'Ministère de la Justice (exemple)');
    expect(ministry.find('dt').filter((_, term) => printed.$(term).text() === 'Contact persons').length).toBe(1);
    expect(ministry.find('[data-testid="print-urgent"]').text()).toMatch(/^Urgent requests are accepted in advance of the formal request by e-mail and through INTERPOL\./);
    const hrefs = printed.hrefs();
    expect(hrefs.length).toBeGreaterThan(3);
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
    const fra = await authorityOf('FRA', 'Ministry of Justice');
    expect(hrefs).toContain(`http://localhost/authorities/${fra.id}`);
    expect(hrefs).toContain('http://localhost/states/FRA');
  });

  it('when a restricted State is printed, then a reader without access gets none of its requirements, laws or treaties, and a practitioner gets them all', async () => {
    const anonymous = await request(app).get('/states/RUS/print');
    expect(page(anonymous.text).count('section.optional')).toBe(0);
    expect(anonymous.text).not.toContain('laws.ru.example');
    expect(anonymous.text).not.toContain('Bilateral extradition treaty (sample)');
    const practitionerPage = page((await practitioner.agent.get('/states/RUS/print')).text);
    expect(practitionerPage.attrs('section.optional .laws a', 'href')).toEqual(['https://laws.ru.example/upk/mezhdunarodnoe-sotrudnichestvo']);
    expect(practitionerPage.texts('section.optional .treaties li')).toContainEqual(expect.stringContaining('Bilateral extradition treaty (sample)'));
  });

  it('when the State page and an authority card are shown, then they link the printable page and the vCard', async () => {
    const fra = await authorityOf('FRA', 'Ministry of Justice');
    const statePage = page((await request(app).get('/states/FRA')).text);
    expect(statePage.attrs('.exchange-links a', 'href')).toContain('/states/FRA/print');
    expect(statePage.attrs('a[download]', 'href')).toContain(`/authorities/${fra.id}.vcf`);
    expect(page((await request(app).get('/export')).text).attrs('a[download]', 'href')).toContain('/export/directory.csv');
  });
});
