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
  page: positiveInteger(1_000_000, 'a page number from 1').meta({
    description: 'Which page, from 1; a page past the last one answers an empty `data` with the true `meta`.',
  }),
  limit: positiveInteger(MAX_LIMIT, `a number from 1 to ${MAX_LIMIT}`).meta({
    description: `At most this many per page, ${DEFAULT_LIMIT} when absent; more than ${MAX_LIMIT} is refused with 400.`,
  }),
};

const pageLink = (what: string) => z.string().meta({ description: `Root-relative address of ${what}, with the other query parameters kept` });
const count = (description: string) => z.number().int().min(0).meta({ description });

const pageMeta = z.object({
  total: count('How many there are in all pages'),
  page: z.number().int().min(1).meta({ description: 'This page, from 1' }),
  limit: z.number().int().min(1).max(MAX_LIMIT).meta({ description: 'At most this many per page' }),
  pages: count('How many pages there are (0 when there is nothing)'),
});

const pageLinks = z.object({
  self: pageLink('this page'),
  first: pageLink('the first page'),
  last: pageLink('the last page'),
  next: pageLink('the next page, absent on the last one').optional(),
  prev: pageLink('the previous page, absent on the first one').optional(),
});

/** `{ "data": [...], "meta": ..., "links": ... }`, the envelope of a list answered page by page. */
export const pageEnvelope = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item).meta({ description: 'The items of this page; empty past the last page' }), meta: pageMeta, links: pageLinks });

/** One page of a list as the API answers it. */
export interface PageAnswer<T> {
  data: T[];
  meta: z.infer<typeof pageMeta>;
  links: z.infer<typeof pageLinks>;
}
