import express, { Router, type Request, type Response } from 'express';
import { listStates } from '../directory/directory.service';
import { csrfProtection } from '../shared/csrf';
import { NotFoundError } from '../shared/errors';
import { parseInput } from '../shared/parse-input';
import { requestLanguage } from '../shared/view-locals';
import { ACCOUNT_FORM_MESSAGES, accessRequestForm, decisionForm, idParam } from './accounts.schema';
import type { MailContext } from './account-mail';
import { decideAccessRequest, listAccessRequests, submitAccessRequest } from './access-requests.service';
import { formFailure, formValues } from '../shared/forms/form-errors';
import type { AccountRateLimits } from './rate-limits';

const FIELDS = ['name', 'institution', 'state', 'email', 'reason', 'forState'] as const;

async function stateOptions(req: Request) {
  return (await listStates({}, requestLanguage(req))).map((state) => ({ value: state.code, label: state.name }));
}

async function renderDecisions(req: Request, res: Response, status = 200, errors: Record<string, string> = {}): Promise<void> {
  const requests = await listAccessRequests(req.user);
  const names = new Map((await stateOptions(req)).map((option) => [option.value, option.label]));
  res.status(status).render('accounts/admin/access-requests', { requests, stateName: (code: string) => names.get(code) ?? code, errors });
}

/** Practitioners ask for access; the secretariat approves or rejects (under /admin, guarded by role in accountPages). */
export function accessRequestPages(mail: MailContext, limits: AccountRateLimits): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '20kb' });

  /** @route GET /access/request */
  router.get('/access/request', async (req, res) => {
    const states = await stateOptions(req);
    // Asked from a restricted State's page: the form says which, and the secretariat sees it too
    const forState = states.find((state) => state.value === String(req.query.for ?? '').toUpperCase())?.value;
    res.render('accounts/access-request', { values: formValues(forState ? { forState } : {}, FIELDS), errors: {}, states });
  });

  /** @route POST /access/request */
  router.post('/access/request', limits.accessRequestPerIp, form, csrfProtection, async (req, res) => {
    try {
      const input = parseInput(accessRequestForm, req.body);
      await submitAccessRequest({ ...input, language: requestLanguage(req) }, { ip: req.ip }, mail);
      res.render('accounts/access-request-sent', { email: input.email });
    } catch (error) {
      const { status, errors } = formFailure(req, error, ACCOUNT_FORM_MESSAGES);
      res.status(status).render('accounts/access-request', { values: formValues(req.body, FIELDS), errors, states: await stateOptions(req) });
    }
  });

  /** @route GET /admin/access-requests */
  router.get('/admin/access-requests', async (req, res) => {
    await renderDecisions(req, res);
  });

  for (const [action, decision] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    /** @route POST /admin/access-requests/:id/approve and /admin/access-requests/:id/reject */
    router.post(`/admin/access-requests/:id/${action}`, form, csrfProtection, async (req, res) => {
      const id = idParam.safeParse(req.params.id);
      if (!id.success) throw new NotFoundError('No such access request');
      try {
        const { note } = parseInput(decisionForm, req.body);
        await decideAccessRequest(req.user, id.data, decision, note, mail, { ip: req.ip });
        res.redirect(303, `/admin/access-requests?decided=${decision}`);
      } catch (error) {
        const { status, errors } = formFailure(req, error, ACCOUNT_FORM_MESSAGES);
        await renderDecisions(req, res, status, errors.note ? { _form: errors.note } : errors);
      }
    });
  }

  return router;
}
