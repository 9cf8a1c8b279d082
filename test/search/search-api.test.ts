import request from 'supertest';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { checkingRequests, expectOnlyDocumentedRequests, openApiErrors } from '../helpers/openapi-validator';
import { apiToken } from '../editing/editing-helpers';

interface ResultJson {
  type: 'state' | 'authority';
  matched: { field: string; value: string; label: string } | null;
  state?: { code: string };
  authority?: { id: string; state: string; name: { original: string } };
}

const labelOf = (result: ResultJson) => (result.type === 'state' ? `state:${result.state!.code}` : `authority:${result.authority!.state}:${result.authority!.name.original}`);

describe('the API’s search: one ranked list of States and authorities, each with its type and why it matched', () => {
  useTestDatabase();
  const app = checkingRequests(testApp());
  expectOnlyDocumentedRequests(app);
  const search = (query: Record<string, string>, token?: string) => {
    const req = request(app).get('/api/v1/search').query(query);
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  it('when "ministry of justice Germany" is sought, then the German ministry comes first, typed as an authority, before the State', async () => {
    const res = await search({ q: 'ministry of justice Germany' }).expect(200);
    expect(openApiErrors(res, '/search')).toEqual([]);
    const results = res.body.data as ResultJson[];
    expect(labelOf(results[0]!)).toBe('authority:DEU:Bundesministerium der Justiz (Beispiel)');
    expect(results[0]!.matched).toEqual({ field: 'name', value: 'Federal Ministry of Justice (sample)', label: 'name' });
    expect(results.map((result) => result.type)).not.toContain('state');
  });

  it('when a State is found by one of its names in another language, then the reason names it in the language asked for', async () => {
    const results = (await search({ q: 'Deutschland', lang: 'fr' }).expect(200)).body.data as ResultJson[];
    expect(labelOf(results[0]!)).toBe('state:DEU');
    expect(results[0]!.matched).toEqual({ field: 'alias', value: 'Deutschland', label: 'autre nom : Deutschland' });
  });

  it('when an authority is sought by its contact person, then the reason says so in Arabic, Chinese, Russian and Spanish', async () => {
    const { token } = await apiToken('practitioner');
    const labels = { ar: 'جهة الاتصال: Jane Sample', zh: '联系人：Jane Sample', ru: 'контактное лицо: Jane Sample', es: 'persona de contacto: Jane Sample' };
    for (const [lang, label] of Object.entries(labels)) {
      const results = (await search({ q: 'Jane Sample', lang }, token).expect(200)).body.data as ResultJson[];
      expect(results[0]!.matched?.label).toBe(label);
    }
  });

  it('when a restricted State’s authority is sought by its e-mail address, then only a caller who may see its details finds it', async () => {
    const address = 'pravovaya-pomoshch@minjust.ru.example';
    expect(((await search({ q: address }).expect(200)).body.data as ResultJson[]).filter((result) => result.authority?.state === 'RUS')).toEqual([]);
    const { token } = await apiToken('practitioner');
    const found = (await search({ q: address }, token).expect(200)).body.data as ResultJson[];
    expect(labelOf(found[0]!)).toBe('authority:RUS:Министерство юстиции (образец)');
    expect(found[0]!.matched).toMatchObject({ field: 'e-mail', value: address });
  });

  it('when the results fill more than a page, then they come page by page with links, and no result is on two pages', async () => {
    const first = await search({ q: 'sample', limit: '5' }).expect(200);
    expect(first.body.meta).toMatchObject({ page: 1, limit: 5 });
    expect(first.body.meta.total).toBeGreaterThan(5);
    expect(first.body.links.next).toBe('/api/v1/search?q=sample&limit=5&page=2');
    const second = await request(app).get(first.body.links.next).expect(200);
    const seen = (first.body.data as ResultJson[]).map(labelOf);
    expect((second.body.data as ResultJson[]).map(labelOf).filter((label) => seen.includes(label))).toEqual([]);
  });

  it('when only a filter is given, then States come by name, then authorities, with no reason', async () => {
    const results = (await search({ region: 'WEOG', designation: 'SOM-8-6', limit: '200' }).expect(200)).body.data as ResultJson[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((result) => result.matched === null)).toBe(true);
    const firstAuthority = results.findIndex((result) => result.type === 'authority');
    expect(results.slice(firstAuthority).every((result) => result.type === 'authority')).toBe(true);
  });

  it('when a parameter is not valid, then the answer is a 400 with the field', async () => {
    const res = await search({ q: 'x'.repeat(201), region: 'NOWHERE' }).expect(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['q', 'region']);
  });
});
