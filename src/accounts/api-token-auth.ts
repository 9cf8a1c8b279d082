import type { RequestHandler } from 'express';
import { wantsJson } from '../shared/error-handler';
import { UnauthorizedError } from '../shared/errors';
import { viewerOf } from './accounts.service';
import { userForApiToken } from './api-tokens.service';

/**
 * On /api/ paths, `Authorization: Bearer <personal token>` authenticates the request instead of
 * the session cookie. A token that is wrong, revoked or expired is refused with 401 rather than
 * ignored, so a client never silently falls back to anonymous answers.
 */
export const apiTokenAuth: RequestHandler = async (req, res, next) => {
  const header = req.headers.authorization;
  if (!header || !wantsJson(req.path)) return next();
  const match = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header);
  const user = match?.[1] ? await userForApiToken(match[1]) : undefined;
  if (!user) {
    res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
    return next(new UnauthorizedError('This API token is not valid: it may have been revoked or have expired. Create a new one on your account page.', 'invalid_token'));
  }
  req.user = user;
  req.viewer = viewerOf(user);
  req.authMethod = 'token';
  next();
};
