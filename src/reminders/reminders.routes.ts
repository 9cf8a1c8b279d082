import express, { Router, type Request, type Response } from 'express';
import { listCurrentDesignationTypes } from '../directory/directory.service';
import { requireRole } from '../shared/auth';
import { csrfProtection } from '../shared/csrf';
import { NotFoundError, ValidationError } from '../shared/errors';
import type { Mailer } from '../shared/mail';
import { formValues } from '../shared/forms/form-errors';
import { parseInput } from '../shared/parse-input';
import { requestLanguage } from '../shared/view-locals';
import type { MailLinks } from './reminder-mail';
import { campaignForm, idParam, previewQuery, stateCodeParam, type CampaignInput } from './reminders.schema';
import {
  campaignAudience,
  campaignFormValues,
  confirmByLink,
  createCampaign,
  deleteCampaign,
  getCampaignReport,
  isEditable,
  listCampaigns,
  listStateRows,
  pauseCampaign,
  peekConfirmation,
  previewReminder,
  remindNowRecipients,
  remindStateNow,
  resumeCampaign,
  sendTestReminder,
  updateCampaign,
  type CampaignAudience,
  type LinkRefusal,
} from './reminders.service';
import type { Campaign } from './reminders.types';

export interface ReminderPagesDependencies extends MailLinks {
  mailer: Mailer;
  /** Verifies 'still accurate' links (the app's COOKIE_SECRET). */
  secret: string;
}

const FORM_FIELDS = ['name', 'kind', 'months', 'designation', 'startsAt', 'repeat', 'everyMonths', 'escalateAfterDays'] as const;

function stateCode(req: Request): string {
  const code = stateCodeParam.safeParse(String(req.params.code ?? '').toUpperCase());
  if (!code.success) throw new NotFoundError('No such State');
  return code.data;
}

/** The campaign form, for a new campaign or for `editing` one. */
async function renderForm(
  req: Request,
  res: Response,
  form: { status: number; values: Record<string, string>; errors: Record<string, string>; audience?: CampaignAudience; editing?: Campaign },
): Promise<void> {
  const lang = requestLanguage(req);
  const designations = (await listCurrentDesignationTypes()).map((type) => ({ value: type.code, label: `${type.titles[lang]} (${type.article})` }));
  res.status(form.status).render('reminders/new', { values: form.values, errors: form.errors, designations, audience: form.audience, editing: form.editing });
}

/**
 * A posted campaign form: first shows whom the campaign will reach (the form again, with its
 * audience), then saves it when sent with step=schedule from that page; errors at their fields.
 */
async function submitCampaignForm(req: Request, res: Response, save: (input: CampaignInput) => Promise<Campaign>, editing?: Campaign): Promise<void> {
  const values = formValues(req.body, FORM_FIELDS);
  try {
    const input = parseInput(campaignForm, req.body);
    if ((req.body as Record<string, unknown> | undefined)?.step !== 'schedule') {
      return await renderForm(req, res, { status: 200, values, errors: {}, audience: await campaignAudience(req.user, input, requestLanguage(req)), editing });
    }
    const campaign = await save(input);
    res.redirect(303, `/admin/reminders/${campaign.id}?${editing ? 'done=edited' : 'created=1'}`);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const errors: Record<string, string> = {};
    for (const [field, message] of Object.entries(error.fields ?? {})) errors[field] ??= /^errors\.[A-Za-z]+$/.test(message) ? req.t(`reminders:${message}`) : message;
    await renderForm(req, res, { status: 422, values, errors, editing });
  }
}

function campaignId(req: Request): string {
  const id = idParam.safeParse(req.params.id);
  if (!id.success) throw new NotFoundError('No such campaign');
  return id.data;
}

const CAMPAIGN_NOTICES = ['edited', 'paused', 'resumed'] as const;

function renderRefusal(res: Response, refusal: LinkRefusal): void {
  res.status(refusal.reason === 'invalid' ? 404 : 410).render('reminders/confirm-refused', { reason: refusal.reason });
}

