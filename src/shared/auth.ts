import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from './errors';
import { wantsJson } from './error-handler';
import type { Role } from './viewer';

/**
 * Route guard by role only; which State a user may act on is decided by each component's policy.
 * Pages send a signed-out reader to the sign-in form and back; the API answers 401.
 */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    const viewer = req.viewer;
    if (!viewer || viewer.kind === 'anonymous') {
      if (wantsJson(req.originalUrl)) return next(new UnauthorizedError('Sign in, or send a personal API token, to use this endpoint.'));
      return res.redirect(303, `/sign-in?returnTo=${encodeURIComponent(req.originalUrl)}`);
    }
    if (!roles.includes(viewer.role)) return next(new ForbiddenError('Your role does not allow this.'));
    next();
  };
}
