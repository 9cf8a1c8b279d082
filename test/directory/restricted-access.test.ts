import fs from 'node:fs';
import path from 'node:path';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import request from 'supertest';
import { CHANNELS, REGIONAL_GROUPS } from '../../src/directory/directory.types';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

/**
 * Decision 3/2 (g)(v): a State may keep its authorities' details for authorized users. Every
 * contact string of a restricted sample authority is read from the seed, and no answer an
 * anonymous caller gets, JSON or HTML, may contain one.
 */

interface SeedPhone {
  number: string;
}
interface SeedAuthority {
  state: string;
  designations: string[];
  name: { original: string; en: string };
  address: { lines: string[] };
  phones: SeedPhone[];
  fax: SeedPhone[];
  emails: string[];
  website?: string;
  languages: string[];
  contact247?: { description: string; phones: SeedPhone[]; emails: string[] };
  contactPersons: Array<{ name: string; title?: string; phones: SeedPhone[]; emails: string[] }>;
  notes?: string;
}
interface SeedState {
  code: string;
  access: 'public' | 'restricted';
  optional?: { laws?: Array<{ title: string; url: string }>; treaties?: Array<{ title: string }> };
}

const instrumentCodes = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../seed/data/instruments.json'), 'utf8')) as { instruments: Array<{ code: string }> }).instruments.map((instrument) => instrument.code);
const sample = JSON.parse(fs.readFileSync(path.join(__dirname, '../../seed/data/sample.json'), 'utf8')) as {
  states: SeedState[];
  authorities: SeedAuthority[];
};

const RESTRICTED = sample.states.filter((state) => state.access === 'restricted').map((state) => state.code);
const restrictedAuthorities = sample.authorities.filter((authority) => RESTRICTED.includes(authority.state));
const publicAuthorities = sample.authorities.filter((authority) => !RESTRICTED.includes(authority.state));
const authoritiesOf = (code: string) => sample.authorities.filter((authority) => authority.state === code);

/** What must not reach an anonymous caller: texts (names, e-mails, addresses...) and phone numbers in E.164. */
interface Secrets {
  texts: string[];
  phones: string[];
}

function secretsOf(authorities: SeedAuthority[]): Secrets {
  const texts = authorities.flatMap((authority) => [
    authority.name.original,
    authority.name.en,
    ...authority.emails,
    ...(authority.contact247 ? [authority.contact247.description, ...authority.contact247.emails] : []),
    ...authority.contactPersons.flatMap((person) => [person.name, ...(person.title ? [person.title] : []), ...person.emails]),
    ...authority.address.lines,
    ...(authority.website ? [authority.website] : []),
    ...(authority.notes ? [authority.notes] : []),
  ]);
  const phones = authorities.flatMap((authority) =>
    [...authority.phones, ...authority.fax, ...(authority.contact247?.phones ?? []), ...authority.contactPersons.flatMap((person) => person.phones)].map(
      (phone) => phone.number,
    ),
  );
  return { texts: [...new Set(texts)], phones: [...new Set(phones)] };
}

const nationalDigits = (e164: string) => parsePhoneNumberFromString(e164)?.nationalNumber ?? e164.replace(/\D/g, '');

/** Runs of digits as a page may write a number (+44 113 496 0142, (0113) 496-0142...), separators dropped. */
const digitRuns = (text: string) => [...text.matchAll(/\d[\d\s\u00a0\u202f().\/-]*\d/g)].map((match) => match[0].replace(/\D/g, ''));

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[char] ?? char);

/** Each secret found in a response body, raw, HTML-escaped, or (for phones) as its digits in any layout. */
function leaks(body: string, secrets: Secrets): string[] {
  const runs = digitRuns(body);
  return [
    ...secrets.texts.filter((text) => body.includes(text) || body.includes(escapeHtml(text))).map((text) => `text "${text}"`),
    ...secrets.phones.filter((phone) => body.includes(phone)).map((phone) => `phone ${phone}`),
    ...secrets.phones.filter((phone) => runs.some((run) => run.includes(nationalDigits(phone)))).map((phone) => `phone digits ${phone}`),
  ];
}

/** A search page rightly repeats what was typed (title, search box); only what it found is checked. */
function withoutEcho(html: string, q: string): string {
  const { $ } = page(html);
  $('title').remove();
  $('*').each((_, el) => {
    if (!('attribs' in el)) return;
    for (const [name, value] of Object.entries(el.attribs)) if (value === q) $(el).removeAttr(name);
  });
  // The markup for attributes, the decoded text for words whatever entities the serialiser chose
  return `${$.html()}\n${$.root().text()}`;
}

