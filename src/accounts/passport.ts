import type { RequestHandler } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { ANONYMOUS } from '../shared/viewer';
import { checkPassword, userForSession, viewerOf, type PasswordOutcome } from './accounts.service';
import type { AccountUser } from './accounts.types';

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends AccountUser {}
  }
}

declare module 'express-session' {
  interface SessionData {
    /** Between the password and the second factor: who, and since when. */
    pendingSignIn?: { userId: string; since: number; next: 'second-factor' | 'enrol'; returnTo?: string };
    /** A TOTP secret shown for enrolment but not yet confirmed. */
    pendingTotpSecret?: string;
  }
}

interface SessionUser {
  id: string;
  epoch: number;
}

/**
 * Passport with the e-mail and password strategy. The strategy hands on the password outcome; the
 * sign-in route decides whether a second factor or an enrolment comes before `req.login`.
 */
export function configurePassport(): passport.PassportStatic {
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
      checkPassword(email, password, { ip: req.ip })
        .then((outcome: PasswordOutcome) => done(null, outcome.user, { message: outcome.next, ...outcome }))
        .catch((error: unknown) => done(error));
    }),
  );
  passport.serializeUser<SessionUser>((user, done) => done(null, { id: user.id, epoch: user.sessionEpoch }));
  passport.deserializeUser<SessionUser>((stored, done) => {
    userForSession(stored.id, stored.epoch)
      .then((user) => done(null, user ?? false))
      .catch((error: unknown) => done(error));
  });
  return passport;
}

/** Sets req.viewer from the signed-in user, or anonymous; everything below reads only req.viewer. */
export const viewerMiddleware: RequestHandler = (req, _res, next) => {
  req.viewer = req.user ? viewerOf(req.user) : ANONYMOUS;
  if (req.user) req.authMethod = 'session';
  next();
};
