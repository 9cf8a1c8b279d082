import { z } from 'zod';
import { ValidationError } from './errors';

/** Parses input with a schema, or throws a ValidationError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : ((issue as { keys?: string[] }).keys ?? []).join(',') || '_';
    fields[key] ??= issue.message;
  }
  throw new ValidationError(fields);
}

/** An optional query parameter: an empty string (an "any" choice in a form) counts as absent. */
export const optionalParam = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
