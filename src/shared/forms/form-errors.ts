import type { Request } from 'express';
import { ConflictError, TooManyRequestsError, UnauthorizedError, ValidationError, type ConflictDetails } from '../errors';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * How a component's messages are read: schemas and services give keys (`errors.tooLong`, or
 * editing's `tooLong|300` with its parameter after `|`) under one prefix of the locales
 * (`accounts:`, `console:`, `editing:invalid.`); a message that is not a key is shown as it is.
 */
export interface FormMessages {
  /** Prepended to each key: a namespace and, where the keys are bare, their group. */
  prefix: string;
  /** The id of the field a path belongs to (`states.2` → `states`); by default the path as it is. */
  fieldOf?: (path: string) => string;
}

/** A refused form: its status, a message per field id (`_form` for the whole form), what changed meanwhile on a conflict. */
export interface FormFailure {
  status: number;
  errors: Record<string, string>;
  conflict?: ConflictDetails;
}

const KEY = /^[A-Za-z][A-Za-z0-9.-]*$/;

/** One message in the reader's language: a key with its parameter as `{{count}}`/`{{max}}`/`{{value}}`, or the text as given. */
export function localizeMessage(t: Translate, prefix: string, message: string): string {
  const [key, parameter] = message.split('|', 2) as [string, string | undefined];
  if (!KEY.test(key)) return message;
  const count = parameter !== undefined && /^\d+$/.test(parameter) ? Number(parameter) : undefined;
  return t(`${prefix}${key}`, { defaultValue: message, value: parameter, ...(count !== undefined ? { count, max: count } : {}) });
}

/** Refusals of sign-in that a form shows: the error's code names its key in `accounts:errors.signIn`. */
const SIGN_IN_KEYS: Record<string, string> = {
  invalid_credentials: 'errors.signIn.credentials',
  sign_in_expired: 'errors.signIn.expired',
  invalid_code: 'errors.signIn.code',
  too_many_requests: 'errors.signIn.locked',
};

/**
 * Turns a refusal into what a form shows, translated for the reader: 422 with a message at each
 * field, 409 with one message for the whole form, 401/429 for refused credentials. Anything else
 * is not the form's business and goes on to the error middleware.
 */
export function formFailure(req: Request, error: unknown, messages: FormMessages): FormFailure {
  const t: Translate = (key, options) => req.t(key, options);
  if (error instanceof ValidationError) {
    const errors: Record<string, string> = {};
    for (const [path, message] of Object.entries(error.fields ?? {})) {
      const field = path === '_' || path === '' ? '_form' : (messages.fieldOf ?? ((p: string) => p))(path) || '_form';
      errors[field] ??= localizeMessage(t, messages.prefix, message);
    }
    return { status: 422, errors };
  }
  if (error instanceof ConflictError) return { status: 409, errors: { _form: localizeMessage(t, messages.prefix, error.message) }, ...(error.details ? { conflict: error.details } : {}) };
  if (error instanceof UnauthorizedError || error instanceof TooManyRequestsError) {
    const key = SIGN_IN_KEYS[error.code];
    const minutes = error instanceof TooManyRequestsError ? Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60)) : undefined;
    return { status: error.status, errors: { _form: key ? req.t(`accounts:${key}`, { count: minutes, defaultValue: error.message }) : error.message } };
  }
  throw error;
}

/** The error summary of a form: a link to each field in error (`#f-id`), its label and message; `_form` without a link. */
export function errorSummary(errors: Record<string, string>, labels: Record<string, string> = {}): Array<{ href?: string; text: string }> {
  return Object.entries(errors).map(([field, message]) =>
    field === '_form' ? { text: message } : { href: `#f-${field}`, text: `${labels[field] || field}: ${message}` },
  );
}

/** The request's form fields as strings, to show back in the form; never passed to a service. */
export function formValues<K extends string>(body: unknown, fields: readonly K[]): Record<K, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.map((field) => [field, typeof source[field] === 'string' ? (source[field] as string) : ''])) as Record<K, string>;
}

/** A multiple choice as posted: one value or several. */
export function formList(body: unknown, field: string): string[] {
  const value = ((body ?? {}) as Record<string, unknown>)[field];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' && value ? [value] : [];
}
