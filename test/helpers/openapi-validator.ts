import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocument, type ApiPath } from '../../src/directory/openapi';
import type { OperationObject, PathItemObject, ReferenceObject, ResponseObject, SchemaObject } from '../../src/shared/openapi';

/** A path of the document as written there, e.g. `/states/{code}`, so a typo fails to compile. */
export type PathTemplate = ApiPath;

/** What the validator needs of a supertest response. */
export interface ResponseLike {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

type Method = 'get' | 'post' | 'put' | 'delete';

const COMPONENTS_ID = 'https://directory.test/openapi/components';
const LOCAL_SCHEMA_REF = /^#\/components\/schemas\//;
const API_PREFIX = /^\/api\/v1(?=\/)/i;

/** Points the document's local `#/components/schemas/...` references at the components registered with Ajv. */
function rewriteRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(rewriteRefs) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string' ? inner.replace(LOCAL_SCHEMA_REF, `${COMPONENTS_ID}#/$defs/`) : rewriteRefs(inner),
    ]),
  ) as T;
}

function createAjv(): Ajv2020 {
  // strict: a keyword Ajv does not know (a typo, or OpenAPI 3.0's `nullable`) is an error, not silently ignored
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewriteRefs(openApiDocument.components.schemas) });
  return ajv;
}

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

/** Compiles (once) the schema of one documented response, parameter or body. */
export function schemaValidator(key: string, schema: SchemaObject): ValidateFunction {
  ajv ??= createAjv();
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(rewriteRefs(schema));
    validators.set(key, validate);
  }
  return validate;
}