/** Every contact string of every restricted authority, for answers where no public authority may appear either. */
const ALL_RESTRICTED = secretsOf(restrictedAuthorities);

/**
 * The restricted strings that no public authority shares (several are all called "Ministry of
 * Justice (sample)"), for answers where public authorities rightly appear beside the stubs.
 */
const publicCorpus = JSON.stringify(publicAuthorities);
const publicDigitRuns = digitRuns(publicCorpus);
const UNIQUE_RESTRICTED: Secrets = {
  texts: ALL_RESTRICTED.texts.filter((text) => !publicCorpus.includes(text)),
  phones: ALL_RESTRICTED.phones.filter((phone) => !publicCorpus.includes(phone) && !publicDigitRuns.some((run) => run.includes(nationalDigits(phone)))),
};

/** The optional section of a restricted State, equally for authorized users only. */
function optionalSecretsOf(code: string): Secrets {
  const optional = sample.states.find((state) => state.code === code)?.optional;
  return {
    texts: [...(optional?.laws ?? []).flatMap((law) => [law.title, law.url]), ...(optional?.treaties ?? []).map((treaty) => treaty.title)],
    phones: [],
  };
}

const RESTRICTED_NAMES = [...new Set(restrictedAuthorities.flatMap((authority) => [authority.name.original, authority.name.en]))];

interface Stub {
  id: string;
  state: string;
  designations: string[];
  restricted: boolean;
}

