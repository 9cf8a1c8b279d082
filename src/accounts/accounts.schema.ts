import { z } from 'zod';
import { AUDIT_EVENT_TYPES } from '../audit/audit.service';
import { UN_LANGUAGES } from '../directory/directory.types';
import type { FormMessages } from '../shared/forms/form-errors';
import { optionalParam } from '../shared/parse-input';
import { ROLES } from '../shared/viewer';
import { passwordProblemCode } from './password';
import { objectId } from '../shared/vocabulary';
import { userStatus } from './accounts.types';

/** Inputs of the sign-in forms, parsed before the service sees them. */

/** A path on this site only: no scheme, no host, no protocol-relative `//`, no backslash tricks. */
export const returnToSchema = z
  .string()
  .max(500)
  .refine((value) => /^\/(?![/\\])[^\s\\]*$/.test(value), 'a path on this site')
  .optional()
  .catch(undefined);

export const signInForm = z.object({
  email: z.string().trim().toLowerCase().min(1, 'errors.signIn.emailRequired').max(254, 'errors.emailTooLong').email('errors.emailInvalid'),
  password: z.string().min(1, 'errors.signIn.passwordRequired').max(200, 'errors.password.too-long'),
  returnTo: returnToSchema,
});

export const codeForm = z.object({
  code: z
    .string()
    .trim()
    .min(1, 'errors.signIn.codeRequired')
    .max(20, 'errors.signIn.codeShape')
    .regex(/^(\d{3}\s?\d{3}|[a-z0-9]{4}-[a-z0-9]{4})$/i, 'errors.signIn.codeShape'),
});

/** How the accounts forms' messages are read: keys of the `accounts` namespace; a list's item is its field's error. */
export const ACCOUNT_FORM_MESSAGES: FormMessages = { prefix: 'accounts:', fieldOf: (path) => path.split('.')[0] ?? path };

/*
 * Account administration forms. Messages are keys of the `accounts` namespace (errors.*), which the
 * routes translate into the reader's language before the form comes back.
 */

const email = z.string().trim().toLowerCase().min(1, 'errors.emailRequired').max(254, 'errors.emailTooLong').email('errors.emailInvalid');
const personName = z.string().trim().min(1, 'errors.nameRequired').max(200, 'errors.tooLong');
const stateCode = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'errors.stateRequired');
/** A multiple choice from a form: absent, one value, or several under the same name. */
const stateCodes = z.preprocess(
  (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value.filter((item) => item !== '') : [value]),
  z.array(stateCode).max(300, 'errors.tooMany'),
);
const passwordRule = z.string().superRefine((value, context) => {
  const problem = passwordProblemCode(value);
  if (problem) context.addIssue({ code: 'custom', message: `errors.password.${problem}` });
});

const withConfirmation = <S extends z.ZodObject<{ password: typeof passwordRule; confirm: z.ZodString }>>(schema: S) =>
  schema.refine((form) => form.password === form.confirm, { path: ['confirm'], message: 'errors.passwordMismatch' });

export const forgotPasswordForm = z.object({ email });

export const newPasswordForm = withConfirmation(z.object({ password: passwordRule, confirm: z.string().max(200) }));

export const acceptInvitationForm = withConfirmation(z.object({ name: personName, password: passwordRule, confirm: z.string().max(200) }));

export const accessRequestForm = z.object({
  name: personName,
  institution: z.string().trim().min(1, 'errors.institutionRequired').max(300, 'errors.tooLong'),
  state: stateCode,
  email,
  reason: z.string().trim().min(1, 'errors.reasonRequired').max(2000, 'errors.tooLong'),
  /** The restricted State whose page the request was made from (`/access/request?for=RUS`). */
  forState: z.preprocess((value) => (value === '' ? undefined : value), stateCode.optional()),
});

export const decisionForm = z.object({ note: z.string().trim().max(2000, 'errors.tooLong').optional().transform((note) => note || undefined) });

export const invitationForm = z.object({
  email,
  name: personName,
  states: stateCodes.refine((codes) => codes.length > 0, 'errors.statesRequired'),
  language: z.enum(UN_LANGUAGES, 'errors.languageRequired'),
});

export const userAccessForm = z
  .object({
    role: z.enum(ROLES, 'errors.roleRequired'),
    states: stateCodes,
    status: z.enum(userStatus.options, 'errors.statusRequired'),
  })
  .refine((form) => form.role !== 'focal-point' || form.states.length > 0, { path: ['states'], message: 'errors.statesRequired' });

export const userListQuery = z.object({ role: optionalParam(z.enum(ROLES)) });

export const auditQuery = z.object({
  type: optionalParam(z.enum(AUDIT_EVENT_TYPES)),
  page: optionalParam(z.coerce.number().int().min(1).max(10_000)),
});

export const API_TOKEN_LIFETIMES = ['30', '90', '365'] as const;

export const apiTokenForm = z.object({
  name: z.string().trim().min(1, 'errors.tokenNameRequired').max(100, 'errors.tooLong'),
  expiresInDays: optionalParam(z.enum(API_TOKEN_LIFETIMES, 'errors.lifetimeInvalid')),
});

/** A database id in a path; anything else is simply not found. */
export const idParam = objectId();