/** The secretariat's reminder console under /admin/reminders, and the public 'still accurate' links under /confirm. */
export function remindersPages(deps: ReminderPagesDependencies): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '20kb' });
  router.use('/admin/reminders', requireRole('secretariat'));

  /** @route GET /admin/reminders — campaigns with their deliveries counted by status */
  router.get('/admin/reminders', async (req, res) => {
    res.render('reminders/index', { campaigns: await listCampaigns(req.user), deleted: req.query.done === 'deleted' });
  });

  /** @route GET /admin/reminders/new */
  router.get('/admin/reminders/new', async (req, res) => {
    await renderForm(req, res, { status: 200, values: { repeat: 'once', kind: 'all-focal-points' }, errors: {} });
  });

  /** @route POST /admin/reminders — defines a campaign, once its audience has been shown */
  router.post('/admin/reminders', form, csrfProtection, async (req, res) => {
    await submitCampaignForm(req, res, (input) => createCampaign(req.user, input));
  });

  /** @route GET /admin/reminders/states — each State's stamps and focal points, with preview, test send and 'remind now' */
  router.get('/admin/reminders/states', async (req, res) => {
    res.render('reminders/states', { states: await listStateRows(req.user, requestLanguage(req)), notice: typeof req.query.notice === 'string' ? req.query.notice : undefined, noticeState: typeof req.query.state === 'string' ? req.query.state : undefined });
  });

  /** @route GET /admin/reminders/states/:code/preview — the e-mail as a focal point would get it (?mailLang=ru) */
  router.get('/admin/reminders/states/:code/preview', async (req, res) => {
    const code = stateCode(req);
    const mailLang = parseInput(previewQuery, req.query).mailLang ?? requestLanguage(req);
    res.render('reminders/preview', { code, mailLang, mail: await previewReminder(req.user, deps, code, mailLang) });
  });

  /** @route POST /admin/reminders/states/:code/test — sends that e-mail to the signed-in secretariat member */
  router.post('/admin/reminders/states/:code/test', form, csrfProtection, async (req, res) => {
    const code = stateCode(req);
    // in the language of the preview it was sent from
    const { mailLang } = parseInput(previewQuery, req.body);
    await sendTestReminder(req.user, deps, deps.mailer, code, mailLang);
    res.redirect(303, `/admin/reminders/states?notice=test-sent&state=${code}`);
  });

  /** @route GET /admin/reminders/states/:code/remind — asks before 'remind this State now', naming who it will reach */
  router.get('/admin/reminders/states/:code/remind', async (req, res) => {
    const code = stateCode(req);
    res.render('reminders/remind-confirm', { code, ...(await remindNowRecipients(req.user, code, requestLanguage(req))) });
  });

  /** @route POST /admin/reminders/states/:code/remind — 'remind this State now', once confirmed: queued at once, sent by the worker */
  router.post('/admin/reminders/states/:code/remind', form, csrfProtection, async (req, res) => {
    const code = stateCode(req);
    // Mails go out to real people: a POST that does not come from the confirmation page asks first
    if (req.body?.confirmed !== 'yes') return res.redirect(303, `/admin/reminders/states/${code}/remind`);
    const campaign = await remindStateNow(req.user, code);
    res.redirect(303, `/admin/reminders/${campaign.id}?created=1`);
  });

  /** @route GET /admin/reminders/:id — one campaign: runs, every recipient's status, failures with the SMTP answer */
  router.get('/admin/reminders/:id', async (req, res) => {
    const report = await getCampaignReport(req.user, campaignId(req), requestLanguage(req));
    const notice = CAMPAIGN_NOTICES.find((done) => done === req.query.done);
    res.render('reminders/campaign', { ...report, editable: isEditable(report.campaign), created: req.query.created === '1', notice });
  });

  /** @route GET /admin/reminders/:id/edit — the campaign form with the campaign as it stands */
  router.get('/admin/reminders/:id/edit', async (req, res) => {
    const { campaign, values } = await campaignFormValues(req.user, campaignId(req));
    await renderForm(req, res, { status: 200, values, errors: {}, editing: campaign });
  });

  /** @route POST /admin/reminders/:id — saves an edited campaign, once its audience has been shown again */
  router.post('/admin/reminders/:id', form, csrfProtection, async (req, res) => {
    const { campaign } = await campaignFormValues(req.user, campaignId(req));
    await submitCampaignForm(req, res, (input) => updateCampaign(req.user, campaign.id, input, { ip: req.ip }), campaign);
  });

  /** @route POST /admin/reminders/:id/pause — nothing more is started or sent until it is resumed */
  router.post('/admin/reminders/:id/pause', form, csrfProtection, async (req, res) => {
    const id = campaignId(req);
    await pauseCampaign(req.user, id, { ip: req.ip });
    res.redirect(303, `/admin/reminders/${id}?done=paused`);
  });

  /** @route POST /admin/reminders/:id/resume */
  router.post('/admin/reminders/:id/resume', form, csrfProtection, async (req, res) => {
    const id = campaignId(req);
    await resumeCampaign(req.user, id, { ip: req.ip });
    res.redirect(303, `/admin/reminders/${id}?done=resumed`);
  });

  /** @route GET /admin/reminders/:id/delete — asks before deleting, saying what goes with the campaign */
  router.get('/admin/reminders/:id/delete', async (req, res) => {
    res.render('reminders/delete-confirm', await getCampaignReport(req.user, campaignId(req), requestLanguage(req)));
  });

  /** @route POST /admin/reminders/:id/delete — once confirmed, deletes the campaign with its runs and deliveries */
  router.post('/admin/reminders/:id/delete', form, csrfProtection, async (req, res) => {
    const id = campaignId(req);
    // A POST that does not come from the question page asks first
    if (req.body?.confirmed !== 'yes') return res.redirect(303, `/admin/reminders/${id}/delete`);
    await deleteCampaign(req.user, id, { ip: req.ip });
    res.redirect(303, '/admin/reminders?done=deleted');
  });

  /** @route GET /confirm/:token — asks before confirming, so a link scanner fetching the link confirms nothing */
  router.get('/confirm/:token', async (req, res) => {
    const opened = await peekConfirmation(deps.secret, String(req.params.token), requestLanguage(req));
    if (!opened.ok) return renderRefusal(res, opened);
    res.set('Referrer-Policy', 'no-referrer').render('reminders/confirm', { stateName: opened.stateName, token: req.params.token });
  });

  /** @route POST /confirm/:token — records 'still accurate' once */
  router.post('/confirm/:token', form, csrfProtection, async (req, res) => {
    const confirmed = await confirmByLink(deps.secret, String(req.params.token), requestLanguage(req));
    if (!confirmed.ok) return renderRefusal(res, confirmed);
    res.set('Referrer-Policy', 'no-referrer').render('reminders/confirmed', { stateName: confirmed.stateName, code: confirmed.delivery.state });
  });

  return router;
}
