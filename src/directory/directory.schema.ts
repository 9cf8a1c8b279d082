import { z } from 'zod';
import { pageQuery } from '../shared/pagination';
import { optionalParam } from '../shared/parse-input';
import { DESIGNATION_CODE_PATTERN, objectId, STATE_CODE_ANY_CASE_PATTERN, unLanguage } from '../shared/vocabulary';
import { channel, INSTRUMENT_CODE_PATTERN, regionalGroup } from './directory.types';

/** Query parameters of the directory's pages and API, parsed before any service sees them. */

const text = z.string().trim().max(200, 'at most 200 characters');
const designationCode = z.string().regex(DESIGNATION_CODE_PATTERN, 'a designation code such as UNTOC-18-13');
const stateCode = z
  .string()
  .regex(STATE_CODE_ANY_CASE_PATTERN, 'a three-letter State code such as FRA')
  .transform((code) => code.toUpperCase());
// Any well-formed code filters (one no authority accepts finds none), as the API's description says.
const instrumentCode = z.string().regex(INSTRUMENT_CODE_PATTERN, 'an instrument code such as UNTOC');
const language = z.string().regex(/^[A-Za-z]{2,3}$/, 'an ISO 639-1 language code such as fr').toLowerCase();

// The descriptions are the API's documentation of each parameter (the OpenAPI document adds that an empty value counts as absent).
const shared = {
  q: optionalParam(text).meta({ description: 'Words to find in names, in any language and script, accents and typing slips forgiven.' }),
  designation: optionalParam(designationCode).meta({
    description: 'Only those holding this designation, a code of the catalogue (/designations); another code is refused with 400.',
  }),
  instrument: optionalParam(instrumentCode).meta({
    description: 'Only those holding a designation under this instrument, a code of the catalogue (/instruments); another code is refused with 400.',
  }),
  region: optionalParam(regionalGroup).meta({ description: 'Only States of this UN regional group.' }),
};
const lang = optionalParam(unLanguage).meta({ description: 'Language of names and of the sort order; English when absent.' });

export const stateListQuery = z.strictObject({ ...shared, lang, ...pageQuery });

export const authorityListQuery = z.strictObject({
  ...shared,
  state: optionalParam(stateCode).meta({ description: 'Only authorities of this State (code in any case).' }),
  language: optionalParam(language).meta({
    description: 'Only authorities accepting requests in this language (ISO 639-1 code, in any case; a code no authority has finds none).',
  }),
  channel: optionalParam(channel).meta({ description: 'Only authorities accepting requests through this channel.' }),
  lang,
  ...pageQuery,
});

/** The search page tolerates parameters it does not know (old bookmarks, tracking tags). */
export const searchPageQuery = authorityListQuery.omit({ page: true, limit: true }).strip();

export const languageOnlyQuery = z.strictObject({ lang });
/** One State: its authorities come page by page (`page`, `limit`), as a list's do. */
export const stateDetailQuery = z.strictObject({ lang, ...pageQuery });

export const stateCodeParam = stateCode.meta({ description: 'State code (ISO 3166-1 alpha-3), in any case' });
export const authorityIdParam = objectId('an authority identifier').meta({ description: 'Authority identifier' });

export const homeQuery = z.object({ view: optionalParam(z.enum(['alphabetical', 'region'])) });

/** The search page's `page`: anything but a whole number from 1 (`abc`, `-1`, `2.5`) shows the first page. */
export const searchPageNumber = z.coerce.number().int().min(1).max(1_000_000).catch(1);