describe('restricted States seen by an anonymous caller', () => {
  useTestDatabase();
  const app = testApp();
  const stubIds = new Map<string, string[]>();

  beforeAll(async () => {
    for (const code of RESTRICTED) {
      const res = await request(app).get(`/api/v1/states/${code}`);
      stubIds.set(code, (res.body.data?.authorities ?? []).map((authority: Stub) => authority.id));
    }
  });

  it('when the sample data is read, then six States are restricted, each with authorities and contacts to hide', () => {
    expect([...RESTRICTED].sort()).toEqual(['CHN', 'IND', 'MAR', 'MEX', 'RUS', 'SAU']);
    for (const code of RESTRICTED) expect(authoritiesOf(code).length).toBeGreaterThan(0);
    expect(ALL_RESTRICTED.texts.filter((text) => text.includes('@')).length).toBeGreaterThanOrEqual(restrictedAuthorities.length);
    expect(ALL_RESTRICTED.phones.length).toBeGreaterThanOrEqual(restrictedAuthorities.length);
    expect(UNIQUE_RESTRICTED.phones).toEqual(ALL_RESTRICTED.phones);
    for (const authority of restrictedAuthorities) expect(UNIQUE_RESTRICTED.texts).toEqual(expect.arrayContaining(authority.emails));
  });

  describe('JSON API', () => {
    it.each(RESTRICTED)('when State %s is asked for, then its authorities are stubs and its optional section is null', async (code) => {
      const res = await request(app).get(`/api/v1/states/${code}`);
      expect(res.status).toBe(200);
      const { data } = res.body;
      expect(data.access).toBe('restricted');
      expect(data.detailsRestricted).toBe(true);
      expect(data.optional).toBeNull();
      expect(data.authorities).toHaveLength(authoritiesOf(code).length);
      for (const authority of data.authorities as Stub[]) {
        expect(Object.keys(authority).sort()).toEqual(['designations', 'id', 'restricted', 'state']);
        expect(authority).toEqual({ id: expect.stringMatching(/^[a-f0-9]{24}$/), state: code, designations: expect.any(Array), restricted: true });
      }
      expect(leaks(res.text, ALL_RESTRICTED)).toEqual([]);
      expect(leaks(res.text, optionalSecretsOf(code))).toEqual([]);
    });

    it.each(RESTRICTED)('when each authority of %s is asked for at its address, then it is a stub without contacts', async (code) => {
      const ids = stubIds.get(code) ?? [];
      expect(ids).toHaveLength(authoritiesOf(code).length);
      for (const id of ids) {
        const res = await request(app).get(`/api/v1/authorities/${id}`);
        expect(res.status).toBe(200);
        expect(Object.keys(res.body.data).sort()).toEqual(['designations', 'id', 'restricted', 'state']);
        expect(res.body.data).toMatchObject({ id, state: code, restricted: true });
        expect(leaks(res.text, ALL_RESTRICTED)).toEqual([]);
      }
    });

    it.each(RESTRICTED)('when authorities are listed with state=%s, then none comes', async (code) => {
      for (const state of [code, code.toLowerCase()]) {
        const res = await request(app).get('/api/v1/authorities').query({ state });
        expect(res.status).toBe(200);
        expect(res.body.data).toEqual([]);
      }
    });

    it('when authorities are listed with or without any filter, then none of a restricted State comes and no restricted contact appears', async () => {
      const designations = [...new Set(sample.authorities.flatMap((authority) => authority.designations))];
      const languages = [...new Set(restrictedAuthorities.flatMap((authority) => authority.languages))];
      const queries: Array<Record<string, string>> = [
        {},
        ...designations.map((designation) => ({ designation })),
        ...instrumentCodes.map((instrument) => ({ instrument })),
        ...REGIONAL_GROUPS.map((region) => ({ region })),
        ...CHANNELS.map((channel) => ({ channel })),
        ...languages.map((language) => ({ language })),
        { q: 'sample' },
        { q: 'ministry' },
      ];
      for (const query of queries) {
        const res = await request(app).get('/api/v1/authorities').query(query);
        expect({ query, status: res.status }).toEqual({ query, status: 200 });
        const states = (res.body.data as Stub[]).map((authority) => authority.state);
        expect({ query, restricted: states.filter((state) => RESTRICTED.includes(state)) }).toEqual({ query, restricted: [] });
        expect({ query, leaks: leaks(res.text, UNIQUE_RESTRICTED) }).toEqual({ query, leaks: [] });
      }
    });

    it.each(RESTRICTED_NAMES)('when authorities are searched for "%s", then none of a restricted State comes', async (q) => {
      for (const url of ['/api/v1/authorities', '/api/v1/states']) {
        const res = await request(app).get(url).query({ q });
        expect(res.status).toBe(200);
        if (url.endsWith('/authorities')) {
          expect((res.body.data as Stub[]).filter((authority) => RESTRICTED.includes(authority.state))).toEqual([]);
        }
        expect(leaks(res.text, UNIQUE_RESTRICTED)).toEqual([]);
      }
    });

    it('when States are listed, then no restricted contact appears in the summaries', async () => {
      const res = await request(app).get('/api/v1/states');
      expect(res.status).toBe(200);
      expect(leaks(res.text, ALL_RESTRICTED)).toEqual([]);
    });

    it('when q pairs a word of a restricted authority’s name with a word every public authority has, then something is still found, so hidden names cannot be guessed letter by letter', async () => {
      // "W sample" can only come back empty when some authority matches both words: with W found
      // nowhere, or only in public names, every public "(sample)" authority or those public matches come back.
      const control = await request(app).get('/api/v1/authorities').query({ q: 'qzxwvkj sample' });
      expect(control.body.data).toHaveLength(publicAuthorities.length);
      const telling: string[] = [];
      const words = new Set(restrictedAuthorities.map((authority) => authority.name.original.split(/[\s()（）]+/).sort((a, b) => b.length - a.length)[0]!));
      for (const word of words) {
        const res = await request(app).get('/api/v1/authorities').query({ q: `${word} sample` });
        if (res.body.data.length === 0) telling.push(`"${word} sample" finds nothing, so a hidden authority is named "${word}"`);
      }
      expect(telling).toEqual([]);
    });
  });

  describe('HTML pages', () => {
    it.each(RESTRICTED)('when the page of State %s is opened, then it shows none of its authorities’ names or contacts, nor its optional section', async (code) => {
      const res = await request(app).get(`/states/${code}`);
      expect(res.status).toBe(200);
      expect(res.type).toBe('text/html');
      expect(leaks(res.text, ALL_RESTRICTED)).toEqual([]);
      expect(leaks(res.text, optionalSecretsOf(code))).toEqual([]);
    });

    it.each(RESTRICTED)('when the page of each authority of %s is opened, then it shows no name or contact', async (code) => {
      const ids = stubIds.get(code) ?? [];
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) {
        const res = await request(app).get(`/authorities/${id}`);
        expect({ id, status: res.status }).toEqual({ id, status: 200 });
        expect({ id, leaks: leaks(res.text, ALL_RESTRICTED) }).toEqual({ id, leaks: [] });
      }
    });

    it.each(RESTRICTED_NAMES)('when the site is searched for "%s", then no restricted name or contact appears', async (q) => {
      const res = await request(app).get('/search').query({ q });
      expect(res.status).toBe(200);
      expect(res.type).toBe('text/html');
      expect(leaks(withoutEcho(res.text, q), UNIQUE_RESTRICTED)).toEqual([]);
    });

    it.each(RESTRICTED)('when the site is searched with state=%s, then no restricted name or contact appears', async (state) => {
      const res = await request(app).get('/search').query({ state });
      expect(res.status).toBe(200);
      expect(leaks(res.text, ALL_RESTRICTED)).toEqual([]);
    });

    it.each(RESTRICTED)('when the printable page of State %s is opened, then it shows none of its authorities’ names or contacts, nor its requirements, laws or treaties', async (code) => {
      const res = await request(app).get(`/states/${code}/print`);
      expect(res.status).toBe(200);
      expect(leaks(res.text, ALL_RESTRICTED)).toEqual([]);
      expect(leaks(res.text, optionalSecretsOf(code))).toEqual([]);
      expect(page(res.text).count('section.optional, section.authority')).toBe(0);
    });

    it.each(RESTRICTED)('when the vCard of each authority of %s is asked for, then it is refused with no name or contact', async (code) => {
      for (const id of stubIds.get(code) ?? []) {
        const res = await request(app).get(`/authorities/${id}.vcf`);
        expect({ id, status: res.status, leaks: leaks(res.text, ALL_RESTRICTED) }).toEqual({ id, status: 403, leaks: [] });
      }
    });

    it('when the Directory is exported as CSV, then no restricted name, contact, 24/7 line or contact person appears', async () => {
      const res = await request(app).get('/export/directory.csv');
      expect(res.status).toBe(200);
      expect(res.text).toContain('contact_persons');
      expect(leaks(res.text, UNIQUE_RESTRICTED)).toEqual([]);
    });

    it('when the home page is opened, then no restricted name or contact appears', async () => {
      const res = await request(app).get('/');
      expect(res.status).toBe(200);
      expect(leaks(res.text, UNIQUE_RESTRICTED)).toEqual([]);
    });
  });

  describe('a public State, so that these checks can fail', () => {
    const france = secretsOf(authoritiesOf('FRA'));
    const franceEmails = france.texts.filter((text) => text.includes('@'));

    it('when FRA is asked for in JSON, then its e-mails and phone numbers are there', async () => {
      const res = await request(app).get('/api/v1/states/FRA');
      const found = leaks(res.text, france);
      expect(found).toEqual(expect.arrayContaining([...franceEmails.map((email) => `text "${email}"`), ...france.phones.map((phone) => `phone ${phone}`)]));
    });

    it('when the page of FRA is opened, then its authorities’ names, e-mails and phone numbers are there', async () => {
      const res = await request(app).get('/states/FRA');
      expect(res.status).toBe(200);
      const found = leaks(res.text, france);
      for (const authority of authoritiesOf('FRA')) {
        expect(found).toContain(`text "${authority.name.original}"`);
        expect(found).toContain(`text "${authority.emails[0]}"`);
        expect(found).toContain(`phone digits ${authority.phones[0]!.number}`);
      }
    });

    it('when the page of a FRA authority is opened, then its name, e-mail and phone digits are there', async () => {
      const [listed] = (await request(app).get('/api/v1/authorities').query({ state: 'FRA', q: 'Ministère de la Justice' })).body.data as Array<{ id: string }>;
      const res = await request(app).get(`/authorities/${listed!.id}`);
      expect(res.status).toBe(200);
      const justice = authoritiesOf('FRA').find((authority) => authority.name.original.startsWith('Ministère de la Justice'))!;
      const found = leaks(res.text, secretsOf([justice]));
      expect(found).toEqual(expect.arrayContaining([`text "${justice.name.original}"`, `text "${justice.emails[0]}"`, `phone digits ${justice.phones[0]!.number}`]));
    });

    it('when the site is searched for a FRA authority, then it is found by name', async () => {
      const res = await request(app).get('/search').query({ q: 'Ministère de la Justice' });
      expect(res.status).toBe(200);
      expect(leaks(res.text, france)).toContain('text "Ministère de la Justice (exemple)"');
    });
  });
});
