import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

/**
 * Builds an OpenAPI 3.1 document from a table of routes whose parameters, bodies and answers are
 * the zod schemas the code parses and answers with. Requests are described as the schemas take
 * them (`io: 'input'`), answers as the builders return them (`io: 'output'`); a schema with a
 * `.meta({ id })` becomes a shared component, its other metadata (description, examples, format)
 * stays in the JSON Schema, so nothing is written twice.
 */

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1). */
export type SchemaObject = { [keyword: string]: unknown };

type HttpMethod = 'get' | 'post' | 'put' | 'delete';
type ParameterLocation = 'path' | 'query' | 'header';

export interface ParameterObject {
  name: string;
  in: ParameterLocation;
  description?: string;
  required?: boolean;
  schema: SchemaObject;
}

export interface ReferenceObject {
  $ref: string;
}

export interface ResponseObject {
  description: string;
  content?: Record<string, { schema: SchemaObject }>;
}

interface RequestBodyObject {
  description: string;
  required: true;
  content: Record<string, { schema: SchemaObject }>;
}

export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject | ReferenceObject>;
}

export type PathItemObject = Partial<Record<HttpMethod, OperationObject>>;

/** One documented answer: what it means and, when it has a body, the body's schema. */
export interface Answer {
  description: string;
  body?: z.ZodType;
}

/** A row of the route table. Parameters are zod objects whose fields are the parameters, each with its `.meta({ description })`. */
export interface ApiRoute {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: { description: string; schema: z.ZodType };
  /** By status: an answer, or the name of one of the shared answers. */
  answers: Record<number, Answer | string>;
}

export interface ApiDescription<Route extends ApiRoute> {
  info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
  servers: Array<{ url: string }>;
  tags: Array<{ name: string; description?: string }>;
  /** Answers several operations give (the errors), referred to by name. */
  answers: Record<string, Answer>;
  routes: readonly Route[];
}

export interface OpenApiDocument<Path extends string = string> {
  openapi: '3.1.0';
  info: ApiDescription<ApiRoute>['info'];
  servers: Array<{ url: string }>;
  tags: Array<{ name: string; description?: string }>;
  paths: Record<Path, PathItemObject>;
  components: { schemas: Record<string, SchemaObject>; responses: Record<string, ResponseObject> };
}

/** A filter's schema that also admits the empty value, which counts as absent (as a form's "any" choice sends it). */
export function orEmpty(schema: SchemaObject): SchemaObject {
  if (Array.isArray(schema.enum)) return { ...schema, enum: [...(schema.enum as unknown[]), ''] };
  if (typeof schema.pattern === 'string') return { ...schema, pattern: `^(?:${schema.pattern.replace(/^\^/, '').replace(/\$$/, '')})?$` };
  return schema;
}

/**
 * How a request is read, beyond what zod's conversion sees: a text that the schema takes empty (a
 * blank optional field, a filter left at "any") admits '' in the document too, and a field is
 * required only when its schema refuses it absent (a list left out is empty, a format left out
 * is plain: their preprocessing fills them in).
 */
function describeInput({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: SchemaObject }): void {
  if (jsonSchema.type === 'string' && z.safeParse(zodSchema, '').success) {
    delete jsonSchema.minLength;
    if (typeof jsonSchema.format === 'string') {
      jsonSchema.anyOf = [{ const: '' }, { format: jsonSchema.format }];
      delete jsonSchema.format;
    } else Object.assign(jsonSchema, orEmpty(jsonSchema));
  }
  if (zodSchema instanceof z.ZodObject && Array.isArray(jsonSchema.required)) {
    const shape = zodSchema.shape as Record<string, z.ZodType>;
    const required = (jsonSchema.required as string[]).filter((key) => !shape[key]?.safeParse(undefined).success);
    if (required.length > 0) jsonSchema.required = required;
    else delete jsonSchema.required;
  }
}

const MEDIA_TYPE = 'application/json';
const EMPTY_MEANS_ABSENT = 'An empty value counts as absent.';
const COMPONENT_REF = '#/components/schemas/';

/** Converts zod schemas one by one, gathering the components they name into one table (two different schemas may not share a name). */
function schemaConverter(components: Record<string, SchemaObject>) {
  return (schema: z.ZodType, io: 'input' | 'output'): SchemaObject => {
    const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', ...(io === 'input' ? { override: describeInput } : {}) });
    const { $schema: _dialect, $defs, ...json } = JSON.parse(JSON.stringify(converted).replaceAll('"#/$defs/', `"${COMPONENT_REF}`)) as SchemaObject;
    for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, SchemaObject>)) {
      if (name in components && !isDeepStrictEqual(components[name], definition)) throw new Error(`Two different schemas are both named ${name}`);
      components[name] = definition;
    }
    return json;
  };
}

/** The OpenAPI 3.1 document of a table of routes. */
export function buildOpenApiDocument<Route extends ApiRoute>(description: ApiDescription<Route>): OpenApiDocument<Route['path']> {
  const schemas: Record<string, SchemaObject> = {};
  const convert = schemaConverter(schemas);

  const parameters = (location: ParameterLocation, object: z.ZodObject | undefined): ParameterObject[] => {
    if (!object) return [];
    const json = convert(object, 'input');
    const required = new Set((json.required ?? []) as string[]);
    const shape = object.shape as Record<string, z.ZodType>;
    return Object.entries((json.properties ?? {}) as Record<string, SchemaObject>).map(([name, { description, ...schema }]) => ({
      name,
      in: location,
      ...(typeof description === 'string' ? { description: shape[name]?.safeParse('').success ? `${description} ${EMPTY_MEANS_ABSENT}` : description } : {}),
      ...(location === 'path' || required.has(name) ? { required: true } : {}),
      schema,
    }));
  };
  const response = ({ description, body }: Answer): ResponseObject => ({
    description,
    ...(body ? { content: { [MEDIA_TYPE]: { schema: convert(body, 'output') } } } : {}),
  });

  const paths: Record<string, PathItemObject> = {};
  for (const route of description.routes) {
    const declared = [...parameters('path', route.params), ...parameters('query', route.query), ...parameters('header', route.headers)];
    const operation: OperationObject = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      ...(declared.length > 0 ? { parameters: declared } : {}),
      ...(route.body
        ? { requestBody: { required: true, description: route.body.description, content: { [MEDIA_TYPE]: { schema: convert(route.body.schema, 'input') } } } }
        : {}),
      responses: Object.fromEntries(
        Object.entries(route.answers).map(([status, answer]) => [status, typeof answer === 'string' ? { $ref: `#/components/responses/${answer}` } : response(answer)]),
      ),
    };
    paths[route.path] = { ...paths[route.path], [route.method]: operation };
  }

  const responses = Object.fromEntries(Object.entries(description.answers).map(([name, answer]) => [name, response(answer)]));
  return {
    openapi: '3.1.0',
    info: description.info,
    servers: description.servers,
    tags: description.tags,
    paths: paths as Record<Route['path'], PathItemObject>,
    components: { schemas, responses },
  };
}
