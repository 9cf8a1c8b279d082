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
export interface ConflictDetails {
  /** The version now stored, to send back once the changes below have been looked at. */
  currentVersion?: number;
  /** Each field changed since the version the editor started from, with its value now. */
  changes: Array<{ field: string; current?: unknown }>;
  /** Who made the latest of those changes, and when (ISO 8601). */
  changedBy?: { email?: string; role?: string; at: string };
}

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
