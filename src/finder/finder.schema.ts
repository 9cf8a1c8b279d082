import { z } from 'zod';
import { optionalParam } from '../shared/parse-input';
import { DESIGNATION_CODE_PATTERN, STATE_CODE_ANY_CASE_PATTERN, unLanguage } from '../shared/vocabulary';
import { NEED_CODES } from './finder.needs';

/** The finder's question as a query string, the same for the page (`/find`) and the API (`/api/v1/find`). */

const stateCode = z
  .string({ error: 'a three-letter State code such as FRA' })
  .regex(STATE_CODE_ANY_CASE_PATTERN, 'a three-letter State code such as FRA')
  .transform((code) => code.toUpperCase());
// A fixed kind, or a designation type's code for the kinds the catalogue adds (the service checks it is one)
const NEED_MESSAGE = `one of ${NEED_CODES.join(', ')}, or the code of a designation type in use (/designations)`;
const need = z.union([z.enum(NEED_CODES), z.string().regex(DESIGNATION_CODE_PATTERN).max(40)], { error: NEED_MESSAGE });
const urgent = z.literal('1', { error: '1, or absent when the request is not urgent' }).transform(() => true);

const differentStates = (query: { to?: string; from?: string }) => !query.to || !query.from || query.to !== query.from;
const DIFFERENT = { message: 'a State other than the one the request goes to', path: ['from'] };

/** The page reads the question as far as it is given (an empty form, or only the State) and ignores parameters it does not know. */
export const finderPageQuery = z
  .object({ to: optionalParam(stateCode), need: optionalParam(need), urgent: optionalParam(urgent), from: optionalParam(stateCode) })
  .strip()
  .refine(differentStates, DIFFERENT);

/**
 * The API needs the whole question and refuses what it does not know, as the rest of the API does.
 * A `from` equal to `to` is left out by the route (no treaties bind a State to itself), since a
 * query that its document allows is not refused.
 */
export const finderApiQuery = z
  .strictObject({
    to: stateCode.meta({ description: 'The State the request goes to (code in any case)' }),
    need: need.meta({ description: 'The kind of request' }),
    urgent: optionalParam(urgent).meta({ description: '1 when the request is urgent: authorities taking urgent requests in advance come first.' }),
    from: optionalParam(stateCode).meta({ description: 'The requesting State, for the treaties recorded between the two (code in any case).' }),
    lang: optionalParam(unLanguage).meta({ description: 'Language of names; English when absent.' }),
  });
