import request from 'supertest';
import { directoryApi } from '../../src/directory/directory.api';
import { editingApi } from '../../src/editing/editing.api';
import { finderApi } from '../../src/finder/finder.api';
import { openApiDocument, openApiDocumentFor } from '../../src/directory/openapi';
import { NEED_CODES } from '../../src/finder/finder.needs';
import type { OperationObject, PathItemObject } from '../../src/shared/openapi';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { checkingRequests, openApiErrors, openApiRequestErrors, schemaValidator, type PathTemplate } from '../helpers/openapi-validator';

const API = '/api/v1';

interface Listed {
  data: Array<{ id: string; code: string; authorities?: Array<{ id: string }> }>;
}

/** `GET /states/:code` as the routers mounted at /api/v1 spell it, in the document's `/states/{code}` form. */
function routerPaths(): string[] {
  const stack = [directoryApi(), finderApi(), editingApi()].flatMap((router) => (router as unknown as { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> }).stack);
  return stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`),
    );
}

function documentPaths(): string[] {
  return Object.entries(openApiDocument.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
}

/** Every `$ref` in the document, with where it was found. */
function references(value: unknown, at = '#'): Array<{ at: string; ref: string }> {
  if (Array.isArray(value)) return value.flatMap((item, index) => references(item, `${at}/${index}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [{ at, ref: inner }] : references(inner, `${at}/${key}`),
  );
}

function resolvePointer(pointer: string): unknown {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), openApiDocument);
}

/** The object-level rules of OpenAPI 3.1 that a JSON Schema check of the schemas alone would miss. */
function structuralProblems(): string[] {
  const problems: string[] = [];
  const operationIds = new Set<string>();
  const allowedOperationKeys = new Set(['operationId', 'summary', 'description', 'tags', 'parameters', 'requestBody', 'responses', 'deprecated']);
  const allowedParameterKeys = new Set(['name', 'in', 'description', 'required', 'schema', 'deprecated']);
  const paths: Record<string, PathItemObject> = openApiDocument.paths;
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/')) problems.push(`${path}: a path must start with /`);
    for (const [method, operation] of Object.entries(item) as Array<[string, OperationObject]>) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(method)) problems.push(`${where}: not an HTTP method`);
      for (const key of Object.keys(operation)) if (!allowedOperationKeys.has(key)) problems.push(`${where}: unknown key ${key}`);
      if (operationIds.has(operation.operationId)) problems.push(`${where}: duplicate operationId ${operation.operationId}`);
      operationIds.add(operation.operationId);
      const declared = operation.parameters ?? [];
      for (const parameter of declared) {
        for (const key of Object.keys(parameter)) if (!allowedParameterKeys.has(key)) problems.push(`${where} parameter ${parameter.name}: unknown key ${key}`);
        if (!['query', 'header', 'path', 'cookie'].includes(parameter.in)) problems.push(`${where} parameter ${parameter.name}: bad location ${parameter.in}`);
        if (!parameter.description) problems.push(`${where} parameter ${parameter.name}: no description`);
      }
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const name of templated) {
        const parameter = declared.find((candidate) => candidate?.in === 'path' && candidate.name === name);
        if (!parameter) problems.push(`${where}: path parameter ${name} is not declared`);
        else if (parameter.required !== true) problems.push(`${where}: path parameter ${name} must be required`);
      }
      for (const parameter of declared) {
        if (parameter?.in === 'path' && !templated.includes(parameter.name ?? '')) problems.push(`${where}: ${parameter.name} is not in the path`);
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^[1-5]\d\d$|^default$/.test(status)) problems.push(`${where}: bad status ${status}`);
        if (!('$ref' in response) && !response.description) problems.push(`${where} ${status}: no description`);
      }
    }
  }
  for (const [name, response] of Object.entries(openApiDocument.components.responses)) {
    if (!response.description) problems.push(`response ${name}: no description`);
  }
  return problems;
}

