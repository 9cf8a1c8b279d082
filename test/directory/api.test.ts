import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { REGIONAL_GROUPS, UN_LANGUAGES } from '../../src/directory/directory.types';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { checkingRequests, expectOnlyDocumentedRequests } from '../helpers/openapi-validator';

/** What the tests expect is read from the seed files, so a change of sample data changes the expectation too. */
const readSeed = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(__dirname, '../../seed/data', file), 'utf8')) as T;

interface SeedAuthority {
  state: string;
  designations: string[];
  name: { original: string; en: string };
  languages: string[];
  channels: string[];
}
const sample = readSeed<{ states: Array<{ code: string; access: string }>; authorities: SeedAuthority[] }>('sample.json');
const referenceStates = readSeed<{ states: Array<{ code: string; region: string }> }>('states.json').states;
const designationTypes = readSeed<{ designations: Array<{ code: string; instrument: string; core: boolean }> }>('designations.json').designations;
const resourceCount = readSeed<{ resources: unknown[] }>('resources.json').resources.length;

const restrictedCodes = new Set(sample.states.filter((state) => state.access === 'restricted').map((state) => state.code));
const publicAuthorities = sample.authorities.filter((authority) => !restrictedCodes.has(authority.state));
const statesHolding = (test: (designation: string) => boolean) =>
  [...new Set(sample.authorities.filter((authority) => authority.designations.some(test)).map((authority) => authority.state))].sort();

interface StateJson {
  code: string;
  name: string;
  names: Record<string, string>;
  region: string;
  designations: string[];
}
interface AuthorityJson {
  id: string;
  state: string;
  designations: string[];
  name: { original: string; en: string };
  languages: string[];
  channels: string[];
  emails: string[];
  restricted: boolean;
}
interface ErrorJson {
  error: { code: string; message: string; fields?: Record<string, string> };
}

const API = '/api/v1';

