import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import passport from 'passport';
import { csrfProtection } from '../shared/csrf';
import { requireRole } from '../shared/auth';
import { TooManyRequestsError, UnauthorizedError } from '../shared/errors';
import { formFailure } from '../shared/forms/form-errors';
import { parseInput } from '../shared/parse-input';
import { findUserById } from './accounts.repository';
import { ACCOUNT_FORM_MESSAGES, codeForm, returnToSchema, signInForm } from './accounts.schema';
import { beginTotpEnrolment, checkSecondFactor, completeSignIn, completeTotpEnrolment, signOutEverywhere, TOTP_ISSUER, type PasswordOutcome } from './accounts.service';
import { totpEnrolment } from './totp';
import type { AccountUser } from './accounts.types';
import type { MailContext } from './account-mail';
import { accessRequestPages } from './access-requests.routes';
import { adminPages } from './admin.routes';
import { apiTokenPages, renderAccountPage } from './api-tokens.routes';
import { invitationPages } from './invitations.routes';
import { passwordResetPages } from './password-reset.routes';
import { accountRateLimits } from './rate-limits';

/** How long the step between password and code may take. */
const PENDING_SIGN_IN_MS = 10 * 60 * 1000;

const tooManyAttempts = (_req: Request, _res: Response, next: NextFunction) =>
  next(new TooManyRequestsError('Too many attempts from your network. Wait a few minutes and try again.', 15 * 60));

/**
 * Per-address limit on sign-in attempts, on top of the per-account throttle; one per app, so each
 * app counts its own. A forged X-Forwarded-For is expected from clients when no proxy is trusted
 * (TRUST_PROXY), so the library's warning about it is off.
 */
export const newSignInRateLimit = () => rateLimit({ windowMs: 15 * 60 * 1000, limit: 30, standardHeaders: 'draft-7', legacyHeaders: false, validate: { xForwardedForHeader: false }, handler: tooManyAttempts });

/** Completes a sign-in: passport regenerates the session id (no fixation), then back where the user was going. */
async function finishSignIn(req: Request, res: Response, user: AccountUser, returnTo?: string): Promise<void> {
  await new Promise<void>((resolve, reject) => req.login(user, (error) => (error ? reject(error) : resolve())));
  await completeSignIn(user, { ip: req.ip });
  res.redirect(303, returnTo ?? '/account');
}

function pendingSignIn(req: Request, next: 'second-factor' | 'enrol') {
  const pending = req.session.pendingSignIn;
  if (!pending || pending.next !== next || Date.now() - pending.since > PENDING_SIGN_IN_MS) return undefined;
  return pending;
}

/**
 * Sign-in (password, then TOTP or enrolment), sign-out, the account page with API tokens, password
 * reset, access requests, invitations and the secretariat's administration pages.
 */
