import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocument, type PathItemObject, type ReferenceObject, type ResponseObject, type SchemaObject } from '../../src/directory/openapi';

/** A path of the document as written there, e.g. `/states/{code}`, so a typo fails to compile. */
export type PathTemplate = keyof typeof openApiDocument.paths;

/** What the validator needs of a supertest response. */
export interface ResponseLike {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const COMPONENTS_ID = 'https://directory.test/openapi/components';
const LOCAL_SCHEMA_REF = /^#\/components\/schemas\//;

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

/** Compiles (once) the schema of one documented response. */
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
  return (openApiDocument.components.responses as Record<string, ResponseObject>)[name];
}

function formatError(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  const detail = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
  return `${where} ${error.message ?? error.keyword}${detail}`;
}

/**
 * Checks a response against the document: the status is documented for that path and method,
 * the content type is one the document names, and the body matches its schema. Returns the
 * problems found, so tests can `expect(errors).toEqual([])` and see each one when it fails.
 */
export function openApiErrors(response: ResponseLike, path: PathTemplate, method: 'get' | 'post' | 'put' | 'delete' = 'get'): string[] {
  const operation = (openApiDocument.paths as Record<string, PathItemObject>)[path]?.[method];
  if (!operation) return [`${method.toUpperCase()} ${path}: not documented`];
  const documented = (operation.responses as Record<string, ResponseObject | ReferenceObject>)[String(response.status)];
  if (!documented) return [`${method.toUpperCase()} ${path}: status ${response.status} is not documented`];
  const resolved = resolveResponse(documented);
  if (!resolved) return [`${method.toUpperCase()} ${path} ${response.status}: unresolvable response reference`];
  if (!resolved.content) return [];
  const contentType = String(response.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  const media = resolved.content[contentType];
  if (!media) return [`${method.toUpperCase()} ${path} ${response.status}: content type "${contentType}" is not documented`];
  const validate = schemaValidator(`${method} ${path} ${response.status} ${contentType}`, media.schema);
  if (validate(response.body)) return [];
  return (validate.errors ?? []).map(formatError);
}
