import { z } from 'zod';
import { blankToUndefined } from '../shared/forms/form-body';
import { validators } from '../shared/validators';
import { OBJECT_ID_PATTERN, STATE_CODE_ANY_CASE_PATTERN } from '../shared/vocabulary';

/*
 * What readers report and how the report is followed up. Messages are keys of the `reports`
 * namespace (errors.*), translated by the routes before the form comes back.
 */

/** What is wrong, in the reader's plain words (`reports:kinds.<kind>`). */
export const PROBLEM_KINDS = ['email-bounces', 'phone-wrong', 'authority-changed', 'address-wrong', 'other'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** Which part of an entry is meant, when the reader knows (`reports:fields.<field>`). */
export const REPORTED_FIELDS = ['name', 'emails', 'phones', 'address', 'website', 'officeHours', 'contactPersons', 'designations', 'other'] as const;
export type ReportedField = (typeof REPORTED_FIELDS)[number];

/** A report is open until someone answers it, then closed; each step may carry a note. */
export const REPORT_STATUSES = ['open', 'answered', 'closed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const DESCRIPTION_MAX = 2000;
const NOTE_MAX = 2000;

const optional = <S extends z.ZodType>(schema: S) => z.preprocess(blankToUndefined, schema.optional());
const stateCode = z
  .string()
  .trim()
  .regex(STATE_CODE_ANY_CASE_PATTERN, 'errors.stateRequired')
  .transform((code) => code.toUpperCase());
const authorityId = z.string().regex(OBJECT_ID_PATTERN, 'errors.authorityUnknown');

/** The report form, as posted or as pre-filled from a State or authority page's link. */
export const reportForm = z.object({
  kind: z.enum(PROBLEM_KINDS, { error: 'errors.kindRequired' }),
  state: stateCode,
  authority: optional(authorityId),
  field: optional(z.enum(REPORTED_FIELDS, { error: 'errors.fieldUnknown' })),
  description: z
    .string({ error: 'errors.descriptionRequired' })
    .trim()
    .min(1, 'errors.descriptionRequired')
    .max(DESCRIPTION_MAX, `errors.tooLong|${DESCRIPTION_MAX}`)
    .refine(validators.multiLine, 'errors.controlCharacters'),
  email: optional(z.string().trim().toLowerCase().refine(validators.email, 'errors.emailInvalid')),
});
export type ReportInput = z.infer<typeof reportForm>;

/** What a report link carries (`/report?state=FRA&authority=…`): anything unreadable is left out, never refused. */
export const reportLinkQuery = z.object({
  state: stateCode.optional().catch(undefined),
  authority: authorityId.optional().catch(undefined),
});

/** A status change from the console, with the reply note that goes with it. */
export const statusForm = z.object({
  status: z.enum(REPORT_STATUSES, { error: 'errors.statusRequired' }),
  note: optional(z.string().trim().max(NOTE_MAX, `errors.tooLong|${NOTE_MAX}`).refine(validators.multiLine, 'errors.controlCharacters')),
});

/** The console list's filters; a value that is not one of the choices shows the whole list. */
export const listQuery = z.object({
  status: z.enum(REPORT_STATUSES).optional().catch(undefined),
  state: stateCode.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
});

export const reportIdParam = z.string().regex(OBJECT_ID_PATTERN);
