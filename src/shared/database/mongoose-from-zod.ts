import { Schema, type SchemaDefinition } from 'mongoose';
import type { z } from 'zod';
import { hasChecks, typeOf, unwrap } from '../zod-shape';

/**
 * The Mongoose definition of a stored shape, derived from its zod schema so that a field is
 * declared once. From the schema come each path's type, whether it must be present, its choices
 * (an enumeration) and its checks: a value whose schema carries checks (a pattern, a refinement, a
 * length) is validated by that very schema before every write. The rules of the storage layer
 * itself follow conventions rather than declarations:
 * - a list left out is stored empty, a flag left out is false, a text that may be empty and is left
 *   out is empty; a text that may not be empty (or any other value) must be present;
 * - an object that may be absent is a sub-document (absent or whole), any other a nested path;
 * - a list of plain values is checked as a whole, so an error names the list (`emails`), while a
 *   list of choices or of objects names the entry (`channels.0`, `phones.0.number`).
 * What Mongoose alone knows (indexes, default stamps) is added per path by `extra`.
 */

type PathOptions = Record<string, unknown>;

const plainTypes = { string: String, number: Number, boolean: Boolean, date: Date } as const;
type PlainType = keyof typeof plainTypes;
const isPlainType = (type: string): type is PlainType => type in plainTypes;

/** A Mongoose validator that asks the zod schema; absent values are the `required` rule's business. */
function checkedBy(schema: z.ZodType, path: string) {
  return {
    validator: (value: unknown) => value === undefined || value === null || schema.safeParse(value).success,
    message: (props: { value: unknown }) => `${JSON.stringify(props.value)} is not a valid ${path}`,
  };
}

function leaf(schema: z.ZodType, path: string): PathOptions {
  const type = typeOf(schema);
  if (type === 'enum') return { type: String, enum: (schema as z.ZodEnum).options };
  if (isPlainType(type)) return { type: plainTypes[type], ...(hasChecks(schema) ? { validate: checkedBy(schema, path) } : {}) };
  throw new Error(`No storage rule for a zod ${type} at ${path}`);
}

function listPath(list: z.ZodArray, path: string): PathOptions {
  const element = unwrap(list.element as z.ZodType).schema;
  const type = typeOf(element);
  if (type === 'object') return { type: [new Schema(definitionOf(element as z.ZodObject, `${path}.n`), { _id: false })], default: [] };
  if (type === 'enum') return { type: [leaf(element, `${path}.n`)], default: [] };
  const plain = leaf(element, `${path}.n`);
  const checked = hasChecks(list) || hasChecks(element);
  return { type: [plain.type], default: [], ...(checked ? { validate: checkedBy(list, path) } : {}) };
}

function pathOf(field: z.ZodType, path: string): PathOptions | SchemaDefinition {
  const { schema, optional, defaultValue } = unwrap(field);
  const type = typeOf(schema);
  if (type === 'array') return listPath(schema as z.ZodArray, path);
  if (type === 'object') {
    const fields = definitionOf(schema as z.ZodObject, path);
    return optional ? { type: new Schema(fields, { _id: false }), required: false } : fields;
  }
  const options = leaf(schema, path);
  if (defaultValue !== undefined) return { ...options, default: defaultValue };
  if (optional) return options;
  if (type === 'boolean') return { ...options, default: false };
  // Mongoose's `required` refuses an empty text, which zod may accept
  if (type === 'string' && schema.safeParse('').success) return { ...options, default: '' };
  return { ...options, required: true };
}

function definitionOf(object: z.ZodObject, prefix: string): SchemaDefinition {
  const shape = object.shape as Record<string, z.ZodType>;
  return Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, pathOf(field, prefix ? `${prefix}.${key}` : key)])) as SchemaDefinition;
}

/** The Mongoose definition of a zod object, with `extra` options merged into named top-level paths (an index, a default). */
export function mongooseDefinition(object: z.ZodObject, extra: Record<string, PathOptions> = {}): SchemaDefinition {
  const definition = definitionOf(object, '') as Record<string, unknown>;
  for (const [key, options] of Object.entries(extra)) {
    if (!(key in definition)) throw new Error(`${key} is not a field of the schema`);
    definition[key] = { ...(definition[key] as PathOptions), ...options };
  }
  return definition as SchemaDefinition;
}

/** The names of an object's fields that may be absent: what a replacing write must unset when they are. */
export function optionalFieldsOf<Shape extends z.ZodRawShape>(object: z.ZodObject<Shape>): Array<keyof Shape & string> {
  return Object.entries(object.shape)
    .filter(([, field]) => unwrap(field as z.ZodType).optional)
    .map(([key]) => key);
}