describe('OpenAPI document', () => {
  it('when the document is read, then it declares OpenAPI 3.1 with a title and version', () => {
    expect(openApiDocument.openapi).toMatch(/^3\.1\.\d+$/);
    expect(openApiDocument.info.title).toEqual(expect.any(String));
    expect(openApiDocument.info.version).toEqual(expect.any(String));
  });

  it('when its objects are checked, then operations, parameters and responses follow OpenAPI 3.1', () => {
    expect(structuralProblems()).toEqual([]);
  });

  it('when every $ref is followed, then each one resolves inside the document', () => {
    const unresolved = references(openApiDocument).filter(({ ref }) => !ref.startsWith('#/') || resolvePointer(ref) === undefined);
    expect(unresolved).toEqual([]);
  });

  it('when every schema and parameter schema is compiled as JSON Schema 2020-12 in strict mode, then none is refused', () => {
    for (const [name, schema] of Object.entries(openApiDocument.components.schemas)) {
      expect(() => schemaValidator(`component ${name}`, schema)).not.toThrow();
    }
    const paths: Record<string, PathItemObject> = openApiDocument.paths;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const parameter of operation.parameters ?? []) {
          expect(() => schemaValidator(`parameter ${method} ${path} ${parameter.name}`, parameter.schema)).not.toThrow();
        }
        const body = operation.requestBody?.content['application/json']?.schema;
        if (body) expect(() => schemaValidator(`body ${method} ${path}`, body)).not.toThrow();
      }
    }
  });

  it('when the router is compared with the document, then every route is documented and nothing else is', () => {
    expect(documentPaths().sort()).toEqual(routerPaths().sort());
    expect(routerPaths().length).toBeGreaterThanOrEqual(7);
  });

  it('when the components are listed, then the ones the API answers with are all there', () => {
    expect(Object.keys(openApiDocument.components.schemas)).toEqual(
      expect.arrayContaining(['StateSummary', 'StateDetail', 'Authority', 'AuthorityStub', 'DesignationType', 'Resource', 'Error']),
    );
  });

  it('when a stub carries a contact field, then the validator reports it', () => {
    const leaky = {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { data: { id: '0123456789abcdef01234567', state: 'RUS', designations: ['UNTOC-18-13'], restricted: true, emails: ['a@b.example'] } },
    };
    expect(openApiErrors(leaky, '/authorities/{id}')).not.toEqual([]);
  });

  it('when a request is outside the document, then the request validator names each problem', () => {
    expect(openApiRequestErrors({ method: 'GET', url: '/api/v1/states?lang=fr&page=2' })).toEqual([]);
    expect(openApiRequestErrors({ method: 'GET', url: '/api/v1/states?colour=blue' })).toEqual(['GET /states: query parameter colour is not documented']);
    expect(openApiRequestErrors({ method: 'GET', url: '/api/v1/states?page=' })).not.toEqual([]);
    expect(openApiRequestErrors({ method: 'GET', url: '/api/v1/states/FRANCE' })).not.toEqual([]);
    expect(openApiRequestErrors({ method: 'PATCH', url: '/api/v1/states/FRA' })).toEqual(['PATCH /states/FRA: the method is not documented for /states/{code}']);
    expect(openApiRequestErrors({ method: 'DELETE', url: '/api/v1/authorities/0123456789abcdef01234567' })).toEqual([
      'DELETE /authorities/0123456789abcdef01234567: header parameter If-Match is required',
    ]);
    const access = { method: 'PUT', url: '/api/v1/states/FRA/access', headers: { 'if-match': '"3"' } };
    expect(openApiRequestErrors({ ...access, body: { access: 'restricted' } })).toEqual([]);
    expect(openApiRequestErrors({ ...access, body: { access: 'secret' } })).not.toEqual([]);
    expect(openApiRequestErrors({ ...access, body: { access: 'public', colour: 'blue' } })).not.toEqual([]);
  });

  it('when a status is not documented for the path, then the validator says so', () => {
    const undocumented = { status: 404, headers: { 'content-type': 'application/json' }, body: { error: { code: 'not_found', message: 'x' } } };
    expect(openApiErrors(undocumented, '/states')).toEqual(['GET /states: status 404 is not documented']);
  });
});

