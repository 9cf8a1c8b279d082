import { z } from 'zod';

/** How a list answer is cut into pages: a default and a maximum page size every list shares. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
  pages: number;
}

/** One page of a list (pages count from 1); a page past the last one is empty, with the true total. */
export function paginate<T>(items: readonly T[], { page, limit }: { page: number; limit: number }): Page<T> {
  const start = (page - 1) * limit;
  return { items: items.slice(start, start + limit), total: items.length, page, limit, pages: Math.ceil(items.length / limit) };
}

// Unlike a filter, an empty `page=` or `limit=` is refused: the document declares whole numbers, and
// no form of the Directory sends them blank.
const positiveInteger = (max: number, message: string) => z.coerce.number().int(message).min(1, message).max(max, message).optional();

/** The `page` and `limit` query parameters of a list. */
export const pageQuery = {
  page: positiveInteger(1_000_000, 'a page number from 1'),
  limit: positiveInteger(MAX_LIMIT, `a number from 1 to ${MAX_LIMIT}`),
};
