import express, { Router, type Request, type Response } from 'express';
import { pageLinks } from '../directory/directory.presenter';
import { requireRole } from '../shared/auth';
import { csrfProtection } from '../shared/csrf';
import { NotFoundError } from '../shared/errors';
import { formFailure, formValues, type FormMessages } from '../shared/forms/form-errors';
import { parseInput } from '../shared/parse-input';
import { formRateLimit } from '../shared/rate-limit';
import { requestLanguage } from '../shared/view-locals';
import { ANONYMOUS, type Viewer } from '../shared/viewer';
import { STATE_CODE_ANY_CASE_PATTERN } from '../shared/vocabulary';
import type { ReportMailContext } from './reports.mail';
import { nextStatuses } from './reports.policy';
import { PROBLEM_KINDS, REPORT_STATUSES, REPORTED_FIELDS, listQuery, reportForm, reportIdParam, reportLinkQuery, statusForm } from './reports.schema';
import { changeReportStatus, getReport, listReports, reportFormOptions, submitReport } from './reports.service';

const MESSAGES: FormMessages = { prefix: 'reports:' };
const FORM_FIELDS = ['kind', 'state', 'authority', 'field', 'description', 'email'] as const;
/** A field no person sees or fills in; a post that fills it is a robot's and is dropped. */
const HONEYPOT = 'website';

const viewerOf = (req: Request): Viewer => req.viewer ?? ANONYMOUS;

async function renderForm(req: Request, res: Response, status: number, values: Record<string, string>, errors: Record<string, string> = {}): Promise<void> {
  const state = STATE_CODE_ANY_CASE_PATTERN.test(values.state ?? '') ? values.state!.toUpperCase() : undefined;
  const options = await reportFormOptions(viewerOf(req), state, requestLanguage(req));
  res.status(status).render('reports/form', {
    values: { ...values, state: options.stateName ? state : '' },
    errors,
    ...options,
    kinds: PROBLEM_KINDS.map((kind) => ({ value: kind, label: req.t(`reports:kinds.${kind}`) })),
    fields: REPORTED_FIELDS.map((field) => ({ value: field, label: req.t(`reports:fields.${field}`) })),
  });
}

/** Where a report is followed up: the secretariat's console, or the State's own pages for its focal points. */
interface Area {
  /** The State whose pages these are; undefined for the console's list of every State. */
  state?: string;
  base: string;
}

const areaOf = (req: Request, console: boolean): Area => {
  if (console) return { base: '/admin/reports' };
  const code = String(req.params.code ?? '').toUpperCase();
  if (!STATE_CODE_ANY_CASE_PATTERN.test(code)) throw new NotFoundError('No such State');
  return { state: code, base: `/states/${code}/reports` };
};

const reportId = (req: Request): string => {
  const id = reportIdParam.safeParse(req.params.id);
  if (!id.success) throw new NotFoundError('No such report');
  return id.data;
};

async function renderList(req: Request, res: Response, area: Area): Promise<void> {
  const query = listQuery.parse(req.query);
  const state = area.state ?? query.state;
  const listing = await listReports(viewerOf(req), { state, status: query.status, allStates: area.state === undefined }, query.page ?? 1);
  const { states } = await reportFormOptions(viewerOf(req), undefined, requestLanguage(req));
  const names = new Map(states.map((option) => [option.value, option.label]));
  res.render('reports/list', {
    area,
    listing,
    filters: { status: query.status ?? '', state: area.state ? '' : (query.state ?? '') },
    states,
    stateName: (code: string) => names.get(code) ?? code,
    statuses: REPORT_STATUSES.map((value) => ({ value, label: req.t(`reports:statuses.${value}`) })),
    links: pageLinks(area.base, req.query, listing.page, listing.pages),
  });
}

async function renderDetail(req: Request, res: Response, area: Area, status = 200, values: Record<string, string> = {}, errors: Record<string, string> = {}): Promise<void> {
  const report = await getReport(viewerOf(req), reportId(req), area.state);
  const next = nextStatuses(report.status).map((value) => ({ value, label: req.t(`reports:statuses.${value}`) }));
  res.status(status).render('reports/detail', { area, report, next, values: { status: next[0]?.value ?? '', ...values }, errors, done: req.query.done === 'status' });
}

/** Readers report a problem with an entry; its State's focal points and the secretariat follow the report up. */
export function reportPages(mail: ReportMailContext): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '20kb' });
  const perIp = formRateLimit({ windowMinutes: 60, limit: 10, view: 'reports/too-many' });

  /** @route GET /report — the report form, pre-filled from the page it was opened from (?state=, ?authority=) */
  router.get('/report', async (req, res) => {
    const link = reportLinkQuery.parse(req.query);
    await renderForm(req, res, 200, formValues({ state: link.state ?? '', authority: link.authority ?? '' }, FORM_FIELDS));
  });

  /** @route POST /report — records the report and e-mails it; no account needed */
  router.post('/report', perIp, form, csrfProtection, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    // A robot that filled the hidden field is thanked like anyone, so it learns nothing
    if (typeof body[HONEYPOT] === 'string' && body[HONEYPOT] !== '') return res.render('reports/sent');
    try {
      await submitReport(viewerOf(req), parseInput(reportForm, body), requestLanguage(req), mail);
      res.render('reports/sent');
    } catch (error) {
      const { status, errors } = formFailure(req, error, MESSAGES);
      await renderForm(req, res, status, formValues(body, FORM_FIELDS), errors);
    }
  });

  for (const console of [true, false]) {
    const base = console ? '/admin/reports' : '/states/:code/reports';
    const guard = console ? requireRole('secretariat') : requireRole('focal-point', 'secretariat');

    /** @route GET /admin/reports and /states/:code/reports — reports newest first, by status (and State, in the console) */
    router.get(base, guard, async (req, res) => {
      await renderList(req, res, areaOf(req, console));
    });

    /** @route GET /admin/reports/:id and /states/:code/reports/:id — one report and its follow-up */
    router.get(`${base}/:id`, guard, async (req, res) => {
      await renderDetail(req, res, areaOf(req, console));
    });

    /** @route POST /admin/reports/:id/status and /states/:code/reports/:id/status — moves the report on, with a reply note */
    router.post(`${base}/:id/status`, guard, form, csrfProtection, async (req, res) => {
      const area = areaOf(req, console);
      const id = reportId(req);
      try {
        const change = parseInput(statusForm, req.body);
        await changeReportStatus({ viewer: viewerOf(req), email: req.user?.email, ip: req.ip }, id, change, mail, area.state);
        res.redirect(303, `${area.base}/${id}?done=status`);
      } catch (error) {
        const { status, errors } = formFailure(req, error, MESSAGES);
        await renderDetail(req, res, area, status, formValues(req.body, ['status', 'note']), errors);
      }
    });
  }

  return router;
}
