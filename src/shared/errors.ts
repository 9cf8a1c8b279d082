import { z } from 'zod';
import { emailAddress, isoDateTime } from './vocabulary';

/** The one family of errors the Directory throws on purpose; the error middleware maps each to a status. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super(404, 'not_found', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Forbidden') {
    super(403, 'forbidden', message);
  }
}

/** Input that fails its schema; `fields` maps each field path to a message for that field. */
export class ValidationError extends AppError {
  constructor(fields: Record<string, string>, message = 'Some values are not valid') {
    super(400, 'invalid_parameters', message, fields);
  }
}

/** What changed meanwhile when a save is refused because someone else saved first. */
/** What a conflict tells the editor: the version now stored, what changed since theirs and who changed it. */
const conflictDetails = z.object({
  currentVersion: z.number().int().min(0).optional().meta({ description: 'For conflict: the version now stored' }),
  changes: z
    .array(z.object({ field: z.string().meta({ description: 'Dotted path of a field changed since the version sent' }), current: z.unknown().optional().meta({ description: 'Its value now' }) }))
    .meta({ description: 'For conflict: what changed since the version sent' }),
  changedBy: z
    .object({ email: emailAddress.optional(), role: z.string().optional(), at: isoDateTime })
    .optional()
    .meta({ description: 'For conflict: who made the latest of those changes, and when (ISO 8601)' }),
});
export type ConflictDetails = z.infer<typeof conflictDetails>;

/** The body of every API error, written only by the error handler. */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Machine-readable: invalid_parameters, bad_request, payload_too_large, unauthorized, forbidden, not_found, conflict, service_unavailable, internal_error' }),
      message: z.string().meta({ description: 'Human-readable' }),
      fields: z
        .record(z.string(), z.string())
        .optional()
        .meta({ description: 'For invalid_parameters: each offending parameter or body field (a dotted path such as `phones.1.number`) with what it should be' }),
      ...conflictDetails.partial().shape,
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof errorBody>;

export class ConflictError extends AppError {
  constructor(
    message: string,
    readonly details?: ConflictDetails,
  ) {
    super(409, 'conflict', message);
  }
}

/** Credentials or a second factor were refused; the message never says which part was wrong. */
export class UnauthorizedError extends AppError {
  constructor(message = 'Sign-in required', code = 'unauthorized') {
    super(401, code, message);
  }
}

/** Too many attempts; `retryAfterSeconds` tells the client when to try again. */
export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(429, 'too_many_requests', message);
  }
}

/** A method the resource does not support; `allow` lists those it does, for the Allow header (RFC 9110 15.5.6). */
export class MethodNotAllowedError extends AppError {
  constructor(readonly allow: string[]) {
    super(405, 'method_not_allowed', `This resource supports ${allow.join(', ')} only`);
  }
}

/** The database cannot be reached: nothing was saved; `retryAfterSeconds` says when to try again. */
export class ServiceUnavailableError extends AppError {
  constructor(
    message = 'The Directory cannot reach its database just now. Nothing was saved; try again in a moment.',
    readonly retryAfterSeconds = 5,
  ) {
    super(503, 'service_unavailable', message);
  }
}
