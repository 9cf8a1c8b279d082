import { z } from 'zod';
import {
  accessLevel,
  authentication,
  authorityFields,
  authorityKind,
  channel,
  legalBasisAnswer,
  legalBasisKind,
  textFormat,
  urgentMeans,
  type RequirementTopic,
  type StructuredRequirements,
} from '../directory/directory.types';
import { DESIGNATION_CODE_PATTERN, objectId, STATE_CODE_ANY_CASE_PATTERN, treatySubject } from '../shared/vocabulary';
import { ValidationError } from '../shared/errors';
import { blankToUndefined, isBlank, listOf, rows } from '../shared/forms/form-body';
import { languageCodeOf, languageTexts } from '../shared/languages';
import { toE164, toUri, validators } from '../shared/validators';
import { typeOf, unwrap } from '../shared/zod-shape';

/**
 * Inputs of the editing forms and of the API's write endpoints. One schema per input serves both:
 * it takes JSON (arrays, booleans) and what an HTML form posts (indexed fields such as
 * `phones[0][number]`, checkbox groups, comma-separated codes, blank spare rows), so both obey the
 * same rules. Messages are keys of the `editing:invalid` namespace, with a parameter after `|`;
 * `localizeFields` turns them into words in the reader's language.
 */

// ---- Form tolerance -------------------------------------------------------------------------

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Codes typed in one field, separated by commas or spaces, or a JSON array. */
const wordsOf = (value: unknown): unknown => (typeof value === 'string' ? value.split(/[\s,;]+/).filter(Boolean) : listOf(value));
/** Lines typed in a text area, or a JSON array. */
const linesOf = (value: unknown): unknown =>
  typeof value === 'string'
    ? value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
    : listOf(value);
const unique = <T>(values: T[]): T[] => [...new Set(values)];

// ---- Fields ---------------------------------------------------------------------------------

// Every stored text is one line (no control character) unless it is a text area's.
const requiredText = (max: number) => z.string().trim().min(1).max(max).refine(validators.singleLine, 'controlCharacters');
const optionalText = (max: number) => z.preprocess(blankToUndefined, requiredText(max).optional());
/** A text area's text with Windows line ends made plain: line breaks and tabs, no other control character. */
const withPlainLineEnds = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value);
const multiLineText = (max: number) => z.string().trim().min(1).max(max).refine(validators.multiLine, 'controlCharacters');
const longText = (max: number) => z.preprocess(withPlainLineEnds, multiLineText(max));
const optionalLongText = (max: number) => z.preprocess((value) => blankToUndefined(withPlainLineEnds(value)), multiLineText(max).optional());

// The `.meta` below describe, for the API's document, the canonical form of what the forms also take more loosely.
const email = z.string().trim().toLowerCase().min(1).max(254).refine(validators.email, 'email').meta({ format: 'email' });
const emailRows = (max: number) => rows(email, max);

/**
 * A telephone number, stored as E.164. Typed in international format or, given the authority's
 * State (`region`, its ISO 3166-1 alpha-2 code), as dialled in that State ("8 (495) 987-65-43").
 */
const phoneNumber = (region: string | undefined) =>
  z
    .preprocess((value) => (typeof value === 'string' ? toE164(value, region) : value), z.string().min(1).max(16).refine(validators.phone, 'phone'))
    .meta({ description: 'E.164', pattern: '^\\+[1-9]\\d{6,14}$', examples: ['+442079460123'] });
const phoneRow = (region: string | undefined) => z.strictObject({ number: phoneNumber(region), label: optionalText(100) });

/** A web address as typed, an IRI made a URI; then it must be one, with nothing the URL parser would quietly drop. */
const url = z.preprocess((value) => (typeof value === 'string' ? toUri(value.trim()) : value), z.string().min(1).max(2048).refine(validators.httpUrl, 'url')).meta({ format: 'uri' });
const optionalUrl = z.preprocess(blankToUndefined, url.optional());

