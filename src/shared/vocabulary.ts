import { z } from 'zod';
import { validators } from './validators';

/**
 * Words every component shares: languages, identifiers and codes, and the few enumerations more
 * than one component reads. Each is defined once here as a zod schema (or the pattern it uses);
 * types come from the schemas, Mongoose models take the same lists from `.options`, and the
 * OpenAPI document takes the same patterns.
 */

/** The six official languages of the United Nations, in the UN's own order (alphabetical in English). */
export const UN_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export const unLanguage = z.enum(UN_LANGUAGES);
export type UnLanguage = z.infer<typeof unLanguage>;

/** A database identifier as the API and the forms show it: 24 lower-case hex digits. */
export const OBJECT_ID_PATTERN = /^[a-f0-9]{24}$/;
export const isObjectId = (value: string): boolean => OBJECT_ID_PATTERN.test(value);
export const objectId = (message?: string) => z.string().regex(OBJECT_ID_PATTERN, message);

/** ISO 3166-1 alpha-3 as stored (upper case), or a documented code such as EUU for a party without one. */
export const STATE_CODE_PATTERN = /^[A-Z]{3}$/;
/** The same code as a reader may type it, in any case. */
export const STATE_CODE_ANY_CASE_PATTERN = /^[A-Za-z]{3}$/;
export const stateCode = z.string().regex(STATE_CODE_PATTERN).meta({ description: 'ISO 3166-1 alpha-3 code, or EUU for the European Union', examples: ['FRA'] });

/** A designation's stable code: instrument, article, paragraph, e.g. UNTOC-18-13. */
export const DESIGNATION_CODE_PATTERN = /^[A-Z0-9]+(-[0-9A-Z]+)*$/;
export const designationCode = z
  .string()
  .regex(DESIGNATION_CODE_PATTERN)
  .meta({ description: 'Designation code: instrument, article, paragraph', examples: ['UNTOC-18-13'] });

/** A language as stored: ISO 639-1 in lower case (639-2/3 where none exists). */
export const languageCode = z.string().regex(/^[a-z]{2,3}$/).refine(validators.language).meta({ description: 'ISO 639-1 language code (639-2/3 where none exists)' });

/**
 * Dates, addresses and times as stored and answered (ISO 8601). Inputs are read more loosely by
 * their own schemas (a date or address as typed); these are checked where they are stored.
 */
export const isoDate = z.string().refine(validators.isoDate).meta({ format: 'date' });
export const isoDateTime = z.string().meta({ format: 'date-time' });
export const webAddress = z.string().refine(validators.httpUrl).meta({ format: 'uri' });
export const emailAddress = z.string().refine(validators.email).meta({ format: 'email' });

/** What a bilateral or regional treaty of a State is about. */
export const treatySubject = z.enum(['mla', 'extradition', 'transfer', 'other']);

/** What kind of participant a State entry is. */
export const stateKind = z.enum(['member', 'observer', 'non-member', 'organization']);
