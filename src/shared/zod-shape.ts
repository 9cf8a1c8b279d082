import type { z } from 'zod';

/*
 * Reading a zod schema's own description of a value, for the code that derives other rules from
 * it (the Mongoose models, the editing inputs), so that a field is declared once.
 */

interface ZodInternals {
  _zod: { def: { type: string; innerType?: z.ZodType; defaultValue?: unknown; checks?: unknown[] } };
}
const internals = (schema: z.ZodType): ZodInternals['_zod']['def'] => (schema as unknown as ZodInternals)._zod.def;

export interface Unwrapped {
  schema: z.ZodType;
  optional: boolean;
  defaultValue?: unknown;
}

/** Looks through `.optional()` and `.default()` to the schema of the value itself. */
export function unwrap(schema: z.ZodType): Unwrapped {
  let current = schema;
  let optional = false;
  let defaultValue: unknown;
  for (;;) {
    const def = internals(current);
    if (def.type === 'optional' && def.innerType) optional = true;
    else if (def.type === 'default' && def.innerType) defaultValue = def.defaultValue;
    else break;
    current = def.innerType;
  }
  return { schema: current, optional, ...(defaultValue !== undefined ? { defaultValue } : {}) };
}

/** zod's name of the kind of value: `string`, `array`, `object`, `enum`... */
export const typeOf = (schema: z.ZodType): string => internals(schema).type;

/** Whether the schema checks more than the kind of value (a length, a pattern, a refinement). */
export const hasChecks = (schema: z.ZodType): boolean => (internals(schema).checks?.length ?? 0) > 0;
