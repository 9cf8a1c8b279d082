import express, { Router, type Request, type Response } from 'express';
import { authorityIdParam, stateCodeParam } from '../directory/directory.schema';
import { designationTitle, formatPhone, renderStateText, requirementsChecklist, weekdayNames } from '../directory/directory.presenter';
import * as directory from '../directory/directory.service';
import { localizeFields } from '../editing/editing.schema';
import type { EditContext } from '../editing/editing.service';
import { requireRole } from '../shared/auth';
import { csrfProtection } from '../shared/csrf';
import { receiveOneFile } from '../shared/forms/upload';
import { ForbiddenError } from '../shared/errors';
import { parseInput } from '../shared/parse-input';
import { requestLanguage } from '../shared/view-locals';
import { ANONYMOUS } from '../shared/viewer';
import { CSV_CLEAR_MARKER, CSV_COLUMNS, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, importForm } from './exchange.schema';
import { directoryAsCsv, directoryAsJson, directoryForExport, recordExport } from './export.service';
import { commitImport, dryRunImport } from './import.service';
import { decodeUtf8, guessFormat } from './import.read';
import { EXCHANGE_MESSAGE_KEYS, type ImportProblem, type ImportReport } from './import.types';
import { authorityVCard, vCardNote, type VCardWords } from './vcard';
import { absoluteUrl as absoluteUrlOn } from '../shared/public-url';

type Translate = (key: string, options?: Record<string, unknown>) => string;

const viewerOf = (req: Request) => req.viewer ?? ANONYMOUS;
const contextOf = (req: Request): EditContext => ({ viewer: viewerOf(req), email: req.user?.email, ip: req.ip });

/** A problem's message key in words: this component's keys, else the editing component's. */
function problemMessage(message: string, t: Translate): string {
  const [key, value] = message.split('|', 2) as [string, string | undefined];
  if ((EXCHANGE_MESSAGE_KEYS as readonly string[]).includes(key)) return t(`exchange:problem.${key}`, { value, count: value && /^\d+$/.test(value) ? Number(value) : undefined });
  return localizeFields({ field: message }, t).field ?? message;
}

const localizeProblems = (problems: ImportProblem[], t: Translate) => problems.map((problem) => ({ ...problem, code: problem.message.split('|')[0], message: problemMessage(problem.message, t) }));

/** JSON for API-like callers (Accept: application/json), the page for everyone else. */
const wantsJsonReply = (req: Request) => req.accepts(['html', 'json']) === 'json';

/** Multipart uploads kept in memory, 2 MB at most; a larger file is reported on the page, not thrown. */
const receiveUpload = receiveOneFile({ maxBytes: IMPORT_MAX_BYTES, fields: 10 });
const pastedForm = express.urlencoded({ extended: false, limit: IMPORT_MAX_BYTES + 64 * 1024 });

function reportStatus(report: ImportReport, res: Response): number {
  if (res.statusCode === 413) return 413;
  if (report.problems.length) return 422;
  if (report.failure) return report.failure.conflict && report.failure.rolledBack ? 409 : 500;
  return 200;
}

function sendReport(req: Request, res: Response, report: ImportReport, source: { text: string; fileName?: string }, action: 'dry-run' | 'commit'): void {
  const status = reportStatus(report, res);
  if (wantsJsonReply(req)) {
    res.status(status).json({ data: { ...report, action, problems: localizeProblems(report.problems, req.i18n.getFixedT('en')) } });
    return;
  }
  res.set('Cache-Control', 'no-store');
  res.status(status).render('exchange/import-report', {
    title: req.t('exchange:report.title'),
    report,
    action,
    problems: localizeProblems(report.problems, req.t),
    content: source.text,
    fileName: source.fileName,
  });
}