/**
 * A language, stored as its ISO 639-1 code (639-2/3 where none exists), typed as that code or as its
 * name in the reader's language (`lang`) or in English ("russe", "Russian").
 */
const languageIn = (lang: string | undefined) =>
  z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine((text) => languageCodeOf(text, lang) !== undefined, 'language')
    .transform((text) => languageCodeOf(text, lang)!)
    .meta({ description: 'ISO 639-1 language code (639-2/3 where none exists)', pattern: '^[A-Za-z]{2,3}$' });
const languageCode = languageIn(undefined);
/** Languages in one field ("russe, anglais", "fr, en"); the message names the first that is none. */
const languageList = (lang: string | undefined) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? languageTexts(value, lang) : listOf(value)),
    z
      .array(z.string().max(100).meta({ pattern: '^[A-Za-z]{2,3}$' }))
      .max(30)
      .superRefine((texts, context) => {
        const wrong = texts.find((text) => languageCodeOf(text, lang) === undefined);
        if (wrong !== undefined) context.addIssue({ code: 'custom', message: `languages|${wrong}` });
      })
      .transform((texts) => unique(texts.map((text) => languageCodeOf(text, lang)!))),
  );

const timeZone = z.string().trim().min(1).max(100).refine(validators.timeZone, 'timeZone').meta({ description: 'IANA time zone, e.g. Europe/Vienna' });
const clockTime = z.string().trim().min(1).refine(validators.clockTime, 'time').meta({ description: 'Local time, HH:MM', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });
const optionalDate = z.preprocess(blankToUndefined, z.string().trim().refine(validators.isoDate, 'date').meta({ format: 'date' }).optional());

const stateCodeList = z.preprocess(
  wordsOf,
  z
    .array(z.string().max(10).meta({ pattern: STATE_CODE_ANY_CASE_PATTERN.source }))
    .max(50)
    .superRefine((codes, context) => {
      const wrong = codes.find((code) => !STATE_CODE_ANY_CASE_PATTERN.test(code));
      if (wrong !== undefined) context.addIssue({ code: 'custom', message: `stateCodes|${wrong}` });
    })
    .transform((codes) => unique(codes.map((code) => code.toUpperCase()))),
);

/** A ticked checkbox posts a value; JSON sends true or false. */
const checkbox = z.preprocess((value) => {
  if (value === true || value === 'yes' || value === 'on' || value === 'true') return true;
  if (value === false || value === undefined || value === '' || value === 'no' || value === 'false') return false;
  return value;
}, z.boolean());

const choices = <T extends z.ZodEnum>(values: T) =>
  z.preprocess(listOf, z.array(values).max(values.options.length * 2)).transform((list) => unique(list));

// ---- Authority ------------------------------------------------------------------------------

/** Where the person typing is: the authority's State (ISO 3166-1 alpha-2) and the language they read. */
interface InputLocale {
  region?: string | undefined;
  lang?: string | undefined;
}

const designationCodes = z
  .preprocess(listOf, z.array(z.string().regex(DESIGNATION_CODE_PATTERN, 'designation')).min(1).max(40))
  .transform((list) => unique(list));

const officeHoursBlank = (value: unknown): boolean =>
  value === undefined || value === null || (isPlainObject(value) && isBlank([value.timeZone, value.opens, value.closes, value.notes]));

const officeHours = z.preprocess(
  (value) => (officeHoursBlank(value) ? undefined : value),
  z
    .strictObject({
      timeZone,
      days: z
        .preprocess(listOf, z.array(z.coerce.number().int().min(1).max(7)).max(7))
        .transform((days) => unique(days).sort((a, b) => a - b))
        .meta({ description: 'ISO weekdays (1 = Monday ... 7 = Sunday)' }),
      opens: clockTime,
      closes: clockTime,
      notes: optionalText(500),
    })
    .optional()
    .meta({ description: 'When the office is open, in its own time zone' }),
);

