import { z } from 'zod';

/**
 * What an HTML form posts, made the plain values a schema reads: a list from an array, a single
 * value (one checkbox ticked) or rows keyed by index (`phones[0][number]`); blanks as absent; spare
 * blank rows dropped. JSON bodies pass through unchanged, so one schema serves the form and the API.
 */

/**
 * Whether a form row was left empty: every string in it blank, at any depth. Walked with a list
 * rather than recursion, so that no input, however deeply nested, can overflow the stack.
 */
export function isBlank(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === undefined || item === null) continue;
    if (typeof item === 'string') {
      if (item.trim() !== '') return false;
    } else if (typeof item === 'object') {
      for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push(child);
    } else return false;
  }
  return true;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A list as posted: an array, a single value (one checkbox ticked), or rows keyed by index. */
export function listOf(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value;
  if (isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => /^\d+$/.test(key))) {
    return Object.keys(value)
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => value[key]);
  }
  return [value];
}

/** A blank text (an empty field, or an "any" choice) counts as absent. */
export const blankToUndefined = (value: unknown): unknown => (value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value);

/** Rows of a repeated group; blank rows (the spare ones of a form) are dropped after validation, so error paths keep the rows' indices. */
export function rows<T extends z.ZodType>(row: T, max: number, blank: (value: unknown) => boolean = isBlank) {
  return z
    .preprocess(listOf, z.array(z.preprocess((value) => (blank(value) ? undefined : value), row.optional())).max(max, 'errors.tooMany'))
    .transform((list) => list.filter((item): item is NonNullable<z.output<T>> => item !== undefined && item !== null));
}
