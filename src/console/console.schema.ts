import { z } from 'zod';
import { CONSENT_KINDS, DEPOSITARY_REFERENCE_PATTERN, DESIGNATION_ROLES, INSTRUMENT_CODE_PATTERN, PARTY_STATUSES, REGIONAL_GROUPS, RESOURCE_CATEGORIES, UN_LANGUAGES } from '../directory/directory.types';
import { blankToUndefined, rows } from '../shared/forms/form-body';
import { DESIGNATION_CODE_PATTERN, objectId, stateKind } from '../shared/vocabulary';
import { toUri, validators } from '../shared/validators';

/**
 * Inputs of the secretariat's console: the management forms and the dashboard's query. Messages are
 * keys of the `console` namespace (`errors.*`), turned into words in the reader's language by the routes.
 */

export const STATE_KINDS = stateKind.options;
export { DESIGNATION_ROLES };
/** Tables of the dashboard that can be downloaded as CSV. */
export const DASHBOARD_TABLES = ['regions', 'months', 'states'] as const;
export type DashboardTable = (typeof DASHBOARD_TABLES)[number];

// Stored texts are one line (no control character) unless they come from a text area.
const required = (max: number) =>
  z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.tooLong').refine(validators.singleLine, 'errors.controlCharacters');
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max, 'errors.tooLong').refine(validators.singleLine, 'errors.controlCharacters').optional());
const isoDate = z.preprocess(blankToUndefined, z.string().trim().refine(validators.isoDate, 'errors.date').optional());
const lines = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean) : value ?? []),
  z.array(z.string().max(200, 'errors.tooLong').refine(validators.singleLine, 'errors.controlCharacters')).max(50, 'errors.tooMany'),
);
const codes = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(/[\s,;]+/).map((code) => code.toLowerCase()).filter(Boolean) : value ?? []),
  z.array(z.string().refine(validators.language, 'errors.language')).max(20, 'errors.tooMany'),
);
const localized = (max: number) => z.object(Object.fromEntries(UN_LANGUAGES.map((lang) => [lang, required(max)])) as Record<(typeof UN_LANGUAGES)[number], ReturnType<typeof required>>, { error: 'errors.required' });

const partyRecord = z.object({
  status: z.preprocess(blankToUndefined, z.enum(PARTY_STATUSES, { error: 'errors.choice' }).optional()),
  signed: isoDate,
  consented: isoDate,
  consentKind: z.preprocess(blankToUndefined, z.enum(CONSENT_KINDS, { error: 'errors.choice' }).optional()),
  source: optionalText(500),
});

/** An instrument's code in a form; whether the catalogue has it is the service's to check. */
const instrumentCode = z.string({ error: 'errors.choice' }).trim().toUpperCase().regex(INSTRUMENT_CODE_PATTERN, 'errors.instrumentCode');

/**
 * Party records, one row per instrument (`parties[UNTOC][status]`); a row without a status is "not
 * recorded" and dropped, so the form is the way to fill in or clear party status. The rows are
 * those of the instrument catalogue, which is data: any well-formed code is read here.
 */
const parties = z
  .preprocess((value) => value ?? {}, z.record(z.string().regex(INSTRUMENT_CODE_PATTERN), partyRecord.optional(), { error: 'errors.choice' }))
  .superRefine((records, context) => {
    for (const [instrument, record] of Object.entries(records)) {
      if (record && !record.status && (record.signed || record.consented || record.consentKind || record.source)) {
        context.addIssue({ code: 'custom', path: [instrument, 'status'], message: 'errors.statusNeeded' });
      }
    }
  })
  .transform((records) =>
    Object.entries(records).flatMap(([instrument, record]) => {
      if (!record?.status) return [];
      return [{ instrument, status: record.status, ...(record.signed ? { signed: record.signed } : {}), ...(record.consented ? { consented: record.consented } : {}), ...(record.consentKind ? { consentKind: record.consentKind } : {}), ...(record.source ? { source: record.source } : {}) }];
    }),
  );

const secondaryContact = z.object({
  name: required(200),
  email: z.string({ error: 'errors.required' }).trim().toLowerCase().min(1, 'errors.required').refine(validators.email, 'errors.email'),
  role: optionalText(100),
  language: z.preprocess(blankToUndefined, z.enum(UN_LANGUAGES, { error: 'errors.choice' }).optional()),
});

export const stateRecordInput = z.object({
  kind: z.enum(STATE_KINDS, { error: 'errors.choice' }),
  names: localized(300),
  region: z.enum(REGIONAL_GROUPS, { error: 'errors.choice' }),
  aliases: lines,
  parties,
  secondaryContacts: rows(secondaryContact, 20),
});
export type StateRecordInput = z.output<typeof stateRecordInput>;