const contact247 = (region: string | undefined) =>
  z.preprocess(
    (value) => (isBlank(value) ? undefined : value),
    z
      .strictObject({ description: requiredText(500), phones: rows(phoneRow(region), 10), emails: emailRows(10) })
      .optional()
      .meta({ description: 'A contact reachable at any hour' }),
  );

const contactPerson = ({ region, lang }: InputLocale) =>
  z
    .strictObject({
      name: requiredText(200),
      title: optionalText(200),
      phones: rows(phoneRow(region), 10),
      emails: emailRows(10),
      languages: languageList(lang),
    })
    .meta({ description: 'A person to contact' });

/** The input rules of the authority's fields that need more than `derivedInputRule` gives. */
/**
 * Since when each designation is held, and when it was notified: the form posts them by code
 * (`designationDates[UNTOC-16][since]`), the API as a list. A row left blank keeps what is stored
 * (a designation just added then dates from the day of the save: editing.snapshots.ts).
 */
const designationDates = z.preprocess(
  (value) => (isPlainObject(value) ? Object.entries(value).map(([code, row]) => ({ ...(isPlainObject(row) ? row : {}), code })) : value),
  z.array(z.strictObject({ code: z.string().regex(DESIGNATION_CODE_PATTERN, 'designation'), since: optionalDate, notified: optionalDate })).max(50).optional(),
);

const authorityInputRules = ({ region, lang }: InputLocale) => ({
  designations: designationCodes,
  name: z.strictObject({ original: requiredText(300), originalLanguage: languageIn(lang), en: requiredText(300) }),
  kind: authorityKind,
  address: z
    .strictObject({
      lines: z.preprocess(linesOf, z.array(z.string().trim().max(200).refine(validators.singleLine, 'controlCharacters')).max(10)),
      city: requiredText(100),
      postalCode: optionalText(20),
      // Sent back by API clients that edit what they read; the country is always the State's own.
      country: z.string().max(100).optional().meta({ description: 'Ignored' }),
    })
    .transform(({ lines, city, postalCode }) => ({ lines, city, postalCode })),
  phones: rows(phoneRow(region), 20),
  fax: rows(phoneRow(region), 20),
  emails: emailRows(20),
  website: optionalUrl,
  officeHours,
  languages: languageList(lang),
  channels: choices(channel),
  urgent: z.preprocess((value) => value ?? {}, z.strictObject({ accepted: checkbox, means: choices(urgentMeans), notes: optionalLongText(2000) })),
  contact247: contact247(region),
  contactPersons: rows(contactPerson({ region, lang }), 20),
  notes: optionalLongText(5000),
  designationDates,
});

/** A text field given no `.max()` of its own is one line of at most this many characters. */
const DERIVED_TEXT_MAX = 500;

/**
 * The input rule of an authority field that has none in `authorityInputRules`: its stored schema
 * (`directory.types.ts authorityFields`) read with the forms' tolerance, so that adding a plain
 * field is one line there plus its form field. A text is one line of at most its own `.max()`
 * (500 without one), and a blank one is left out when the field is optional (empty when it may be
 * empty); a list of texts is typed one per line; a flag is a checkbox; a choice is one of its values.
 * Any other shape needs a rule of its own, and the app says so when it loads.
 */
export function derivedInputRule(name: string, stored: z.ZodType): z.ZodType {
  const { schema, optional } = unwrap(stored);
  const type = typeOf(schema);
  const textRule = (text: z.ZodType, required: boolean) => {
    const max = (text as z.ZodString).maxLength ?? DERIVED_TEXT_MAX;
    if (required) return requiredText(max);
    return optional ? optionalText(max) : optionalText(max).transform((value) => value ?? '');
  };
  if (type === 'string') return textRule(schema, !optional && !schema.safeParse('').success);
  if (type === 'boolean') return checkbox;
  if (type === 'enum') return optional ? z.preprocess(blankToUndefined, schema.optional()) : schema;
  if (type === 'array') {
    const element = unwrap((schema as z.ZodArray).element as z.ZodType).schema;
    if (typeOf(element) === 'string') return z.preprocess(linesOf, z.array(requiredText((element as z.ZodString).maxLength ?? DERIVED_TEXT_MAX)).max(100));
  }
  throw new Error(`The authority field ${name} (a zod ${type}) needs an input rule of its own in editing.schema.ts`);
}

