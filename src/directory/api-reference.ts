import type { OpenApiDocument, OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from '../shared/openapi';

/**
 * The human-readable API reference at /api: the OpenAPI document turned into plain rows a page can
 * show (operations by tag, their parameters, bodies and answers, and every schema's fields), so
 * the reference is always the document the API is checked against, served from our own origin
 * with no script.
 */

/** A type in words, with the schema it names when it is one of the document's components. */
export interface TypeText {
  text: string;
  ref?: string;
}

export interface ParameterRow {
  name: string;
  in: ParameterObject['in'];
  required: boolean;
  type: TypeText;
  description?: string;
}

export interface AnswerRow {
  status: string;
  description: string;
  body?: TypeText;
}

export interface OperationView {
  id: string;
  method: string;
  path: string;
  summary: string;
  description?: string;
  parameters: ParameterRow[];
  body?: { description: string; type: TypeText };
  answers: AnswerRow[];
}

export interface FieldRow {
  /** Dotted for nested fields (`name.original`), `[]` for the items of a list. */
  name: string;
  type: TypeText;
  required: boolean;
  description?: string;
}

export interface SchemaView {
  name: string;
  description?: string;
  fields: FieldRow[];
}

export interface ApiReference {
  title: string;
  version: string;
  description: string;
  baseUrl: string;
  tags: Array<{ name: string; description?: string; operations: OperationView[] }>;
  schemas: SchemaView[];
}

const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
const code = (value: unknown) => `\`${String(value)}\``;

function range(schema: SchemaObject, unit = ''): string {
  const { minimum, maximum } = schema as { minimum?: number; maximum?: number };
  if (minimum !== undefined && maximum !== undefined) return ` from ${minimum} to ${maximum}${unit}`;
  if (minimum !== undefined) return ` from ${minimum}${unit}`;
  if (maximum !== undefined) return ` up to ${maximum}${unit}`;
  return '';
}

/** A JSON Schema in a few words: `list of Phone`, `one of \`a\`, \`b\``, `string (date-time) or null`. */
export function typeText(schema: SchemaObject | undefined): TypeText {
  if (!schema) return { text: 'any' };
  if (typeof schema.$ref === 'string') return { text: refName(schema.$ref), ref: refName(schema.$ref) };
  const alternatives = (schema.anyOf ?? schema.oneOf) as SchemaObject[] | undefined;
  if (alternatives) {
    const parts = alternatives.map(typeText);
    return { text: parts.map((part) => part.text).join(' or '), ref: parts.find((part) => part.ref)?.ref };
  }
  if ('const' in schema) return { text: code(JSON.stringify(schema.const)) };
  const enumeration = schema.enum as unknown[] | undefined;
  if (enumeration) {
    const values = enumeration.filter((value) => value !== '' && value !== null);
    const text = `one of ${values.map(code).join(', ')}`;
    return { text: enumeration.includes(null) ? `${text}, or null` : text };
  }
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((type): type is string => typeof type === 'string');
  const nullable = types.includes('null');
  const base = types.find((type) => type !== 'null');
  if (nullable && !base) return { text: 'null' };
  let text: TypeText;
  switch (base) {
    case 'array': {
      const items = typeText(schema.items as SchemaObject | undefined);
      text = { text: `list of ${items.text}`, ref: items.ref };
      break;
    }
    case 'string': {
      const format = typeof schema.format === 'string' ? ` (${schema.format})` : '';
      const pattern = typeof schema.pattern === 'string' ? ` matching ${code(schema.pattern)}` : '';
      const length = typeof schema.maxLength === 'number' ? `, at most ${schema.maxLength} characters` : '';
      text = { text: `string${format}${pattern}${length}` };
      break;
    }
    case 'integer':
    case 'number':
      text = { text: `${base}${range(schema)}` };
      break;
    case undefined:
      text = { text: 'any' };
      break;
    default:
      text = { text: base };
  }
  return nullable ? { ...text, text: `${text.text} or null` } : text;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

/** A type as HTML: `code` in backquotes as code, the component it names linked to its schema on the page. */
export function typeHtml(type: TypeText): string {
  const html = escapeHtml(type.text).replace(/`([^`]*)`/g, '<code>$1</code>');
  if (!type.ref) return html;
  const name = escapeHtml(type.ref);
  return html.replace(new RegExp(`\\b${name}\\b`), `<a href="#schema-${name}">${name}</a>`);
}

/** The fields of an object schema, nested objects and lists of objects flattened with dotted names. */
export function fieldRows(schema: SchemaObject, prefix = '', depth = 0): FieldRow[] {
  const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const rows: FieldRow[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const path = `${prefix}${name}`;
    const description = typeof property.description === 'string' ? property.description : undefined;
    rows.push({ name: path, type: typeText(property), required: required.has(name), description });
    if (depth >= 2) continue;
    if (property.type === 'object' && property.properties) rows.push(...fieldRows(property, `${path}.`, depth + 1));
    const items = property.items as SchemaObject | undefined;
    if (property.type === 'array' && items?.type === 'object' && items.properties) rows.push(...fieldRows(items, `${path}[].`, depth + 1));
  }
  return rows;
}

/** What an answer's body holds: the `data` of the envelope, with the page's `meta` and `links` when it has them. */
function answerBody(response: ResponseObject): TypeText | undefined {
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return undefined;
  const properties = schema.properties as Record<string, SchemaObject> | undefined;
  if (!properties?.data) return typeText(schema);
  const data = typeText(properties.data);
  const extras = Object.keys(properties).filter((key) => key !== 'data');
  return { ...data, text: `data: ${data.text}${extras.length ? `, with ${extras.map(code).join(' and ')}` : ''}` };
}

function answerRows(document: OpenApiDocument, responses: OperationObject['responses']): AnswerRow[] {
  return Object.entries(responses).map(([status, answer]) => {
    const response = '$ref' in answer ? document.components.responses[refName((answer as ReferenceObject).$ref)] : answer;
    return { status, description: response?.description ?? '', body: response ? answerBody(response) : undefined };
  });
}

function operationView(document: OpenApiDocument, method: string, path: string, operation: OperationObject): OperationView {
  const body = operation.requestBody?.content['application/json']?.schema;
  return {
    id: operation.operationId,
    method: method.toUpperCase(),
    path,
    summary: operation.summary,
    description: operation.description,
    parameters: (operation.parameters ?? []).map((parameter) => ({
      name: parameter.name,
      in: parameter.in,
      required: parameter.required === true,
      type: typeText(parameter.schema),
      description: parameter.description,
    })),
    body: operation.requestBody && body ? { description: operation.requestBody.description, type: typeText(body) } : undefined,
    answers: answerRows(document, operation.responses),
  };
}

/** The reference for `document`, its operations under their tags in the document's order. */
export function apiReference(document: OpenApiDocument): ApiReference {
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ tag: operation.tags[0] ?? '', view: operationView(document, method, path, operation) })),
  );
  return {
    title: document.info.title,
    version: document.info.version,
    description: document.info.description,
    baseUrl: document.servers[0]?.url ?? '',
    tags: document.tags.map((tag) => ({ ...tag, operations: operations.filter((operation) => operation.tag === tag.name).map((operation) => operation.view) })),
    schemas: Object.entries(document.components.schemas).map(([name, schema]) => ({
      name,
      description: typeof schema.description === 'string' ? schema.description : undefined,
      fields: fieldRows(schema),
    })),
  };
}
