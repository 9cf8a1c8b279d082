import type { Request } from 'express';
import { ConflictError, ValidationError } from '../shared/errors';

/** A message from the accounts component's schemas and services: a key of the `accounts` namespace (errors.*), or plain text. */
export function localizeMessage(req: Request, message: string): string {
  return /^errors\.[A-Za-z.-]+$/.test(message) ? req.t(`accounts:${message}`) : message;
}

/**
 * Turns a refusal into what a form shows: 422 with a translated message per field (a list field's
 * `states.2` becomes `states`, the field's id), or 409 with one message for the whole form.
 * Anything else is not the form's business and goes on to the error middleware.
 */
export function formFailure(req: Request, error: unknown): { status: number; errors: Record<string, string> } {
  if (error instanceof ValidationError) {
    const errors: Record<string, string> = {};
    for (const [field, message] of Object.entries(error.fields ?? {})) errors[field.split('.')[0] || '_form'] ??= localizeMessage(req, message);
    return { status: 422, errors };
  }
  if (error instanceof ConflictError) return { status: 409, errors: { _form: localizeMessage(req, error.message) } };
  throw error;
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