type DerivedRules<Shape, Own> = { [Name in Exclude<keyof Shape, keyof Own>]: z.ZodType<z.output<Shape[Name]>> };

function derivedRules<Shape extends z.ZodRawShape, Own extends object>(shape: Shape, own: Own): DerivedRules<Shape, Own> {
  const fields = Object.entries(shape).filter(([name]) => !(name in own));
  return Object.fromEntries(fields.map(([name, stored]) => [name, derivedInputRule(name, stored as z.ZodType)])) as DerivedRules<Shape, Own>;
}

const authorityInputOf = (locale: InputLocale) => {
  const own = authorityInputRules(locale);
  return z.strictObject({ ...derivedRules(authorityFields.shape, own), ...own });
};

/** An authority's editable fields: phone numbers in international format, languages as codes or English names. Its State comes from the address of the request, never from the input. */
export const authorityInput = authorityInputOf({});
export type AuthorityInput = z.output<typeof authorityInput>;

const authorityInputs = new Map<string, typeof authorityInput>();

/**
 * The same fields as a person types them for an authority of the State whose ISO 3166-1 alpha-2
 * code is `region` (phone numbers also as dialled there), reading in `lang` (languages also by
 * their names in it).
 */
export function authorityInputFor(locale: InputLocale): typeof authorityInput {
  const key = `${locale.region ?? ''}|${locale.lang ?? ''}`;
  let schema = authorityInputs.get(key);
  if (!schema) authorityInputs.set(key, (schema = authorityInputOf(locale)));
  return schema;
}

// ---- Optional section -----------------------------------------------------------------------

const stateText = z.preprocess(
  (value) => (value === undefined || value === null || (isPlainObject(value) && isBlank(value.text)) ? undefined : value),
  z
    .strictObject({
      text: longText(20_000),
      language: languageCode,
      format: z.preprocess((value) => (value === undefined || value === '' ? 'plain' : value), textFormat),
    })
    .optional(),
);

const lawRow = z.strictObject({ title: requiredText(500), url, language: languageCode });

const treatyRow = z.strictObject({
  title: requiredText(500),
  otherParties: stateCodeList,
  subject: treatySubject,
  signed: optionalDate,
  inForce: optionalDate,
  url: optionalUrl,
});

/** Yes or no as a form's choice posts it (blank when not stated), or a JSON boolean. */
const yesOrNo = z
  .preprocess((value) => (value === 'yes' ? true : value === 'no' ? false : blankToUndefined(value)), z.boolean().optional())
  .meta({ type: 'boolean' });

const MAX_DAYS = 365;
/** A number of days as typed, or a JSON number; one message for whatever else was given. */
const dayCount = z
  .preprocess(
    (value) => {
      const given = blankToUndefined(value);
      return typeof given === 'string' && /^\s*\d{1,9}\s*$/.test(given) ? Number(given) : given;
    },
    z
      .unknown()
      .refine((value) => value === undefined || (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_DAYS), `days|${MAX_DAYS}`)
      .transform((value) => value as number | undefined),
  )
  .meta({ type: 'integer', minimum: 1, maximum: MAX_DAYS });

