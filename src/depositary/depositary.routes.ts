import { Router, type Request, type Response } from 'express';
import { collatorFor, listDirectoryRecords } from '../directory/directory.service';
import type { EditContext } from '../editing/editing.service';
import { requireRole } from '../shared/auth';
import { csrfProtection } from '../shared/csrf';
import { ValidationError } from '../shared/errors';
import { formFailure } from '../shared/forms/form-errors';
import { receiveOneFile } from '../shared/forms/upload';
import { parseInput } from '../shared/parse-input';
import { requestLanguage } from '../shared/view-locals';
import { ANONYMOUS } from '../shared/viewer';
import { decodeDepositaryFile } from './depositary.read';
import { partyStatusForm, TABLE_MAX_BYTES } from './depositary.schema';
import { commitPartyStatus, reviewPartyStatus, type PartyStatusReport } from './depositary.service';

const contextOf = (req: Request): EditContext => ({ viewer: req.viewer ?? ANONYMOUS, email: req.user?.email, ip: req.ip });

/** The form posts as multipart (a file may come with it); as many fields as a whole table's choices. */
const receiveForm = receiveOneFile({ maxBytes: TABLE_MAX_BYTES, fields: 1000 });

/** `choices.12` → `choices-12`: the id of the row's picker. */
const fieldOf = (path: string) => path.replace(/\./g, '-');

async function render(req: Request, res: Response, status: number, values: Record<string, unknown>, errors: Record<string, string>, report?: PartyStatusReport): Promise<void> {
  const lang = requestLanguage(req);
  const { states, instruments } = await listDirectoryRecords();
  const collator = collatorFor(lang);
  const stateOptions = states.map((state) => ({ value: state.code, label: state.names[lang] })).sort((a, b) => collator.compare(a.label, b.label));
  const names = new Map(states.map((state) => [state.code, state.names[lang]]));
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  res.set('Cache-Control', 'no-store');
  res.status(status).render('depositary/party-status', {
    values,
    errors,
    report,
    instruments: instruments.filter((instrument) => !instrument.retired),
    stateOptions,
    stateName: (code: string) => names.get(code) ?? code,
    formatDate: (iso: string | undefined) => (iso ? dates.format(new Date(`${iso}T00:00:00Z`)) : '—'),
    fieldOf,
  });
}

/** The form's values as the page shows them again: the table as posted, or as read from the uploaded file. */
function formValuesOf(body: Record<string, unknown>, content: string): Record<string, unknown> {
  const text = (key: string) => (typeof body[key] === 'string' ? body[key] : '');
  const choices = body.choices && typeof body.choices === 'object' ? Object.fromEntries(Object.entries(body.choices).filter(([, choice]) => typeof choice === 'string')) : {};
  return { instrument: text('instrument'), source: text('source'), asOf: text('asOf'), content, choices };
}

/** The secretariat's loading of party status from the depositary's status tables. */
export function depositaryPages(): Router {
  const router = Router();
  router.use('/admin/party-status', requireRole('secretariat'));

  /** @route GET /admin/party-status — the form: the instrument, then the status table pasted or its XML uploaded */
  router.get('/admin/party-status', async (req, res) => {
    await render(req, res, 200, { choices: {} }, {});
  });

  /** @route POST /admin/party-status — a dry run (each participant's State and what would change) or the commit (every record or none) */
  router.post('/admin/party-status', receiveForm, csrfProtection, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const content = req.file ? decodeDepositaryFile(req.file.buffer) : typeof body.content === 'string' ? body.content : '';
    const values = formValuesOf(body, content);
    if (res.locals.uploadTooLarge) {
      const { status, errors } = formFailure(req, new ValidationError({ content: `errors.tooLarge|${TABLE_MAX_BYTES / 1024 / 1024}` }), { prefix: 'depositary:', fieldOf });
      return render(req, res, status === 422 ? 413 : status, { ...values, content: '' }, errors);
    }
    let report: PartyStatusReport | undefined;
    try {
      const form = parseInput(partyStatusForm, { ...body, content });
      report = await reviewPartyStatus(contextOf(req), form);
      if (form.action === 'commit') {
        if (Object.keys(report.blockers).length) throw new ValidationError(report.blockers);
        report = await commitPartyStatus(contextOf(req), form);
        if (report.failure) return render(req, res, 409, values, { _form: req.t('depositary:errors.notWritten', { reason: report.failure.reason }) }, report);
      }
      await render(req, res, 200, values, {}, report);
    } catch (error) {
      const { status, errors } = formFailure(req, error, { prefix: 'depositary:', fieldOf });
      await render(req, res, status, values, errors, report);
    }
  });

  return router;
}