function resolveResponse(response: ResponseObject | ReferenceObject): ResponseObject | undefined {
  if (!('$ref' in response)) return response;
  const name = response.$ref.replace(/^#\/components\/responses\//, '');
  return openApiDocument.components.responses[name];
}

function formatError(error: ErrorObject, prefix = ''): string {
  const where = prefix + (error.instancePath || (prefix ? '' : '(root)'));
  const detail = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
  return `${where} ${error.message ?? error.keyword}${detail}`;
}

const paths: Record<string, PathItemObject> = openApiDocument.paths;

/**
 * Checks a response against the document: the status is documented for that path and method,
 * the content type is one the document names, and the body matches its schema. Returns the
 * problems found, so tests can `expect(errors).toEqual([])` and see each one when it fails.
 */
export function openApiErrors(response: ResponseLike, path: PathTemplate, method: Method = 'get'): string[] {
  const operation = paths[path]?.[method];
  if (!operation) return [`${method.toUpperCase()} ${path}: not documented`];
  const documented = operation.responses[String(response.status)];
  if (!documented) return [`${method.toUpperCase()} ${path}: status ${response.status} is not documented`];
  const resolved = resolveResponse(documented);
  if (!resolved) return [`${method.toUpperCase()} ${path} ${response.status}: unresolvable response reference`];
  if (!resolved.content) return [];
  const contentType = String(response.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  const media = resolved.content[contentType];
  if (!media) return [`${method.toUpperCase()} ${path} ${response.status}: content type "${contentType}" is not documented`];
  const validate = schemaValidator(`${method} ${path} ${response.status} ${contentType}`, media.schema);
  if (validate(response.body)) return [];
  return (validate.errors ?? []).map((error) => formatError(error));
}

/** What the request validator needs of a request: its method, its URL below the server (`/api/v1/...?query`), headers and parsed JSON body. */
export interface RequestLike {
  method: string;
  url: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: unknown;
}

const escaped = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
const documentedPaths = Object.keys(paths).map((template) => {
  const segments = template.split('/').map((segment) => segment.replace(/^\{(\w+)\}$/, '(?<$1>[^/]+)')).map((segment) => (segment.startsWith('(?<') ? segment : escaped(segment)));
  return { template, pattern: new RegExp(`^${segments.join('/')}/?$`, 'i') };
});

/** A query or path value as the parameter's schema reads it: whole numbers for integer parameters. */
function typed(value: string, schema: SchemaObject): unknown {
  return schema.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
}

/**
 * Checks a request against the document: its path and method are documented, every parameter
 * (path, query, header) and the JSON body match their schemas, required ones are present and no
 * query parameter is left undocumented. Returns the problems found.
 */
export function openApiRequestErrors(request: RequestLike): string[] {
  const url = new URL(request.url.replace(API_PREFIX, ''), 'http://directory.test');
  const method = (request.method.toLowerCase() === 'head' ? 'get' : request.method.toLowerCase()) as Method;
  const found = documentedPaths.map(({ template, pattern }) => ({ template, match: pattern.exec(url.pathname) })).find(({ match }) => match);
  const where = `${method.toUpperCase()} ${url.pathname}`;
  if (!found?.match) return [`${where}: the path is not documented`];
  const operation: OperationObject | undefined = paths[found.template]?.[method];
  if (!operation) return [`${where}: the method is not documented for ${found.template}`];
  const problems: string[] = [];
  const values: Record<'path' | 'query' | 'header', (name: string) => string[]> = {
    path: (name) => {
      const value = found.match?.groups?.[name];
      return value === undefined ? [] : [decodeURIComponent(value)];
    },
    query: (name) => url.searchParams.getAll(name),
    header: (name) => {
      const value = request.headers?.[name.toLowerCase()];
      return value === undefined ? [] : Array.isArray(value) ? value : [value];
    },
  };
  for (const parameter of operation.parameters ?? []) {
    const given = values[parameter.in](parameter.name);
    const label = `${where}: ${parameter.in} parameter ${parameter.name}`;
    if (given.length === 0) {
      if (parameter.required) problems.push(`${label} is required`);
      continue;
    }
    if (given.length > 1) problems.push(`${label} is given ${given.length} times`);
    const validate = schemaValidator(`${operation.operationId} ${parameter.in} ${parameter.name}`, parameter.schema);
    if (!validate(typed(given[0]!, parameter.schema))) problems.push(...(validate.errors ?? []).map((error) => formatError(error, `${label} "${given[0]}"`)));
  }
  const documentedQuery = new Set((operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name));
  for (const name of new Set(url.searchParams.keys())) if (!documentedQuery.has(name)) problems.push(`${where}: query parameter ${name} is not documented`);
  const hasBody = request.body !== undefined && !(typeof request.body === 'object' && request.body !== null && Object.keys(request.body).length === 0);
  const media = operation.requestBody?.content['application/json'];
  if (!media) {
    if (hasBody) problems.push(`${where}: a body is not documented`);
  } else if (!hasBody && request.body === undefined) {
    problems.push(`${where}: the body is required`);
  } else {
    const validate = schemaValidator(`${operation.operationId} body`, media.schema);
    if (!validate(request.body)) problems.push(...(validate.errors ?? []).map((error) => formatError(error, `${where}: body`)));
  }
  return problems;
}

/**
 * The app, with every API request it answers with success checked against the document: the
 * document must allow what the API accepts. `undocumented` lists the requests that it would not
 * allow; `useTestDatabase`-style suites call `expectOnlyDocumentedRequests` after each test.
 */
export function checkingRequests(app: RequestListener): RequestListener & { undocumented: string[] } {
  const undocumented: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    // OPTIONS is answered from the document itself (every path, with its Allow header)
    if (API_PREFIX.test(req.url ?? '') && req.method !== 'OPTIONS') {
      res.on('finish', () => {
        if (res.statusCode >= 300) return;
        const { method = 'GET', url = '', headers } = req;
        undocumented.push(...openApiRequestErrors({ method, url, headers, body: (req as IncomingMessage & { body?: unknown }).body }));
      });
    }
    app(req, res);
  };
  return Object.assign(handler, { undocumented });
}

/** After each test of the suite: no request answered with success was one the document does not allow. */
export function expectOnlyDocumentedRequests(app: { undocumented: string[] }): void {
  afterEach(() => {
    expect(app.undocumented.splice(0)).toEqual([]);
  });
}