/** One kind of request's requirements as facts; nothing filled in is nothing stated. */
const structuredRequirementsInput = z.preprocess(
  (value) => (isBlank(value) ? undefined : value),
  z
    .strictObject({
      requestLanguages: languageList(undefined),
      attachmentLanguages: languageList(undefined),
      translationRequired: yesOrNo,
      formalChannels: choices(channel),
      advanceCopyByEmail: yesOrNo,
      originalWithinDays: dayCount,
      dualCriminality: z.preprocess(blankToUndefined, legalBasisAnswer.optional()),
      authentication: z.preprocess(blankToUndefined, authentication.optional()),
      legalBases: choices(legalBasisKind),
    })
    // the original follows an advance copy: a delay without one would tell the requester nothing true
    .refine((facts) => facts.originalWithinDays === undefined || facts.advanceCopyByEmail === true, { path: ['originalWithinDays'], message: 'originalWithoutAdvanceCopy' })
    .optional(),
).meta({
  id: 'StructuredRequirementsInput',
  description: 'The requirements of one kind of request as facts (see StructuredRequirements); a delay for the original needs advanceCopyByEmail true; a kind with nothing stated is removed',
});

/** Decision 3/2 (g)(iii): requirement summaries, laws and links, treaties, alternative arrangements. */
export const optionalSectionInput = z.strictObject({
  requirements: z
    .preprocess((value) => value ?? {}, z.strictObject({ mla: stateText, extradition: stateText, transfer: stateText }))
    .transform((topics) => Object.fromEntries(Object.entries(topics).filter(([, text]) => text !== undefined)) as Partial<Record<RequirementTopic, NonNullable<typeof topics.mla>>>),
  structuredRequirements: z
    .preprocess((value) => value ?? {}, z.strictObject({ mla: structuredRequirementsInput, extradition: structuredRequirementsInput, transfer: structuredRequirementsInput }))
    .transform((topics) => {
      const stated = Object.entries(topics).filter(([, facts]) => facts !== undefined);
      return stated.length > 0 ? (Object.fromEntries(stated) as Partial<Record<RequirementTopic, StructuredRequirements>>) : undefined;
    }),
  laws: rows(lawRow, 100),
  treaties: rows(treatyRow, 200),
  alternativeArrangements: stateText,
  untocLegalBasisForExtradition: z.preprocess(blankToUndefined, legalBasisAnswer.optional()),
});
export type OptionalSectionInput = z.output<typeof optionalSectionInput>;

// ---- Access, versions, identifiers ----------------------------------------------------------

export const accessInput = z.strictObject({ access: accessLevel });

/** The version an editor started from: a hidden form field, a JSON number, or an If-Match header. */
export const versionInput = z.preprocess(
  (value) => (typeof value === 'string' && /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : value),
  z.number().int().min(0).max(999_999_999),
);

/** For a restore: the version of the entity the page showed, or blank when it did not exist. */
export const restoreInput = z.strictObject({ version: z.preprocess(blankToUndefined, versionInput.optional()) });

const IF_MATCH_VERSION = /^(?:W\/)?"?(\d{1,9})"?$/;
/** The If-Match header of an API write: the version read, as the ETag of a write's answer gives it. */
export const ifMatchHeader = z.string().regex(IF_MATCH_VERSION);

/** `If-Match: "3"` (or W/"3", or 3) as a version number; undefined when absent or not a version. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  const match = header ? IF_MATCH_VERSION.exec(header.trim()) : null;
  return match?.[1] !== undefined ? Number(match[1]) : undefined;
}

// ---- API bodies ------------------------------------------------------------------------------

const version = (description: string) => versionInput.optional().meta({ description });
const readOnly = { description: 'Ignored (read-only)' };

/** What an API client sends to add or change an authority: the editable fields, and back what it read (the route sets the read-only ones aside). */
export const authorityBody = authorityInput
  .extend({
    id: objectId().optional().meta(readOnly),
    state: z.string().regex(STATE_CODE_ANY_CASE_PATTERN).optional().meta({ description: 'Read-only: when sent, it must be the State the authority belongs to' }),
    updatedAt: z.string().nullable().optional().meta(readOnly),
    sample: z.boolean().optional().meta(readOnly),
    restricted: z.boolean().optional().meta(readOnly),
    version: version('The version read; required to change an authority unless If-Match is sent'),
  })
  .meta({
    id: 'AuthorityInput',
    description: 'An authority to add or change. Lists left out count as empty; at most 20 phones, fax numbers, e-mails and contact persons.',
  });

