import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable, markDatabaseUnavailable } from './database/availability';
import { AppError, ConflictError, MethodNotAllowedError, NotFoundError, ServiceUnavailableError, type ConflictDetails, type ErrorBody } from './errors';
import { logger } from './logger';

/** API callers get JSON; everyone else gets a page in their language. Express matches paths
 * case-insensitively, so /API/v1 reaches the API too and must be recognised as such. */
export const wantsJson = (path: string): boolean => path.toLowerCase().startsWith('/api/');

/** Errors raised by Express's own parsers (bad JSON, bad URL encoding) carry a 4xx status. */
function clientStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** What a refusal by Express's parsers says: a body over the limit is named as such, with the limit. */
function parserRefusal(status: number, error: unknown): { code: string; message: string } {
  if (status === 404) return { code: 'not_found', message: 'Not found' };
  if (status === 413) {
    const limit = (error as { limit?: unknown }).limit;
    const allowed = typeof limit === 'number' ? ` (at most ${Math.floor(limit / 1024)} KB)` : '';
    return { code: 'payload_too_large', message: `The request body is too large${allowed}` };
  }
  return { code: 'bad_request', message: 'The request could not be understood' };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`Nothing at ${req.path}`));
};

/** The one place where errors become responses; no stack or database message reaches a user. */
export const errorHandler: ErrorRequestHandler = (thrown, req, res, _next) => {
  // The driver's "cannot reach the server" errors, from any layer (Mongoose, the session store),
  // become one typed error here, so no component has to recognise them.
  let error: unknown = thrown;
  if (!(thrown instanceof AppError) && isDatabaseUnavailable(thrown)) {
    markDatabaseUnavailable();
    error = new ServiceUnavailableError();
  }
  const log = req.log ?? logger;
  let status = 500;
  let code = 'internal_error';
  let message = 'Something went wrong on our side. The error has been logged.';
  let fields: Record<string, string> | undefined;
  let conflict: ConflictDetails | undefined;
  if (error instanceof AppError) {
    ({ status, code, message, fields } = error);
    if (error instanceof ConflictError) conflict = error.details;
    if (error instanceof ServiceUnavailableError) res.set('Retry-After', String(error.retryAfterSeconds));
  } else if (clientStatus(error)) {
    status = clientStatus(error)!;
    ({ code, message } = parserRefusal(status, error));
  } else {
    log.error({ err: error, path: req.path }, 'unhandled error');
  }
  if (res.headersSent) return;
  res.status(status);
  if (error instanceof MethodNotAllowedError) res.set('Allow', error.allow.join(', '));
  if (wantsJson(req.originalUrl)) {
    const body: ErrorBody = { error: { code, message, ...(fields ? { fields } : {}), ...(conflict ?? {}) } };
    res.json(body);
    return;
  }
  const t = typeof req.t === 'function' ? req.t : undefined;
  if (!t || !res.locals.interfaceLanguages) {
    // The failure came before the page helpers were set up: answer plainly rather than fail again.
    res.type('text/plain').send(message);
    return;
  }
  res.render('errors/error', { status, code, message, fields }, (renderError, html) => {
    if (renderError) {
      log.error({ err: renderError }, 'error page failed to render');
      res.type('text/plain').send(message);
      return;
    }
    res.send(html);
  });
};
