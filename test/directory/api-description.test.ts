import request from 'supertest';
import type { OpenApiDocument } from '../../src/shared/openapi';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { checkingRequests, expectOnlyDocumentedRequests, schemaValidator } from '../helpers/openapi-validator';
import { apiToken, authorityOf } from '../editing/editing-helpers';

/** The API answers as its OpenAPI description says, in the places where a property-based run found them apart. */

const API = '/api/v1';

describe('the API and its description agree', () => {
  useTestDatabase();
  const app = checkingRequests(testApp());
  expectOnlyDocumentedRequests(app);
  let served: OpenApiDocument;
  let catalogue: string[];

  beforeAll(async () => {
    served = (await request(app).get(`${API}/openapi.json`)).body;
    catalogue = ((await request(app).get(`${API}/designations`)).body.data as Array<{ code: string }>).map((type) => type.code);
  });

  /** The served schema of a parameter of GET `path` (every list takes the same filters). */
  const parameterOf = (name: string, path = '/authorities') => served.paths[path]!.get!.parameters!.find((parameter) => parameter.name === name)!;
  const admits = (parameter: string, value: string, path?: string) => schemaValidator(`served ${path} ${parameter} ${value}`, parameterOf(parameter, path).schema)(value);

  it.each([
    ['lang', '/designations'],
    ['lang', '/resources'],
    ['lang', '/states'],
    ['designation', '/states'],
    ['region', '/states'],
    ['instrument', '/authorities'],
    ['state', '/authorities'],
    ['language', '/authorities'],
    ['channel', '/authorities'],
  ])('when %s is sent empty to %s, then it counts as absent and the description admits the empty value', async (parameter, path) => {
    const empty = await request(app).get(`${API}${path}`).query({ [parameter]: '' });
    const absent = await request(app).get(`${API}${path}`);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual(absent.body);
    expect(admits(parameter, '', path)).toBe(true);
  });

  it('when language is a well-formed code no authority accepts (GAK), then the answer is an empty list, as the pattern promises', async () => {
    expect(admits('language', 'GAK')).toBe(true);
    const res = await request(app).get(`${API}/authorities`).query({ language: 'GAK' });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect((await request(app).get(`${API}/authorities`).query({ language: 'FR' })).body.data.length).toBeGreaterThan(0);
  });

  it('when a designation code is not in the catalogue, then it is refused with 400, and the description lists exactly the catalogue’s codes', async () => {
    expect(catalogue.length).toBeGreaterThan(5);
    for (const code of catalogue) expect(admits('designation', code)).toBe(true);
    expect(admits('designation', 'TBE76GTMCW2JQ-J0K5')).toBe(false);
    expect((await request(app).get(`${API}/states`).query({ designation: 'TBE76GTMCW2JQ-J0K5' })).status).toBe(400);
  });

  it('when an authority is removed without If-Match, then it is refused with 400, and the description marks If-Match required there', async () => {
    const ifMatch = served.paths['/authorities/{id}']!.delete!.parameters!.find((parameter) => parameter.name === 'If-Match');
    expect(ifMatch?.required).toBe(true);
    const { token } = await apiToken('focal-point', ['FRA']);
    const authority = await authorityOf('FRA');
    const res = await request(app).delete(`${API}/authorities/${authority.id}`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ version: expect.any(String) });
  });

  it.each([
    ['/authorities/0123456789abcdef01234567', 'GET, HEAD, PUT, DELETE, OPTIONS'],
    ['/states/FRA/authorities', 'POST, OPTIONS'],
    ['/states/FRA/optional', 'PUT, OPTIONS'],
    ['/states', 'GET, HEAD, OPTIONS'],
  ])('when OPTIONS is asked of %s, then Allow lists every method the path supports, writes included', async (path, allow) => {
    const res = await request(app).options(`${API}${path}`);
    expect(res.status).toBe(204);
    expect(res.headers.allow!.split(', ').sort()).toEqual(allow.split(', ').sort());
  });

  it.each([
    ['TRACE', '/designations'],
    ['TRACE', '/resources'],
    ['PATCH', '/authorities/0123456789abcdef01234567'],
    ['DELETE', '/states'],
  ])('when %s is sent to %s, then the answer is 405 with Allow and a JSON error, not 404', async (method, path) => {
    const res = await request(app)[method.toLowerCase() as 'trace' | 'patch' | 'delete'](`${API}${path}`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toContain('OPTIONS');
    expect(res.headers.allow).not.toContain(method);
    expect(res.body).toEqual({ error: { code: 'method_not_allowed', message: expect.any(String) } });
  });

  it('when a path is not part of the API, then it is still 404', async () => {
    expect((await request(app).trace(`${API}/nothing-here`)).status).toBe(404);
  });
});