describe('JSON API v1', () => {
  useTestDatabase();
  const app = checkingRequests(testApp());
  expectOnlyDocumentedRequests(app);
  const get = (url: string) => request(app).get(`${API}${url}`);
  const states = async (query: Record<string, string> = {}) => {
    const res = await get('/states').query({ limit: '200', ...query });
    expect(res.status).toBe(200);
    return res.body.data as StateJson[];
  };
  const authorities = async (query: Record<string, string> = {}) => {
    const res = await get('/authorities').query({ limit: '200', ...query });
    expect(res.status).toBe(200);
    return res.body.data as AuthorityJson[];
  };

  describe('GET /states', () => {
    it('when listed without filters, then all 198 States come, sorted by English name, each named in the six UN languages', async () => {
      const data = await states();
      expect(data).toHaveLength(198);
      expect(data.map((state) => state.code).sort()).toEqual(referenceStates.map((state) => state.code).sort());
      for (const state of data) {
        expect(Object.keys(state.names).sort()).toEqual([...UN_LANGUAGES].sort());
        for (const lang of UN_LANGUAGES) expect(state.names[lang]).toMatch(/\S/);
        expect(state.name).toBe(state.names.en);
      }
      const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
      const names = data.map((state) => state.name);
      expect(names).toEqual([...names].sort(collator.compare));
    });

    it('when lang=ru, then each name is the Russian one and the list is in Russian alphabetical order', async () => {
      const data = await states({ lang: 'ru' });
      expect(data).toHaveLength(198);
      expect(data.find((state) => state.code === 'FRA')?.name).toBe('Франция');
      for (const state of data) expect(state.name).toBe(state.names.ru);
      const collator = new Intl.Collator('ru', { sensitivity: 'base', numeric: true });
      const names = data.map((state) => state.name);
      expect(names).toEqual([...names].sort(collator.compare));
    });

    it.each([
      ['Россия', 'RUS', 'a Russian name'],
      ['Turkey', 'TUR', 'a former English name (alias)'],
      ['cote divoire', 'CIV', 'no accent and no apostrophe'],
      ['Côte d’Ivoire', 'CIV', 'a typographic apostrophe'],
      ["Cote d'Ivoire", 'CIV', 'a straight apostrophe'],
      ['Bolvia', 'BOL', 'a typing slip'],
      ['中国', 'CHN', 'Chinese'],
      ['مصر', 'EGY', 'Arabic'],
      ['المملكة العربية السعودية', 'SAU', 'a long Arabic name'],
      ['fra', 'FRA', 'the State code'],
    ])('when q is "%s", then %s comes first (%s)', async (q, code) => {
      const data = await states({ q });
      expect(data[0]?.code).toBe(code);
    });

    it('when q and region disagree, then nothing is found', async () => {
      expect(await states({ q: 'Russia', region: 'WEOG' })).toEqual([]);
    });

    it('when filtered by designation, then exactly the States with an authority holding it come', async () => {
      const data = await states({ designation: 'SOM-8-6' });
      expect(data.map((state) => state.code).sort()).toEqual(statesHolding((code) => code === 'SOM-8-6'));
      for (const state of data) expect(state.designations).toContain('SOM-8-6');
    });

    it.each(REGIONAL_GROUPS.filter((region) => region !== 'NONE'))('when filtered by region %s, then exactly its States come', async (region) => {
      const data = await states({ region });
      const expected = referenceStates.filter((state) => state.region === region).map((state) => state.code).sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(data.map((state) => state.code).sort()).toEqual(expected);
    });

    it('when filtered by instrument, then exactly the States with a designation under it come', async () => {
      const firearms = new Set(designationTypes.filter((type) => type.instrument === 'FIREARMS').map((type) => type.code));
      const data = await states({ instrument: 'FIREARMS' });
      expect(data.length).toBeGreaterThan(0);
      expect(data.map((state) => state.code).sort()).toEqual(statesHolding((code) => firearms.has(code)));
    });

    it('when a filter is empty, then it counts as absent', async () => {
      expect(await states({ region: '', designation: '', q: '' })).toHaveLength(198);
    });
  });

  describe('GET /states/{code}', () => {
    it('when the code is lower-case, then the State is found', async () => {
      const res = await get('/states/fra');
      expect(res.status).toBe(200);
      expect(res.body.data.code).toBe('FRA');
    });

    it('when a public State is asked for, then its authorities come in full with its optional section', async () => {
      const res = await get('/states/FRA');
      expect(res.status).toBe(200);
      const { data } = res.body;
      expect(data.detailsRestricted).toBe(false);
      expect(data.optional).not.toBeNull();
      expect(data.authorities).toHaveLength(sample.authorities.filter((authority) => authority.state === 'FRA').length);
      for (const authority of data.authorities) {
        expect(authority.restricted).toBe(false);
        expect(authority.emails.length).toBeGreaterThan(0);
      }
    });

    it('when lang=ar, then the name is the Arabic one', async () => {
      const res = await get('/states/EGY?lang=ar');
      expect(res.body.data.name).toBe('مصر');
    });

    it('when a State has no authority, then it lists the core designations as missing', async () => {
      const res = await get('/states/AFG');
      expect(res.body.data.authorities).toEqual([]);
      expect(res.body.data.missingDesignations).toEqual(designationTypes.filter((type) => type.core).map((type) => type.code));
    });

    it('when the code is unknown, then 404 comes with a JSON error', async () => {
      const res = await get('/states/XXX');
      expect(res.status).toBe(404);
      expect(res.type).toBe('application/json');
      expect((res.body as ErrorJson).error).toEqual({ code: 'not_found', message: expect.any(String) });
    });

    it.each(['12', 'FRAN', 'F-A'])('when the code is "%s", then 400 comes with the field in error', async (code) => {
      const res = await get(`/states/${code}`);
      expect(res.status).toBe(400);
      const { error } = res.body as ErrorJson;
      expect(error.code).toBe('invalid_parameters');
      expect(Object.keys(error.fields ?? {})).not.toHaveLength(0);
    });
  });

  describe('GET /authorities', () => {
    it('when listed without filters, then every authority of a public State comes, by State then English name', async () => {
      const data = await authorities();
      expect(data).toHaveLength(publicAuthorities.length);
      for (const authority of data) expect(restrictedCodes.has(authority.state)).toBe(false);
      const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
      const keys = data.map((authority) => [authority.state, authority.name.en] as const);
      expect(keys).toEqual([...keys].sort((a, b) => collator.compare(a[0], b[0]) || collator.compare(a[1], b[1])));
    });

    it.each(['FRA', 'fra'])('when filtered by state=%s, then only that State’s authorities come', async (state) => {
      const data = await authorities({ state });
      expect(data).toHaveLength(publicAuthorities.filter((authority) => authority.state === 'FRA').length);
      for (const authority of data) expect(authority.state).toBe('FRA');
    });

    it('when filtered by designation, then exactly the public authorities holding it come', async () => {
      const data = await authorities({ designation: 'UNTOC-17' });
      expect(data.map((authority) => authority.name.original).sort()).toEqual(
        publicAuthorities.filter((authority) => authority.designations.includes('UNTOC-17')).map((authority) => authority.name.original).sort(),
      );
    });

    it.each(['es', 'ES'])('when filtered by language=%s, then exactly the public authorities taking Spanish come', async (language) => {
      const data = await authorities({ language });
      expect(data.length).toBeGreaterThan(0);
      expect(data).toHaveLength(publicAuthorities.filter((authority) => authority.languages.includes('es')).length);
      for (const authority of data) expect(authority.languages).toContain('es');
    });

    it('when filtered by channel, then exactly the public authorities taking it come', async () => {
      const data = await authorities({ channel: 'secure-platform' });
      expect(data.length).toBeGreaterThan(0);
      expect(data).toHaveLength(publicAuthorities.filter((authority) => authority.channels.includes('secure-platform')).length);
      for (const authority of data) expect(authority.channels).toContain('secure-platform');
    });

    it.each([
      ['Ministère de la Justice', 'FRA', 'French'],
      ['Міністерство юстиції', 'UKR', 'Ukrainian'],
      ['法務省', 'JPN', 'Japanese'],
      ['Ministerio de Relaciones Exteriores', 'ARG', 'Spanish'],
    ])('when q is the original-language name "%s", then the %s authority comes first (%s)', async (q, state) => {
      const [first] = await authorities({ q });
      expect(first?.state).toBe(state);
      expect(first?.name.original).toContain(q);
    });

    it.each([
      ['Naval Prefecture', 'ARG'],
      ['Coast Guard Operations Center', 'USA'],
      ['Federal Ministry of Justice', 'DEU'],
    ])('when q is the English name "%s", then the %s authority comes first', async (q, state) => {
      const [first] = await authorities({ q });
      expect(first?.state).toBe(state);
      expect(first?.name.en).toContain(q);
    });

    it('when q and state are combined, then both apply', async () => {
      const data = await authorities({ q: 'Ministry of Justice', state: 'BRA' });
      expect(data.length).toBeGreaterThan(0);
      for (const authority of data) expect(authority.state).toBe('BRA');
    });
  });

  describe('GET /authorities/{id}', () => {
    it('when the id is that of a public authority, then it comes in full', async () => {
      const [listed] = await authorities({ state: 'GBR' });
      const res = await get(`/authorities/${listed!.id}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual(listed);
    });

    it.each(['not-an-id', '12345', '0123456789abcdef0123456g'])('when the id is "%s", then 400 comes with the field in error', async (id) => {
      const res = await get(`/authorities/${id}`);
      expect(res.status).toBe(400);
      expect((res.body as ErrorJson).error.code).toBe('invalid_parameters');
      expect(Object.keys((res.body as ErrorJson).error.fields ?? {})).not.toHaveLength(0);
    });

    it('when the id is well formed but unknown, then 404 comes with a JSON error', async () => {
      const res = await get('/authorities/0123456789abcdef01234567');
      expect(res.status).toBe(404);
      expect((res.body as ErrorJson).error.code).toBe('not_found');
    });
  });

  describe('GET /designations and /resources', () => {
    it('when the designations are listed, then all nine come, the four core ones first', async () => {
      const res = await get('/designations');
      expect(res.status).toBe(200);
      const data = res.body.data as Array<{ code: string; core: boolean; titles: Record<string, string> }>;
      expect(data).toHaveLength(9);
      expect(data.filter((type) => type.core).map((type) => type.code)).toEqual(['UNTOC-18-13', 'UNTOC-16', 'UNTOC-17', 'SOM-8-6']);
      expect(data.slice(0, 4).every((type) => type.core)).toBe(true);
      for (const type of data) expect(Object.keys(type.titles).sort()).toEqual([...UN_LANGUAGES].sort());
    });

    it('when the resources are listed, then every seeded one comes, grouped by category', async () => {
      const res = await get('/resources?lang=fr');
      expect(res.status).toBe(200);
      const data = res.body.data as Array<{ id: string; title: string; url: string; category: string }>;
      expect(data).toHaveLength(resourceCount);
      for (const resource of data) {
        expect(resource.id).toMatch(/^[a-f0-9]{24}$/);
        expect(resource.url).toMatch(/^https?:\/\//);
      }
      const categories = data.map((resource) => resource.category);
      expect(categories).toEqual([...categories].sort());
    });
  });

  describe('bad parameters', () => {
    it.each([
      ['/states?foo=1', 'foo'],
      ['/states?region=MARS', 'region'],
      ['/states?instrument=untoc', 'instrument'],
      ['/states?lang=de', 'lang'],
      ['/states?designation=untoc-18-13', 'designation'],
      ['/states?designation=UNTOC-99', 'designation'],
      ['/authorities?designation=UNTOC-99', 'designation'],
      ['/authorities?state=FR', 'state'],
      ['/authorities?language=klingon', 'language'],
      ['/authorities?channel=pigeon', 'channel'],
      ['/authorities?cursor=2', 'cursor'],
      ['/authorities?limit=500', 'limit'],
      ['/states/FRA?q=x', 'q'],
      ['/authorities/0123456789abcdef01234567?lang=xx', 'lang'],
      ['/designations?x=1', 'x'],
      ['/resources?lang=ja', 'lang'],
    ])('when asked for %s, then 400 names the field "%s"', async (url, field) => {
      const res = await get(url);
      expect(res.status).toBe(400);
      expect(res.type).toBe('application/json');
      const { error } = res.body as ErrorJson;
      expect(error.code).toBe('invalid_parameters');
      expect(error.message).toEqual(expect.any(String));
      expect(error.fields).toHaveProperty([field], expect.any(String));
    });

    it('when q is 201 characters, then 400 names q; at 200 characters it is accepted', async () => {
      const tooLong = await get(`/states?q=${'x'.repeat(201)}`);
      expect(tooLong.status).toBe(400);
      expect((tooLong.body as ErrorJson).error.code).toBe('invalid_parameters');
      expect((tooLong.body as ErrorJson).error.fields).toHaveProperty(['q'], expect.any(String));
      expect((await get(`/states?q=${'x'.repeat(200)}`)).status).toBe(200);
    });
  });

  describe('garbage input', () => {
    it.each([
      '/states?q[$ne]=x',
      '/states?q[]=x',
      '/states?q=a&q=b',
      '/states?region=',
      '/states?lang[]=ru',
      '/states?__proto__=x',
      '/states?constructor=x',
      '/states?q=%00',
      "/states?q=' OR 1=1 --",
      '/states?q=.*',
      '/states?q=(((',
      '/states?q=%E2%80%AE',
      '/states?q=%F0%9F%92%A9',
      '/states?q=%ZZ',
      '/states/%ZZ',
      '/states/%00',
      '/states/..%2F..%2Fetc',
      '/authorities/%ZZ',
      '/authorities/%00',
      '/authorities?state[$gt]=',
      '/authorities?q=a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k%20l%20m%20n%20o%20p',
      '/authorities/0123456789abcdef01234567/extra',
      '/nothing-here',
    ])('when asked for %s, then the answer is JSON with no server error', async (url) => {
      const res = await get(url);
      expect(res.status).toBeLessThan(500);
      expect(res.type).toBe('application/json');
      if (res.status >= 400) expect((res.body as ErrorJson).error.code).toEqual(expect.any(String));
      expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
    });
  });

  it('when any anonymous API answer is sent, then shared caches may keep it but must revalidate', async () => {
    for (const url of ['/states', '/states/FRA', '/designations']) {
      expect((await get(url)).headers['cache-control']).toBe('public, no-cache');
    }
  });
});
