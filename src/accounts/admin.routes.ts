import express, { Router, type Request, type Response } from 'express';
import { auditDetailRows, type DetailWords } from '../audit/audit.presenter';
import { AUDIT_EVENT_TYPES, listAuditEvents, type AuditEntry, type AuditEventType } from '../audit/audit.service';
import { listStates } from '../directory/directory.service';
import { pickerFilterOf, pickerGroups } from './state-picker';
import { csrfProtection } from '../shared/csrf';
import { NotFoundError } from '../shared/errors';
import { parseInput } from '../shared/parse-input';
import { requestLanguage } from '../shared/view-locals';
import { ROLES } from '../shared/viewer';
import { assertSecretariat } from './accounts.policy';
import { ACCOUNT_FORM_MESSAGES, auditQuery, idParam, userAccessForm, userListQuery } from './accounts.schema';
import type { AccountUser } from './accounts.types';
import { countPendingAccessRequests } from './access-requests.service';
import { formFailure, formList, formValues } from '../shared/forms/form-errors';
import { countPendingInvitations } from './invitations.service';
import { changeUserAccess, getUser, listUsers } from './user-admin.service';
import { isObjectId } from '../shared/vocabulary';

export const AUDIT_PAGE_SIZE = 50;

/** Events whose subject is a user id (others name an invitation, an access request or a State). */
const USER_SUBJECT_EVENTS = new Set<AuditEventType>(['sign-in', 'sign-in-failed', 'sign-in-locked', 'second-factor-failed', 'recovery-code-used', 'totp-enrolled', 'sign-out-everywhere', 'password-reset-requested', 'password-reset', 'role-changed', 'invitation-accepted', 'api-token-created', 'api-token-revoked']);
const subjectIsUser = (event: AuditEntry) => Boolean(event.subject && USER_SUBJECT_EVENTS.has(event.type) && isObjectId(event.subject));

async function renderUser(
  req: Request,
  res: Response,
  user: AccountUser,
  status: number,
  values: { role: string; status: string; states: string[] },
  errors: Record<string, string>,
  stateFilter?: string,
): Promise<void> {
  const states = await pickerGroups(requestLanguage(req), values.states, stateFilter);
  res.status(status).render('accounts/admin/user', { user, values, errors, states, stateFilter, roles: ROLES, isSelf: req.user?.id === user.id });
}

/** The secretariat's pages (mounted under the /admin role guard in accountPages): index, users, audit log. */
export function adminPages(): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '50kb' });

  /** @route GET /admin */
  router.get('/admin', async (req, res) => {
    assertSecretariat(req.user);
    const users = await listUsers(req.user);
    res.render('accounts/admin/index', {
      pendingAccessRequests: await countPendingAccessRequests(),
      pendingInvitations: await countPendingInvitations(),
      userCount: users.length,
    });
  });

  /** @route GET /admin/users */
  router.get('/admin/users', async (req, res) => {
    const { role } = parseInput(userListQuery, req.query);
    res.render('accounts/admin/users', { users: await listUsers(req.user, { role }), role, roles: ROLES });
  });

  /** @route GET /admin/users/:id */
  router.get('/admin/users/:id', async (req, res) => {
    const id = idParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('No such user');
    const user = await getUser(req.user, id.data);
    await renderUser(req, res, user, 200, { role: user.role, status: user.status, states: user.states }, {});
  });

  /** @route POST /admin/users/:id — role, States, active or deactivated */
  router.post('/admin/users/:id', form, csrfProtection, async (req, res) => {
    const id = idParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('No such user');
    const user = await getUser(req.user, id.data);
    const stateFilter = pickerFilterOf(req.body);
    if (stateFilter !== undefined) return renderUser(req, res, user, 200, { ...formValues(req.body, ['role', 'status']), states: formList(req.body, 'states') }, {}, stateFilter);
    try {
      const change = parseInput(userAccessForm, req.body);
      await changeUserAccess(req.user, user.id, change, { ip: req.ip });
      res.redirect(303, `/admin/users/${user.id}?saved=1`);
    } catch (error) {
      const { status, errors } = formFailure(req, error, ACCOUNT_FORM_MESSAGES);
      await renderUser(req, res, user, status, { ...formValues(req.body, ['role', 'status']), states: formList(req.body, 'states') }, errors);
    }
  });

  /** @route GET /admin/audit — newest first, by type, AUDIT_PAGE_SIZE a page */
  router.get('/admin/audit', async (req, res) => {
    assertSecretariat(req.user);
    const { type, page = 1 } = parseInput(auditQuery, req.query);
    const events = await listAuditEvents({ type, limit: AUDIT_PAGE_SIZE + 1, offset: (page - 1) * AUDIT_PAGE_SIZE });
    const pageUrl = (to: number) => `/admin/audit?${new URLSearchParams({ ...(type ? { type } : {}), page: String(to) }).toString()}`;
    const stateNames = new Map((await listStates({}, requestLanguage(req))).map((state) => [state.code, state.name]));
    const words: DetailWords = {
      t: (key, options) => req.t(key, options),
      stateName: (code) => stateNames.get(code),
      languageName: res.locals.languageName as DetailWords['languageName'],
      formatDate: res.locals.formatDate as DetailWords['formatDate'],
    };
    res.render('accounts/admin/audit', {
      events: events.slice(0, AUDIT_PAGE_SIZE).map((event) => ({
        ...event,
        detailRows: auditDetailRows(event.details, words),
        stateName: event.state ? stateNames.get(event.state) : undefined,
        subjectUrl: subjectIsUser(event) ? `/admin/users/${event.subject}` : undefined,
      })),
      type,
      types: AUDIT_EVENT_TYPES,
      page,
      newerUrl: page > 1 ? pageUrl(page - 1) : undefined,
      olderUrl: events.length > AUDIT_PAGE_SIZE ? pageUrl(page + 1) : undefined,
    });
  });

  return router;
}