describe('API responses against the OpenAPI document', () => {
  useTestDatabase();
  const app = testApp();

  const conforms = async (path: PathTemplate, url: string, status: number) => {
    const res = await request(app).get(`${API}${url}`);
    expect({ url, status: res.status }).toEqual({ url, status });
    expect({ url, errors: openApiErrors(res, path) }).toEqual({ url, errors: [] });
    return res;
  };

  it('when the document is fetched, then it is served as JSON, the module’s with the catalogue’s designation codes', async () => {
    const res = await conforms('/openapi.json', '/openapi.json', 200);
    const codes = ((await request(app).get(`${API}/designations`)).body.data as Array<{ code: string }>).map((type) => type.code);
    const instruments = ((await request(app).get(`${API}/instruments`)).body.data as Array<{ code: string }>).map((instrument) => instrument.code);
    // The finder's kinds: the fixed ones, then one per designation type in use that none of them answers
    const needs = [...NEED_CODES, 'DRUGS1988-6', 'DRUGS1988-17-7', 'FIREARMS-13-2'];
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocumentFor({ designations: codes, instruments, needs }))));
    const find = res.body.paths['/find'].get.parameters.find((parameter: { name: string }) => parameter.name === 'need');
    expect(find.schema.enum).toEqual(needs);
  });

  it.each<[PathTemplate, string, number]>([
    ['/states', '/states', 200],
    ['/states', '/states?lang=ar', 200],
    ['/states', '/states?q=russia', 200],
    ['/states', '/states?region=WEOG&instrument=FIREARMS', 200],
    ['/states', '/states?designation=SOM-8-6', 200],
    ['/states', '/states?region=MARS', 400],
    ['/states', '/states?unknown=1', 400],
    ['/states/{code}', '/states/FRA', 200],
    ['/states/{code}', '/states/rus?lang=zh', 200],
    ['/states/{code}', '/states/AFG', 200],
    ['/states/{code}', '/states/12', 400],
    ['/states/{code}', '/states/%ZZ', 400],
    ['/states/{code}', '/states/XXX', 404],
    ['/authorities', '/authorities', 200],
    ['/authorities', '/authorities?state=fra&channel=email&language=FR', 200],
    ['/authorities', '/authorities?q=ministry', 200],
    ['/authorities', '/authorities?channel=pigeon', 400],
    ['/authorities', '/authorities?designation=UNTOC-99', 400],
    ['/authorities/{id}', '/authorities/not-an-id', 400],
    ['/authorities/{id}', '/authorities/0123456789abcdef01234567', 404],
    ['/designations', '/designations', 200],
    ['/designations', '/designations?lang=xx', 400],
    ['/resources', '/resources?lang=fr', 200],
    ['/resources', '/resources?page=2', 400],
  ])('when GET %s is asked as %s, then the %i answer conforms', async (path, url, status) => {
    await conforms(path, url, status);
  });

  it('when the API accepts a request the document does not allow, then the checking app lists it', async () => {
    const checked = checkingRequests(app);
    // The server trims the words before counting them; the document allows 200 characters as sent.
    await request(checked).get(`${API}/states`).query({ q: `${'a'.repeat(200)} ` }).expect(200);
    await request(checked).get(`${API}/states`).query({ q: 'a' }).expect(200);
    await request(checked).get(`${API}/states`).query({ region: 'MARS' }).expect(400);
    expect(checked.undocumented).toEqual([expect.stringContaining('GET /states: query parameter q')]);
  });

  it('when a real answer is altered, then the validator notices each change', async () => {
    const res = await request(app).get(`${API}/states/FRA`);
    const alter = (change: (data: Record<string, unknown>) => void) => {
      const body = JSON.parse(JSON.stringify(res.body)) as { data: Record<string, unknown> };
      change(body.data);
      return openApiErrors({ ...res, body }, '/states/{code}');
    };
    expect(alter(() => undefined)).toEqual([]);
    expect(alter((data) => void (data.internalNote = 'x'))).not.toEqual([]);
    expect(alter((data) => void delete data.lastUpdated)).not.toEqual([]);
    expect(alter((data) => void (data.region = 'MARS'))).not.toEqual([]);
    expect(alter((data) => void delete (data.authorities as Array<Record<string, unknown>>)[0]!.sample)).not.toEqual([]);
    expect(alter((data) => void ((data.authorities as Array<Record<string, unknown>>)[0]!.restricted = true))).not.toEqual([]);
  });

  it('when every State is fetched, then each detail conforms, restricted ones included', async () => {
    const states = (await conforms('/states', '/states?limit=200', 200)).body as Listed;
    expect(states.data).toHaveLength(198);
    for (const { code } of states.data) await conforms('/states/{code}', `/states/${code}`, 200);
  });

  it('when every authority is fetched at its address, then each full record and each stub conforms', async () => {
    const restricted = ((await conforms('/states/{code}', '/states/RUS', 200)).body as { data: { authorities: Array<{ id: string }> } }).data.authorities;
    const visible = ((await conforms('/authorities', '/authorities', 200)).body as Listed).data;
    expect(restricted.length).toBeGreaterThan(0);
    expect(visible.length).toBeGreaterThan(0);
    for (const { id } of [...visible, ...restricted]) await conforms('/authorities/{id}', `/authorities/${id}`, 200);
  });
});
