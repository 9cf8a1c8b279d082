import { z } from 'zod';
import { pageQuery } from '../shared/pagination';
import { optionalParam } from '../shared/parse-input';
import { DESIGNATION_CODE_PATTERN, objectId, STATE_CODE_ANY_CASE_PATTERN, unLanguage } from '../shared/vocabulary';
import { channel, instrument, regionalGroup } from './directory.types';

/** Query parameters of the directory's pages and API, parsed before any service sees them. */

const text = z.string().trim().max(200, 'at most 200 characters');
const designationCode = z.string().regex(DESIGNATION_CODE_PATTERN, 'a designation code such as UNTOC-18-13');
const stateCode = z
  .string()
  .regex(STATE_CODE_ANY_CASE_PATTERN, 'a three-letter State code such as FRA')
  .transform((code) => code.toUpperCase());
// Any well-formed code filters (one no authority accepts finds none), as the API's description says.
const language = z.string().regex(/^[A-Za-z]{2,3}$/, 'an ISO 639-1 language code such as fr').toLowerCase();

const shared = {
  q: optionalParam(text),
  designation: optionalParam(designationCode),
  instrument: optionalParam(instrument),
  region: optionalParam(regionalGroup),
};

export const stateListQuery = z.strictObject({ ...shared, lang: optionalParam(unLanguage), ...pageQuery });

export const authorityListQuery = z.strictObject({
  ...shared,
  state: optionalParam(stateCode),
  language: optionalParam(language),
  channel: optionalParam(channel),
  lang: optionalParam(unLanguage),
  ...pageQuery,
});

/** The search page tolerates parameters it does not know (old bookmarks, tracking tags). */
export const searchPageQuery = authorityListQuery.omit({ page: true, limit: true }).strip();

export const languageOnlyQuery = z.strictObject({ lang: optionalParam(unLanguage) });
/** One State: its authorities come page by page (`page`, `limit`), as a list's do. */
export const stateDetailQuery = z.strictObject({ lang: optionalParam(unLanguage), ...pageQuery });

export const stateCodeParam = stateCode;
export const authorityIdParam = objectId('an authority identifier');

export const homeQuery = z.object({ view: optionalParam(z.enum(['alphabetical', 'region'])) });

/** The search page's `page`: anything but a whole number from 1 (`abc`, `-1`, `2.5`) shows the first page. */
export const searchPageNumber = z.coerce.number().int().min(1).max(1_000_000).catch(1);