export function accountPages(mail: MailContext): Router {
  const router = Router();
  const limits = accountRateLimits();
  const signInRateLimit = newSignInRateLimit();
  const form = express.urlencoded({ extended: false, limit: '20kb' });

  /** @route GET /sign-in */
  router.get('/sign-in', (req, res) => {
    if (req.user) return res.redirect(303, '/account');
    res.render('accounts/sign-in', { values: { returnTo: returnToSchema.parse(req.query.returnTo) }, errors: {} });
  });

  /** @route POST /sign-in — the password step */
  router.post('/sign-in', signInRateLimit, form, csrfProtection, async (req, res, next) => {
    const values = { email: String(req.body?.email ?? ''), returnTo: returnToSchema.parse(req.body?.returnTo) };
    try {
      const input = parseInput(signInForm, req.body);
      const outcome = await new Promise<PasswordOutcome>((resolve, reject) => {
        passport.authenticate('local', { session: false }, (error: unknown, user: AccountUser | false, info?: PasswordOutcome) => {
          if (error) return reject(error);
          if (!user || !info) return reject(new UnauthorizedError('The e-mail address or password is not right.', 'invalid_credentials'));
          resolve(info);
        })(req, res, next);
      });
      if (outcome.next === 'signed-in') return await finishSignIn(req, res, outcome.user, input.returnTo);
      await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
      req.session.pendingSignIn = { userId: outcome.user.id, since: Date.now(), next: outcome.next, returnTo: input.returnTo };
      res.redirect(303, outcome.next === 'enrol' ? '/sign-in/enrol' : '/sign-in/code');
    } catch (error) {
      const { status, errors } = formFailure(req, error, ACCOUNT_FORM_MESSAGES);
      if (error instanceof TooManyRequestsError && error.retryAfterSeconds) res.set('Retry-After', String(error.retryAfterSeconds));
      res.status(status).render('accounts/sign-in', { values, errors });
    }
  });

  /** @route GET /sign-in/code — the second factor */
  router.get('/sign-in/code', (req, res) => {
    if (!pendingSignIn(req, 'second-factor')) return res.redirect(303, '/sign-in');
    res.render('accounts/second-factor', { errors: {} });
  });

  /** @route POST /sign-in/code */
  router.post('/sign-in/code', signInRateLimit, form, csrfProtection, async (req, res) => {
    const pending = pendingSignIn(req, 'second-factor');
    if (!pending) return res.redirect(303, '/sign-in');
    try {
      const { code } = parseInput(codeForm, req.body);
      const user = await checkSecondFactor(pending.userId, code, { ip: req.ip });
      await finishSignIn(req, res, user, pending.returnTo);
    } catch (error) {
      const { status, errors } = formFailure(req, error, ACCOUNT_FORM_MESSAGES);
      res.status(status).render('accounts/second-factor', { errors: errors._form ? { code: errors._form } : errors });
    }
  });

  /** @route GET /sign-in/enrol — set up an authenticator app before the first sign-in completes */
  router.get('/sign-in/enrol', async (req, res) => {
    const pending = pendingSignIn(req, 'enrol');
    const user = pending && (await findUserById(pending.userId));
    if (!user) return res.redirect(303, '/sign-in');
    const enrolment = await beginTotpEnrolment(user);
    req.session.pendingTotpSecret = enrolment.secret;
    res.render('accounts/enrol', { enrolment, errors: {} });
  });

  /** @route POST /sign-in/enrol */
  router.post('/sign-in/enrol', signInRateLimit, form, csrfProtection, async (req, res) => {
    const pending = pendingSignIn(req, 'enrol');
    const secret = req.session.pendingTotpSecret;
    const user = pending && secret ? await findUserById(pending.userId) : undefined;
    if (!pending || !secret || !user) return res.redirect(303, '/sign-in');
    try {
      const { code } = parseInput(codeForm, req.body);
      const recoveryCodes = await completeTotpEnrolment(user.id, secret, code, { ip: req.ip });
      const enrolled = (await findUserById(user.id))!;
      await new Promise<void>((resolve, reject) => req.login(enrolled, (error) => (error ? reject(error) : resolve())));
      await completeSignIn(enrolled, { ip: req.ip });
      // Shown once, never stored in clear: the page says so
      res.set('Cache-Control', 'no-store').render('accounts/recovery-codes', { recoveryCodes, returnTo: pending.returnTo ?? '/account' });
    } catch (error) {
      const { status, errors } = formFailure(req, error, ACCOUNT_FORM_MESSAGES);
      // The same secret again, so the account already added to the app keeps working
      res.status(status).render('accounts/enrol', { enrolment: await totpEnrolment(secret, TOTP_ISSUER, user.email), errors });
    }
  });

  /** @route POST /sign-out */
  router.post('/sign-out', form, csrfProtection, (req, res, next) => {
    req.logout((error) => {
      if (error) return next(error);
      req.session.destroy(() => res.redirect(303, '/'));
    });
  });

  /** @route POST /sign-out-everywhere — ends this user's sessions on every device */
  router.post('/sign-out-everywhere', form, csrfProtection, async (req, res, next) => {
    if (!req.user) return res.redirect(303, '/sign-in');
    await signOutEverywhere(req.user, { ip: req.ip });
    req.logout((error) => {
      if (error) return next(error);
      req.session.destroy(() => res.redirect(303, '/sign-in?signedOut=everywhere'));
    });
  });

  /** @route GET /account */
  router.get('/account', async (req, res) => {
    await renderAccountPage(req, res);
  });

  // Everything under /admin is the secretariat's; anonymous readers are sent to sign in first
  router.use('/admin', requireRole('secretariat'));
  router.use(passwordResetPages(mail, limits));
  router.use(accessRequestPages(mail, limits));
  router.use(invitationPages(mail, limits));
  router.use(adminPages());
  router.use(apiTokenPages());

  return router;
}