const stateVersion = version("The State's version read; required unless If-Match is sent");

export const optionalSectionBody = optionalSectionInput
  .extend({ version: stateVersion })
  .meta({ id: 'OptionalSectionInput', description: "A State's whole optional section, replacing the one stored; parts left out are removed" });

/** The largest JSON body a write of the API takes; an authority with every field filled is about 10 KB. */
export const WRITE_BODY_LIMIT_KB = 100;

export const accessBody = accessInput
  .extend({ version: stateVersion })
  .meta({ id: 'AccessInput', description: 'Decision 3/2 (g)(v): whether the State publishes its details to everyone or to authorized users only' });

export const revisionIdParam = objectId('revision');

export const revisionListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).optional().meta({ description: 'At most this many, 200 when absent.' }),
});

// ---- Parsing and messages -------------------------------------------------------------------

/** Fields shown as one control (a text of codes, a text area of lines, a group of checkboxes): an error in one item belongs to the control. */
const SINGLE_CONTROL_LISTS = new Set([
  'designations',
  'channels',
  'means',
  'days',
  'languages',
  'lines',
  'otherParties',
  'requestLanguages',
  'attachmentLanguages',
  'formalChannels',
  'legalBases',
]);

function fieldKey(path: ReadonlyArray<PropertyKey>): string {
  const segments = path.map(String);
  const last = segments.length - 1;
  if (last > 0 && /^\d+$/.test(segments[last]!) && SINGLE_CONTROL_LISTS.has(segments[last - 1]!)) segments.pop();
  return segments.join('.');
}

function messageKey(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
    case 'invalid_value':
      return input === undefined || input === '' ? 'required' : issue.code === 'invalid_value' ? 'choose' : 'invalid';
    case 'too_big':
      return issue.origin === 'array' ? `tooMany|${String(issue.maximum)}` : issue.origin === 'string' ? `tooLong|${String(issue.maximum)}` : 'invalid';
    case 'too_small':
      return issue.origin === 'array' ? 'requiredOne' : issue.origin === 'string' ? 'required' : 'invalid';
    case 'custom':
      return issue.message;
    case 'invalid_format':
      return issue.message && !issue.message.includes(' ') ? issue.message : 'invalid';
    default:
      return 'invalid';
  }
}

/** Parses input with an editing schema, or throws a ValidationError whose messages are `editing:invalid` keys, at the form's field paths. */
export function parseEditingInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[fieldKey([...issue.path, key])] ??= 'unknownField';
      continue;
    }
    fields[fieldKey(issue.path) || '_form'] ??= messageKey(issue);
  }
  throw new ValidationError(fields);
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Turns message keys (`tooLong|300`) into sentences; a message that is not a key stays as it is. */
export function localizeFields(fields: Record<string, string>, t: Translate): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).map(([field, message]) => {
      const [key, parameter] = message.split('|', 2) as [string, string | undefined];
      if (!/^[a-zA-Z]+$/.test(key)) return [field, message];
      const count = parameter !== undefined && /^\d+$/.test(parameter) ? Number(parameter) : undefined;
      return [field, t(`editing:invalid.${key}`, { defaultValue: message, value: parameter, ...(count !== undefined ? { count } : {}) })];
    }),
  );
}

/** A field path as a person reads it: "Telephones, row 2: number". */
export function fieldLabel(key: string, t: Translate): string {
  const parts: string[] = [];
  for (const segment of key.split('.')) {
    if (/^\d+$/.test(segment)) parts.push(t('editing:field.row', { number: Number(segment) + 1 }));
    else parts.push(t(`editing:field.${segment}`, { defaultValue: segment }));
  }
  return parts.join(' › ');
}
