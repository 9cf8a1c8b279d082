import express, { Router, type Request, type Response } from 'express';
import { csrfProtection } from '../shared/csrf';
import { NotFoundError } from '../shared/errors';
import { parseInput } from '../shared/parse-input';
import { ACCOUNT_FORM_MESSAGES, apiTokenForm, API_TOKEN_LIFETIMES, idParam } from './accounts.schema';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.service';
import { formFailure, formValues } from '../shared/forms/form-errors';
import { requestLanguage } from '../shared/view-locals';
import { digestHourOf, followedStates } from '../following/following.service';

/** The account page: the user's facts and their personal API tokens, with the form to create one. */
export async function renderAccountPage(req: Request, res: Response, status = 200, form: { values: Record<string, string>; errors: Record<string, string> } = { values: { name: '', expiresInDays: '90' }, errors: {} }): Promise<void> {
  if (!req.user) return res.redirect(303, `/sign-in?returnTo=${encodeURIComponent('/account')}`);
  const [tokens, followed, digestHour] = await Promise.all([listApiTokens(req.user), followedStates(req.user, requestLanguage(req)), digestHourOf(req.user)]);
  res.set('Cache-Control', 'no-store').status(status).render('accounts/account', { account: req.user, tokens, followed, digestHour, lifetimes: API_TOKEN_LIFETIMES, ...form });
}

/** Personal API tokens: created and revoked by their owner on the account page, with the session (never with a token). */
export function apiTokenPages(): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '20kb' });

  /** @route POST /account/api-tokens — the value is shown once, on the answer to this form */
  router.post('/account/api-tokens', form, csrfProtection, async (req, res) => {
    if (!req.user) return res.redirect(303, `/sign-in?returnTo=${encodeURIComponent('/account')}`);
    try {
      const input = parseInput(apiTokenForm, req.body);
      const { token, apiToken } = await createApiToken(req.user, { name: input.name, expiresInDays: input.expiresInDays ? Number(input.expiresInDays) : undefined }, { ip: req.ip });
      res.set('Cache-Control', 'no-store').status(201).render('accounts/api-token-created', { token, apiToken });
    } catch (error) {
      const { status, errors } = formFailure(req, error, ACCOUNT_FORM_MESSAGES);
      await renderAccountPage(req, res, status, { values: formValues(req.body, ['name', 'expiresInDays']), errors });
    }
  });

  /** @route POST /account/api-tokens/:id/revoke */
  router.post('/account/api-tokens/:id/revoke', form, csrfProtection, async (req, res) => {
    if (!req.user) return res.redirect(303, `/sign-in?returnTo=${encodeURIComponent('/account')}`);
    const id = idParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('No such token');
    await revokeApiToken(req.user, id.data, { ip: req.ip });
    res.redirect(303, '/account?revoked=1');
  });

  return router;
}
