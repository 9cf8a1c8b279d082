import express, { Router, type Request, type Response } from 'express';
import { UN_LANGUAGES } from '../directory/directory.types';
import { listStates } from '../directory/directory.service';
import { pickerFilterOf, pickerGroups } from './state-picker';
import { csrfProtection } from '../shared/csrf';
import { parseInput } from '../shared/parse-input';
import { STATE_CODE_PATTERN } from '../shared/vocabulary';
import { requestLanguage } from '../shared/view-locals';
import { ACCOUNT_FORM_MESSAGES, acceptInvitationForm, invitationForm } from './accounts.schema';
import type { MailContext } from './account-mail';
import { formFailure, formList, formValues } from '../shared/forms/form-errors';
import { acceptInvitation, INVITATION_DAYS, invitationForToken, listInvitations, sendInvitation } from './invitations.service';
import type { AccountRateLimits } from './rate-limits';

interface InvitationFormValues {
  email: string;
  name: string;
  language: string;
  states: string[];
}

async function renderInvitations(req: Request, res: Response, status: number, values: InvitationFormValues, errors: Record<string, string>, stateFilter?: string): Promise<void> {
  const lang = requestLanguage(req);
  const states = await pickerGroups(lang, values.states, stateFilter);
  const languages = UN_LANGUAGES.map((code) => ({ value: code, label: new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code }));
  const invitations = await listInvitations(req.user);
  res.status(status).render('accounts/admin/invitations', { values, errors, states, stateFilter, languages, invitations, days: INVITATION_DAYS });
}

/** The secretariat invites focal points (under /admin); the invited person accepts through the e-mailed link. */
export function invitationPages(mail: MailContext, limits: AccountRateLimits): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '50kb' });

  /** @route GET /admin/invitations */
  router.get('/admin/invitations', async (req, res) => {
    // ?state=RUS comes from the pages that show a State without a focal point; the POST checks it
    const state = typeof req.query.state === 'string' && STATE_CODE_PATTERN.test(req.query.state) ? [req.query.state] : [];
    await renderInvitations(req, res, 200, { email: '', name: '', language: requestLanguage(req), states: state }, {});
  });

  /** @route POST /admin/invitations */
  router.post('/admin/invitations', form, csrfProtection, async (req, res) => {
    const values = () => ({ ...formValues(req.body, ['email', 'name', 'language']), states: formList(req.body, 'states') });
    const stateFilter = pickerFilterOf(req.body);
    if (stateFilter !== undefined) return renderInvitations(req, res, 200, values(), {}, stateFilter);
    try {
      const input = parseInput(invitationForm, req.body);
      await sendInvitation(req.user, input, mail, { ip: req.ip });
      res.redirect(303, `/admin/invitations?sent=${encodeURIComponent(input.email)}`);
    } catch (error) {
      const { status, errors } = formFailure(req, error, ACCOUNT_FORM_MESSAGES);
      await renderInvitations(req, res, status, values(), errors);
    }
  });

  /** @route GET /invitations/:token */
  router.get('/invitations/:token', async (req, res) => {
    const token = String(req.params.token);
    res.set('Cache-Control', 'no-store');
    const invitation = await invitationForToken(token);
    if (!invitation) return res.status(410).render('accounts/link-invalid', { kind: 'invitation' });
    res.render('accounts/invitation', { token, invitation, values: { name: invitation.name }, errors: {}, stateNames: await stateNames(req) });
  });

  /** @route POST /invitations/:token — accept: name and password */
  router.post('/invitations/:token', limits.linkFormPerIp, form, csrfProtection, async (req, res) => {
    const token = String(req.params.token);
    res.set('Cache-Control', 'no-store');
    const invitation = await invitationForToken(token);
    if (!invitation) return res.status(410).render('accounts/link-invalid', { kind: 'invitation' });
    try {
      const input = parseInput(acceptInvitationForm, req.body);
      const user = await acceptInvitation(token, input, { ip: req.ip });
      if (!user) return res.status(410).render('accounts/link-invalid', { kind: 'invitation' });
      req.session.destroy(() => res.redirect(303, '/sign-in?notice=invitation-accepted'));
    } catch (error) {
      const { status, errors } = formFailure(req, error, ACCOUNT_FORM_MESSAGES);
      res.status(status).render('accounts/invitation', { token, invitation, values: formValues(req.body, ['name']), errors, stateNames: await stateNames(req) });
    }
  });

  return router;
}

async function stateNames(req: Request): Promise<Record<string, string>> {
  return Object.fromEntries((await listStates({}, requestLanguage(req))).map((state) => [state.code, state.name]));
}
