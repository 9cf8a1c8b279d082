import type { Request, RequestHandler } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import { ForbiddenError } from './errors';

type CsrfUtilities = ReturnType<typeof doubleCsrf>;

/** True once the session holds something (a signed-in user, a sign-in half done): tokens are then bound to it. */
function sessionIdentifier(req: Request): string {
  const session = req.session as unknown as Record<string, unknown> | undefined;
  const inUse = session !== undefined && Object.keys(session).some((key) => key !== 'cookie');
  return inUse ? req.sessionID : '';
}

/**
 * CSRF protection by a signed double-submit cookie (OWASP's stateless pattern, csrf-csrf): the
 * token is an HMAC (COOKIE_SECRET) of a random value and of the session id when there is a
 * session, sent both in an HttpOnly SameSite=Strict cookie and in the form (hidden `_csrf`) or the
 * X-CSRF-Token header. Nothing is stored, so reading the sign-in page or any public form writes no
 * session: sessions are created only at sign-in. A token made before sign-in stops working after
 * it, as the session id is new.
 */
export function createCsrf(options: { secret: string; secure: boolean }): CsrfUtilities {
  return doubleCsrf({
    getSecret: () => options.secret,
    getSessionIdentifier: sessionIdentifier,
    // __Host- keeps a sibling subdomain from planting the cookie; browsers accept it only over HTTPS
    cookieName: options.secure ? '__Host-cad.csrf' : 'cad.csrf',
    cookieOptions: { sameSite: 'strict', path: '/', secure: options.secure, httpOnly: true },
    getCsrfTokenFromRequest: (req) => (req.body as { _csrf?: string } | undefined)?._csrf ?? (req.headers['x-csrf-token'] as string | undefined),
  });
}

const utilities = (req: Request): CsrfUtilities => req.app.locals.csrf as CsrfUtilities;

/** Makes `csrfToken` available to views (made on first use, so pages without a form set no cookie). */
export const csrfTokenLocal: RequestHandler = (req, res, next) => {
  let token: string | undefined;
  res.locals.csrfToken = () => {
    // A page holding a form token is this visitor's own: no cache may keep it
    res.set('Cache-Control', 'no-store');
    return (token ??= utilities(req).generateCsrfToken(req, res));
  };
  next();
};

/** Refuses an unsafe request without a valid token. */
export const csrfProtection: RequestHandler = (req, _res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || utilities(req).validateRequest(req)) return next();
  next(new ForbiddenError('This form has expired or did not come from the Directory. Go back, reload the page and try again.'));
};

/** For the API: requests authenticated by a personal API token carry no cookie, so CSRF cannot apply; session requests need the token. */
export const csrfProtectionUnlessToken: RequestHandler = (req, res, next) => {
  if (req.authMethod === 'token') return next();
  csrfProtection(req, res, next);
};