/** Import pages (focal points for their States, the secretariat for any), exports, vCards and the printable State page. */
export function exchangePages(links: { publicUrl: string }): Router {
  const router = Router();
  /** A link that still works on paper or in an address book: the Directory's public address before the path. */
  const absoluteUrl = (path: string) => absoluteUrlOn(links.publicUrl, path);

  /** @route GET /import — the form: upload a CSV or JSON file, or paste it */
  router.get('/import', requireRole('focal-point', 'secretariat'), (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.render('exchange/import', { columns: CSV_COLUMNS, maxRows: IMPORT_MAX_ROWS, maxMegabytes: IMPORT_MAX_BYTES / 1024 / 1024, csvClearMarker: CSV_CLEAR_MARKER, errors: {}, values: {} });
  });

  /** @route POST /import — a dry run (every problem by row and field) or a commit (all rows or none) */
  router.post('/import', requireRole('focal-point', 'secretariat'), receiveUpload, pastedForm, csrfProtection, async (req, res) => {
    const form = parseInput(importForm, req.body ?? {});
    const file = req.file;
    const fileName = file?.originalname;
    if (res.locals.uploadTooLarge) {
      const report: ImportReport = { format: 'csv', rowCount: 0, problems: [{ row: 0, entity: 'file', field: '_file', message: `tooLarge|${IMPORT_MAX_BYTES / 1024 / 1024}` }], planned: [], committed: false };
      return sendReport(req, res.status(413), report, { text: '' }, form.action);
    }
    const text = file ? decodeUtf8(file.buffer) : form.content.replace(/^\uFEFF/, '');
    const format = guessFormat(form.format, fileName, text ?? '');
    if (text === undefined) {
      const report: ImportReport = { format, rowCount: 0, problems: [{ row: 0, entity: 'file', field: '_file', message: 'encoding' }], planned: [], committed: false };
      return sendReport(req, res, report, { text: '' }, form.action);
    }
    const source = { text, format };
    const report = form.action === 'commit' ? await commitImport(contextOf(req), source) : await dryRunImport(contextOf(req), source);
    sendReport(req, res, report, { text, fileName }, form.action);
  });

  /** @route GET /export — what can be downloaded, under the reader's access rights */
  router.get('/export', (_req, res) => {
    res.render('exchange/export');
  });

  /** @route GET /export/directory.json — every State and authority the caller may see; restricted States as stubs otherwise */
  router.get('/export/directory.json', async (req, res) => {
    const states = await directoryForExport(viewerOf(req));
    await recordExport(viewerOf(req), { email: req.user?.email, ip: req.ip }, 'json', states);
    res.set('Cache-Control', 'no-store');
    res.attachment(`directory-${new Date().toISOString().slice(0, 10)}.json`);
    res.json(directoryAsJson(states));
  });

  /** @route GET /export/directory.csv — one row per authority, UTF-8 with a BOM for spreadsheets */
  router.get('/export/directory.csv', async (req, res) => {
    const states = await directoryForExport(viewerOf(req));
    await recordExport(viewerOf(req), { email: req.user?.email, ip: req.ip }, 'csv', states);
    res.set('Cache-Control', 'no-store');
    res.attachment(`directory-${new Date().toISOString().slice(0, 10)}.csv`);
    res.type('text/csv; charset=utf-8').send(directoryAsCsv(states));
  });

  /** @route GET /authorities/:id.vcf — the authority as a vCard; 403 when its State restricts details from this reader (the API shows a stub, so existence is no secret) */
  router.get('/authorities/:id.vcf', async (req, res) => {
    const id = parseInput(authorityIdParam, req.params.id);
    const authority = await directory.getAuthority(viewerOf(req), id);
    if (authority.restricted) throw new ForbiddenError('This State makes its authorities’ contact details available to authorized users only.');
    const lang = requestLanguage(req);
    const [state, designations] = await Promise.all([directory.getState(ANONYMOUS, authority.state, lang), directory.listDesignationTypes()]);
    const list = new Intl.ListFormat(lang, { type: 'conjunction' });
    const words: VCardWords = {
      list: (items) => list.format(items),
      designatedAs: req.t('authority.designatedAs'),
      urgent: authority.urgent.accepted ? req.t('authority.urgentAccepted', { means: list.format(authority.urgent.means.map((means) => req.t(`urgentBy.${means}`))) }) : req.t('exchange:vcard.labelled', { label: req.t('authority.urgent'), value: req.t('authority.urgentNotAccepted') }),
      contact247: req.t('authority.contact247'),
      contactPersons: req.t('authority.contactPersons'),
      labelled: (label, value) => req.t('exchange:vcard.labelled', { label, value }),
    };
    const note = vCardNote(authority, authority.designations.map((code) => designationTitle(designations, code, lang)), words);
    const card = authorityVCard(authority, { countryName: state.names[lang], note });
    res.set('Cache-Control', 'private, no-cache');
    res.attachment(`authority-${authority.id}.vcf`);
    res.type('text/vcard; charset=utf-8').send(card);
  });

  /** @route GET /states/:code/print — a dated, print-ready page of the State's authorities and contacts, as the reader may see them */
  router.get('/states/:code/print', async (req, res) => {
    const code = parseInput(stateCodeParam, req.params.code);
    const lang = requestLanguage(req);
    const [state, designations] = await Promise.all([directory.getState(viewerOf(req), code, lang), directory.listDesignationTypes()]);
    const partyNames = await directory.treatyPartyNames(state, lang);
    const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
    res.set('Cache-Control', 'private, no-cache');
    res.render('exchange/print-state', {
      state,
      designations,
      partyNames,
      designationTitle: (designationCode: string) => designationTitle(designations, designationCode, lang),
      formatPhone,
      renderStateText,
      requirementsChecklist: (facts: Parameters<typeof requirementsChecklist>[0]) => requirementsChecklist(facts, req.t, lang),
      weekdayNames: (days: number[]) => weekdayNames(days, lang),
      absoluteUrl,
      printedAt: new Date(),
      formatDateTime: (date: Date) => `${dateTime.format(date)} UTC`,
    });
  });

  return router;
}
