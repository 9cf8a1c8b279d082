import { z } from 'zod';
import { STATE_CODE_ANY_CASE_PATTERN } from '../shared/vocabulary';

/** A State code in a follow or feed address, in any case (`DEU`, `deu`), read in upper case. */
export const followedStateParam = z
  .string()
  .regex(STATE_CODE_ANY_CASE_PATTERN)
  .transform((code) => code.toUpperCase());

/** An unsubscribe value as a link carries it; its signature is checked by the service. */
export const unsubscribeTokenParam = z.string().max(200);

/** The digest hour form: an hour of the day (UTC), or empty for the day's first run. */
export const digestHourInput = z.object({
  hour: z.union([z.literal('').transform(() => undefined), z.coerce.number().int().min(0).max(23)]),
});
