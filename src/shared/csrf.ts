import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { ForbiddenError } from './errors';

/**
 * CSRF protection by the synchronizer-token pattern: a token kept in the session, echoed by every
 * form (hidden field `_csrf`) or by API clients that use the session cookie (header X-CSRF-Token).
 */
const { generateToken, csrfSynchronisedProtection } = csrfSync({
  getTokenFromRequest: (req) => (req.body as { _csrf?: string } | undefined)?._csrf ?? (req.headers['x-csrf-token'] as string | undefined),
  errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
});

/** Makes `csrfToken` available to views (created on first use, so anonymous reading needs no session). */
export const csrfTokenLocal: RequestHandler = (req, res, next) => {
  let token: string | undefined;
  res.locals.csrfToken = () => {
    // A page holding a form token is this visitor's own: no cache may keep it
    res.set('Cache-Control', 'no-store');
    return (token ??= generateToken(req));
  };
  next();
};

/** Refuses an unsafe request without the session's token. */
export const csrfProtection: RequestHandler = (req, res, next) => {
  csrfSynchronisedProtection(req, res, (error?: unknown) => {
    if (error) return next(new ForbiddenError('This form has expired or did not come from the Directory. Go back, reload the page and try again.'));
    next();
  });
};

/** For the API: requests authenticated by a personal API token carry no cookie, so CSRF cannot apply; session requests need the token. */
export const csrfProtectionUnlessToken: RequestHandler = (req, res, next) => {
  if (req.authMethod === 'token') return next();
  csrfProtection(req, res, next);
};