export const newStateInput = stateRecordInput.extend({
  code: z.string({ error: 'errors.required' }).trim().toUpperCase().regex(/^[A-Z]{3}$/, 'errors.stateCode'),
});

export const versionInput = z.coerce.number({ error: 'errors.version' }).int('errors.version').min(0, 'errors.version');

export const designationInput = z.object({
  code: z.string({ error: 'errors.required' }).trim().toUpperCase().regex(DESIGNATION_CODE_PATTERN, 'errors.designationCode').max(40, 'errors.tooLong'),
  instrument: instrumentCode,
  article: required(50),
  role: z.enum(DESIGNATION_ROLES, { error: 'errors.choice' }),
  titles: localized(300),
  // Optional as a whole (a type without one shows its article where room is short); given, then in all six languages
  shortTitles: z.preprocess(
    (value) => (value && typeof value === 'object' && Object.values(value).every((text) => typeof text !== 'string' || text.trim() === '') ? undefined : value),
    localized(40).optional(),
  ),
  order: z.coerce.number({ error: 'errors.order' }).int('errors.order').min(0, 'errors.order').max(10_000, 'errors.order'),
  core: z.preprocess((value) => value === 'on' || value === 'true' || value === true, z.boolean()),
});
export type DesignationInput = z.output<typeof designationInput>;

/** The designation form as the catalogue allows it: the instrument one of those in use, refused with the other fields' errors. */
export function designationInputFor(instruments: readonly string[]) {
  return designationInput.extend({ instrument: z.string({ error: 'errors.choice' }).trim().toUpperCase().refine((code) => instruments.includes(code), 'errors.choice') });
}

/** An edit of a designation type: its code and instrument stay, as authorities and history name them. */
export const designationEditInput = designationInput.omit({ code: true, instrument: true });
export type DesignationEditInput = z.output<typeof designationEditInput>;

const flag = z.preprocess((value) => value === 'on' || value === 'true' || value === true, z.boolean());

export const instrumentInput = z.object({
  code: z.string({ error: 'errors.required' }).trim().toUpperCase().min(1, 'errors.required').regex(INSTRUMENT_CODE_PATTERN, 'errors.instrumentCode'),
  titles: localized(300),
  shortNames: localized(120),
  depositaryReference: z.preprocess(blankToUndefined, z.string().trim().regex(DEPOSITARY_REFERENCE_PATTERN, 'errors.depositaryReference').optional()),
  inForce: isoDate,
  order: z.coerce.number({ error: 'errors.order' }).int('errors.order').min(0, 'errors.order').max(10_000, 'errors.order'),
});
export type InstrumentInput = z.output<typeof instrumentInput>;

/** An edit of an instrument: its code stays, as designation types and party records name it. */
export const instrumentEditInput = instrumentInput.omit({ code: true });
export type InstrumentEditInput = z.output<typeof instrumentEditInput>;

/** Retiring or bringing back a designation type or an instrument. */
export const retireInput = z.object({ retired: flag });

export const resourceInput = z.object({
  title: required(300),
  category: z.enum(RESOURCE_CATEGORIES, { error: 'errors.choice' }),
  url: z.preprocess(
    (value) => (typeof value === 'string' ? toUri(value.trim()) : value),
    z.string({ error: 'errors.required' }).min(1, 'errors.required').refine(validators.httpUrl, 'errors.url'),
  ),
  languages: codes,
  description: z.preprocess(
    (value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : (value ?? '')),
    z.string().trim().max(2000, 'errors.tooLong').refine(validators.multiLine, 'errors.controlCharacters'),
  ),
});
export type ResourceInput = z.output<typeof resourceInput>;

export const stateCodeParam = z.string().regex(/^[A-Za-z]{3}$/).transform((code) => code.toUpperCase());
export const resourceIdParam = objectId();
/** A code in a path, in any case: checked as the catalogue stores it, in upper case. */
export const instrumentCodeParam = z.string().max(20).transform((code) => code.toUpperCase()).pipe(z.string().regex(INSTRUMENT_CODE_PATTERN));
export const designationCodeParam = z.string().max(40).transform((code) => code.toUpperCase()).pipe(z.string().regex(DESIGNATION_CODE_PATTERN));

export const stateListQuery = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()).catch(undefined),
});

export const dashboardQuery = z.object({
  format: z.enum(['html', 'csv']).optional().catch(undefined),
  region: z.preprocess(blankToUndefined, z.enum(REGIONAL_GROUPS).optional()).catch(undefined),
  currency: z.preprocess(blankToUndefined, z.enum(['current', 'stale', 'never']).optional()).catch(undefined),
});
