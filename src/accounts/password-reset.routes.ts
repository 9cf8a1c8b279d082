import express, { Router } from 'express';
import { csrfProtection } from '../shared/csrf';
import { parseInput } from '../shared/parse-input';
import { ACCOUNT_FORM_MESSAGES, forgotPasswordForm, newPasswordForm } from './accounts.schema';
import type { MailContext } from './account-mail';
import { formFailure, formValues } from '../shared/forms/form-errors';
import { passwordLinkFor, requestPasswordReset, RESET_LINK_HOURS, resetPassword } from './password-reset.service';
import type { AccountRateLimits } from './rate-limits';

/** Forgotten password: ask for a link, then choose a new password through it (also a new account's first password). */
export function passwordResetPages(mail: MailContext, limits: AccountRateLimits): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '20kb' });

  /** @route GET /password/forgot */
  router.get('/password/forgot', (_req, res) => {
    res.render('accounts/forgot-password', { values: { email: '' }, errors: {} });
  });

  /** @route POST /password/forgot — the same answer whether or not an account exists */
  router.post('/password/forgot', limits.forgotPerIp, form, csrfProtection, limits.forgotPerEmail, async (req, res) => {
    try {
      const { email } = parseInput(forgotPasswordForm, req.body);
      await requestPasswordReset(email, mail, { ip: req.ip });
      res.render('accounts/forgot-password-sent', { email, hours: RESET_LINK_HOURS });
    } catch (error) {
      const { status, errors } = formFailure(req, error, ACCOUNT_FORM_MESSAGES);
      res.status(status).render('accounts/forgot-password', { values: formValues(req.body, ['email']), errors });
    }
  });

  /** @route GET /password/reset/:token */
  router.get('/password/reset/:token', async (req, res) => {
    const token = String(req.params.token);
    res.set('Cache-Control', 'no-store');
    const target = await passwordLinkFor(token);
    if (!target) return res.status(410).render('accounts/link-invalid', { kind: 'password' });
    res.render('accounts/reset-password', { token, target, errors: {} });
  });

  /** @route POST /password/reset/:token */
  router.post('/password/reset/:token', limits.linkFormPerIp, form, csrfProtection, async (req, res) => {
    const token = String(req.params.token);
    res.set('Cache-Control', 'no-store');
    const target = await passwordLinkFor(token);
    if (!target) return res.status(410).render('accounts/link-invalid', { kind: 'password' });
    try {
      const { password } = parseInput(newPasswordForm, req.body);
      if (!(await resetPassword(token, password, { ip: req.ip }))) return res.status(410).render('accounts/link-invalid', { kind: 'password' });
      // The reader's own session ends with the others: the next step is signing in with the new password
      req.session.destroy(() => res.redirect(303, '/sign-in?notice=password-set'));
    } catch (error) {
      const { status, errors } = formFailure(req, error, ACCOUNT_FORM_MESSAGES);
      res.status(status).render('accounts/reset-password', { token, target, errors });
    }
  });

  return router;
}
