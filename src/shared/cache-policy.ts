import type { Request, RequestHandler } from 'express';
import { hasSessionCookie } from './session-cookie';

/** True when the answer may depend on who is asking: a signed-in user, a token, or any session (a sign-in half done). */
function isPersonal(req: Request): boolean {
  return (req.viewer?.kind ?? 'anonymous') !== 'anonymous' || req.headers.authorization !== undefined || hasSessionCookie(req);
}

/**
 * The default caching of every dynamic answer. What a signed-in viewer sees may hold restricted
 * details, so it is `private, no-store` and never kept by a shared cache; what an anonymous
 * viewer sees is public (shared caches may keep it but must revalidate, so a change of access
 * setting shows at once). Every answer varies on what identifies the viewer and their language.
 * Routes may set stricter values (a form with a CSRF token is `no-store`, see csrf.ts).
 */
export const cachePolicy: RequestHandler = (req, res, next) => {
  res.vary('Cookie');
  res.vary('Authorization');
  res.vary('Accept-Language');
  if (req.method !== 'GET' && req.method !== 'HEAD') res.set('Cache-Control', 'no-store');
  else if (isPersonal(req)) res.set('Cache-Control', 'private, no-store');
  else res.set('Cache-Control', 'public, no-cache');
  next();
};
