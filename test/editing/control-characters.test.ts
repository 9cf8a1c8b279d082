import request from 'supertest';
import { resourceInput, stateRecordInput } from '../../src/console/console.schema';
import type { AuthorityView } from '../../src/directory/directory.service';
import { authorityInput } from '../../src/editing/editing.schema';
import { authorityVCard, vCardNote } from '../../src/exchange/vcard';
import { campaignForm } from '../../src/reminders/reminders.schema';
import { validators } from '../../src/shared/validators';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { apiToken, authorityOf, editor, submitForm } from './editing-helpers';
import { page as parsePage } from '../helpers/html';

/**
 * A stored single-line value (a name, an e-mail, a web address) holds no control character, and
 * every value written into a vCard or a CSV is escaped, so that no entry can add a line (an EMAIL
 * property, a CSV row) to what others download.
 */

const INJECTED = 'https://example.org/%0D%0AEMAIL:attacker@evil.example';
const RAW_LINE_BREAK = 'https://example.org/\r\nEMAIL:attacker@evil.example';

/** The vCard's content lines, continuation lines unfolded (RFC 6350 3.2). */
const contentLines = (card: string) => card.replace(/\r\n /g, '').split('\r\n').filter(Boolean);

describe('control characters in stored values, and escaping in vCards and CSV', () => {
  describe('validation of what is stored', () => {
    it.each([
      ['an escaped CR LF', INJECTED],
      ['a raw CR LF', RAW_LINE_BREAK],
      ['a raw tab', 'https://example.org/a\tb'],
      ['a space', 'https://example.org/a b'],
      ['an escaped NUL', 'https://example.org/%00'],
    ])('when a web address holds %s, then it is not a valid address', (_what, value) => {
      expect(validators.httpUrl(value)).toBe(false);
    });

    it('when a web address is ordinary, or an IRI typed with letters outside ASCII, then it is stored as a URI', () => {
      expect(validators.httpUrl('https://justice.fr.example/entraide?lang=fr#contact')).toBe(true);
      const parsed = authorityInput.shape.website.safeParse('https://справочник.example/страница');
      expect(parsed.success && parsed.data).toBe('https://xn--80aesinfeih9d.example/%D1%81%D1%82%D1%80%D0%B0%D0%BD%D0%B8%D1%86%D0%B0');
    });

    it.each([
      ['the secretariat’s resource title', 'errors.controlCharacters', () => resourceInput.safeParse({ title: 'Manual\r\nEvil: yes', category: 'manual', url: 'https://example.org/', languages: [], description: '' })],
      ['a resource URL', 'errors.url', () => resourceInput.safeParse({ title: 'Manual', category: 'manual', url: RAW_LINE_BREAK, languages: [], description: '' })],
      ['a State’s secondary contact', 'errors.controlCharacters', () => stateRecordInput.shape.secondaryContacts.safeParse([{ name: 'Mission\u0085Bcc: x@evil.example', email: 'mission@example.org' }])],
      ['a reminder campaign name', 'errors.controlCharacters', () => campaignForm.safeParse({ name: 'Campaign\nBcc: x@evil.example', kind: 'all-focal-points' })],
    ])('when %s holds a line break, then the console refuses it (%s)', (_what, message, parse) => {
      const result = parse();
      expect(result.success).toBe(false);
      expect(JSON.stringify(result.error?.issues)).toContain(message);
    });

    it('when a resource description (a text area) holds line breaks and tabs, then it is accepted; a bell character is not', () => {
      const resource = (description: string) => resourceInput.safeParse({ title: 'Manual', category: 'manual', url: 'https://example.org/', languages: [], description });
      expect(resource('Line one\r\nLine two\tend').success).toBe(true);
      expect(resource('Line one\u0007').success).toBe(false);
    });
  });

  describe('through the API and the forms', () => {
    useTestDatabase();
    const app = testApp();
    let token: string;

    beforeAll(async () => {
      token = (await apiToken('focal-point', ['FRA'])).token;
    });

    /** PUTs an authority of France as read, with some fields changed. */
    const put = async (changes: Record<string, unknown>) => {
      const authority = await authorityOf('FRA');
      const read = (await request(app).get(`/api/v1/authorities/${authority.id}`)).body.data;
      return request(app).put(`/api/v1/authorities/${authority.id}`).set('Authorization', `Bearer ${token}`).send({ ...read, ...changes });
    };

    it.each([
      ['an escaped CR LF', INJECTED],
      ['a raw CR LF', RAW_LINE_BREAK],
    ])('when an authority’s web site is PUT with %s, then it is refused with 400 at the website field and nothing is stored', async (_what, website) => {
      const before = await authorityOf('FRA');
      const res = await put({ website });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_parameters', fields: { website: expect.any(String) } });
      expect((await authorityOf('FRA')).website).toBe(before.website);
    });

    it.each([
      ['name.en', { name: { original: 'Ministère', originalLanguage: 'fr', en: 'Ministry\nEMAIL:attacker@evil.example' } }],
      ['address.city', { address: { lines: ['1 rue'], city: 'Paris\u000bX', postalCode: '75001' } }],
      ['phones.0.label', { phones: [{ number: '+33142759000', label: 'Desk\r\nX' }] }],
      ['contactPersons.0.name', { contactPersons: [{ name: 'Alex\u001bExample', phones: [], emails: [], languages: [] }] }],
    ])('when an authority is PUT with a control character in %s, then it is refused with 400 naming that field', async (field, changes) => {
      const res = await put(changes);
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toEqual({ [field]: expect.stringContaining('control characters') });
    });

    it('when an authority’s notes (a text area) hold line breaks and a tab, then they are kept', async () => {
      const res = await put({ notes: 'Line one\r\nLine two\tafter a tab' });
      expect(res.status).toBe(200);
      expect(res.body.data.notes).toBe('Line one\nLine two\tafter a tab');
    });

    it('when the authority form posts a web address that decodes to a CR LF, then it comes back with 422 at the website field', async () => {
      const { agent } = await editor(app, 'focal-point', ['FRA']);
      const authority = await authorityOf('FRA');
      const page = `/states/FRA/authorities/${authority.id}/edit`;
      // The form's own encoding turns %0D%0A into a real CR LF on the server, as a browser would send it.
      const res = await submitForm(agent, page, page, { website: decodeURIComponent(INJECTED) });
      expect(res.status).toBe(422);
      expect(parsePage(res.text).errorSummaryFields()).toContain('website');
      expect((await authorityOf('FRA')).website).toBe(authority.website);
    });

    it('when notes hold a line break on their own (LF, or CR), then the CSV export quotes the cell, so it cannot start a row', async () => {
      expect((await put({ notes: 'Line one\nInjected,row' })).status).toBe(200);
      const csv = (await request(app).get('/export/directory.csv')).text;
      expect(csv).toContain('"Line one\nInjected,row"');
    });
  });

  describe('the vCard', () => {
    const authority: AuthorityView = {
      id: '0123456789abcdef01234567',
      state: 'FRA',
      designations: ['UNTOC-18-13'],
      name: { original: 'Justice; Ministry, of\nEMAIL:name@evil.example', originalLanguage: 'fr', en: 'Justice' },
      kind: 'ministry-of-justice',
      address: { lines: ['1; rue, de\r\nTEL:+1'], city: 'Paris\\', country: 'FRA' },
      phones: [],
      fax: [],
      emails: ['entraide@justice.fr.example'],
      // As legacy data might hold it: what validation now refuses must still not add a line.
      website: RAW_LINE_BREAK,
      languages: ['fr'],
      channels: [],
      urgent: { accepted: false, means: [] },
      contactPersons: [],
      notes: 'One\nTwo\u2028EMAIL:other@evil.example\u0007',
      updatedAt: new Date('2026-01-02T03:04:05Z'),
      sample: false,
      version: 0,
      restricted: false,
    };

    it('when values hold ; , \\ and line breaks, then they are escaped and no value adds a property line', () => {
      const words = { list: (items: string[]) => items.join(', '), designatedAs: 'Designated as:', urgent: 'Not in advance', contact247: '24/7', contactPersons: 'Contact persons', labelled: (label: string, value: string) => `${label}: ${value}` };
      const card = authorityVCard(authority, { countryName: 'France', note: vCardNote(authority, ['MLA'], words) });
      const lines = contentLines(card);
      expect(lines.filter((line) => /^(EMAIL|TEL)\b/.test(line))).toEqual(['EMAIL;TYPE=work:entraide@justice.fr.example']);
      expect(lines).toContain('FN;LANGUAGE=fr:Justice\\; Ministry\\, of\\nEMAIL:name@evil.example');
      expect(lines).toContain('ADR;TYPE=work:;;1\\; rue\\, de\\nTEL:+1;Paris\\\\;;;France');
      expect(lines).toContain('URL:https://example.org/%0D%0AEMAIL:attacker@evil.example');
      expect(lines.find((line) => line.startsWith('NOTE:'))).toBe('NOTE:Designated as: MLA\\nNot in advance\\nOne\\nTwo\\nEMAIL:other@evil.example');
      expect(lines.every((line) => /^[A-Z-]+[;:]/.test(line))).toBe(true);
      expect(card).not.toMatch(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u0085\u2028\u2029]/);
    });
  });
});
