import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { authorityIdParam, stateCodeParam } from '../directory/directory.schema';
import { designationTitle, weekdayNames } from '../directory/directory.presenter';
import { listStates } from '../directory/directory.service';
import { ACCESS_LEVELS, AUTHENTICATIONS, AUTHORITY_KINDS, CHANNELS, LEGAL_BASIS_KINDS, URGENT_MEANS, type DesignationType, type State } from '../directory/directory.types';
import { requireRole } from '../shared/auth';
import { csrfProtection } from '../shared/csrf';
import { ConflictError } from '../shared/errors';
import { formFailure as sharedFormFailure } from '../shared/forms/form-errors';
import { parseInput } from '../shared/parse-input';
import { languageSuggestions } from '../shared/languages';
import { requestLanguage } from '../shared/view-locals';
import { ANONYMOUS } from '../shared/viewer';
import * as editing from './editing.service';
import {
  accessInput,
  authorityInputFor,
  fieldLabel,
  optionalSectionInput,
  parseEditingInput,
  restoreInput,
  revisionIdParam,
  versionInput,
} from './editing.schema';
import { valueAt } from './editing.diff';
import { asList, authorityForm, conflictView, fieldValue, optionalForm, revisionViews, stateTextPreviews, type FormValues, type StateTextPreview, type ValueWords } from './editing.presenter';

/** Outcomes a page announces after a redirect (`?done=`); anything else is ignored. */
const DONE = ['created', 'saved', 'removed', 'optional', 'access', 'confirmed', 'restored'] as const;

const confirmForm = z.object({ returnTo: z.enum(['state', 'edit']).optional().catch(undefined) });

function contextOf(req: Request): editing.EditContext {
  return { viewer: req.viewer ?? ANONYMOUS, email: req.user?.email, ip: req.ip };
}

const codeOf = (req: Request): string => parseInput(stateCodeParam, req.params.code);

/** The posted fields without the CSRF token and the version, which are not part of the entry. */
function postedFields(req: Request): { fields: Record<string, unknown>; version: unknown } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const fields = Object.fromEntries(Object.entries(body).filter(([key]) => key !== '_csrf' && key !== 'version'));
  return { fields, version: body.version };
}

function versionOf(value: unknown): number {
  return parseEditingInput(z.object({ version: versionInput }), { version: value }).version;
}

/** Helpers every editing page gets: field names, values and labels, dates with times, designation titles. */
function pageLocals(req: Request, state: State, designations: DesignationType[] = []) {
  const lang = requestLanguage(req);
  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  return {
    state,
    stateName: state.names[lang],
    designations,
    designationTitle: (code: string) => designationTitle(designations, code, lang),
    weekdays: [1, 2, 3, 4, 5, 6, 7].map((day, index) => ({ value: String(day), label: weekdayNames([day], lang)[0] ?? String(day), index })),
    formatDateTime: (date: Date | string | undefined) => (date ? `${dateTime.format(new Date(date))} UTC` : ''),
    fieldLabel: (key: string) => fieldLabel(key, req.t),
    fieldValue,
    valueAt,
    asList,
    done: DONE.find((outcome) => outcome === req.query.done),
  };
}

/** A refused form: the user's input, an error summary and a message at each field (422), or what changed meanwhile (409). */
function formFailure(req: Request, error: unknown): { status: number; errors: Record<string, string>; conflict?: ReturnType<typeof conflictView>; version?: number } {
  const failure = sharedFormFailure(req, error, { prefix: 'editing:invalid.' });
  if (failure.status !== 409 || !(error instanceof ConflictError)) return { status: failure.status, errors: failure.errors };
  return { status: 409, errors: {}, conflict: conflictView(error.details, req.t), ...(error.details?.currentVersion !== undefined ? { version: error.details.currentVersion } : {}) };
}

/** Labels for the error summary, one per field in error. */
const labelsFor = (req: Request, errors: Record<string, string>) => Object.fromEntries(Object.keys(errors).map((key) => [key, key === '_form' ? '' : fieldLabel(key, req.t)]));

/** Pages where focal points and the secretariat keep a State's entries current. */
export function editingPages(): Router {
  const router = Router();
  // Nested fields (phones[0][number]) need the extended parser (qs); size and field count bounded.
  const form = express.urlencoded({ extended: true, limit: '300kb', parameterLimit: 5000 });
  // Editing pages show restricted details: never kept by a browser or a proxy.
  const editorsOnly = requireRole('focal-point', 'secretariat');
  const editors: RequestHandler = (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    editorsOnly(req, res, next);
  };

  function renderAuthorityForm(
    req: Request,
    res: Response,
    view: { state: State; designations: DesignationType[]; authorityId?: string; values: FormValues | Record<string, unknown>; version?: number; status?: number; errors?: Record<string, string>; conflict?: ReturnType<typeof conflictView> },
  ) {
    const errors = view.errors ?? {};
    res.status(view.status ?? 200).render('editing/authority-form', {
      ...pageLocals(req, view.state, view.designations),
      authorityId: view.authorityId,
      values: view.values,
      version: view.version ?? 0,
      errors,
      labels: labelsFor(req, errors),
      conflict: view.conflict,
      kinds: AUTHORITY_KINDS,
      channels: CHANNELS,
      urgentMeans: URGENT_MEANS,
      languageSuggestions: languageSuggestions(requestLanguage(req)),
    });
  }

  /** @route GET /states/:code/edit — the State's entries with links to each form, confirm and history */
  router.get('/states/:code/edit', editors, async (req, res) => {
    const { state, authorities, designations } = await editing.getEditableState(contextOf(req), codeOf(req));
    res.render('editing/overview', { ...pageLocals(req, state, designations), authorities });
  });

  /** @route GET /states/:code/authorities/new */
  router.get('/states/:code/authorities/new', editors, async (req, res) => {
    const { state, designations } = await editing.getEditableState(contextOf(req), codeOf(req));
    renderAuthorityForm(req, res, { state, designations, values: authorityForm(undefined, requestLanguage(req)) });
  });

  /** @route POST /states/:code/authorities/new — adds an authority */
  router.post('/states/:code/authorities/new', editors, form, csrfProtection, async (req, res) => {
    const code = codeOf(req);
    const context = contextOf(req);
    const { state, designations } = await editing.getEditableState(context, code);
    const { fields } = postedFields(req);
    try {
      await editing.createAuthority(context, code, parseEditingInput(authorityInputFor({ region: state.iso2, lang: requestLanguage(req) }), fields));
      res.redirect(303, `/states/${code}/edit?done=created`);
    } catch (error) {
      const failure = formFailure(req, error);
      renderAuthorityForm(req, res, { state, designations, values: fields, ...failure });
    }
  });

  /** @route GET /states/:code/authorities/:id/edit */
  router.get('/states/:code/authorities/:id/edit', editors, async (req, res) => {
    const code = codeOf(req);
    const context = contextOf(req);
    const { state, authority } = await editing.getEditableAuthority(context, code, parseInput(authorityIdParam, req.params.id));
    const { designations } = await editing.getEditableState(context, code);
    renderAuthorityForm(req, res, { state, designations, authorityId: authority.id, values: authorityForm(authority, requestLanguage(req)), version: authority.version });
  });

  /** @route POST /states/:code/authorities/:id/edit — saves an authority if nobody saved it meanwhile */
  router.post('/states/:code/authorities/:id/edit', editors, form, csrfProtection, async (req, res) => {
    const code = codeOf(req);
    const id = parseInput(authorityIdParam, req.params.id);
    const context = contextOf(req);
    const { state, designations } = await editing.getEditableState(context, code);
    const { fields, version } = postedFields(req);
    let expected: number | undefined;
    try {
      await editing.checkAuthorityEditable(context, id, code);
      expected = versionOf(version);
      await editing.updateAuthority(context, { id, underState: code }, expected, parseEditingInput(authorityInputFor({ region: state.iso2, lang: requestLanguage(req) }), fields));
      res.redirect(303, `/states/${code}/edit?done=saved`);
    } catch (error) {
      const failure = formFailure(req, error);
      renderAuthorityForm(req, res, { state, designations, authorityId: id, values: fields, version: failure.version ?? expected, ...failure });
    }
  });

  /** @route GET /states/:code/authorities/:id/remove — asks before removing */
  router.get('/states/:code/authorities/:id/remove', editors, async (req, res) => {
    const { state, authority } = await editing.getEditableAuthority(contextOf(req), codeOf(req), parseInput(authorityIdParam, req.params.id));
    res.render('editing/remove', { ...pageLocals(req, state), authority, version: authority.version, conflict: undefined, errors: {} });
  });

  /** @route POST /states/:code/authorities/:id/remove */
  router.post('/states/:code/authorities/:id/remove', editors, form, csrfProtection, async (req, res) => {
    const code = codeOf(req);
    const id = parseInput(authorityIdParam, req.params.id);
    const context = contextOf(req);
    try {
      await editing.checkAuthorityEditable(context, id, code);
      await editing.removeAuthority(context, { id, underState: code }, versionOf(postedFields(req).version));
      res.redirect(303, `/states/${code}/edit?done=removed`);
    } catch (error) {
      const failure = formFailure(req, error);
      const { state, authorities, designations } = await editing.getEditableState(context, code);
      const authority = authorities.find((candidate) => candidate.id === id);
      // Removed by someone else meanwhile: the overview says so, there is nothing left to ask about.
      if (!authority) return res.status(failure.status).render('editing/overview', { ...pageLocals(req, state, designations), authorities, conflict: failure.conflict });
      res.status(failure.status).render('editing/remove', { ...pageLocals(req, state), authority, version: failure.version ?? authority.version, conflict: failure.conflict, errors: failure.errors });
    }
  });

  function renderOptionalForm(
    req: Request,
    res: Response,
    view: { state: State; values: FormValues | Record<string, unknown>; version: number; status?: number; errors?: Record<string, string>; conflict?: ReturnType<typeof conflictView>; previews?: Record<string, StateTextPreview> },
  ) {
    const errors = view.errors ?? {};
    res.status(view.status ?? 200).render('editing/optional-form', {
      ...pageLocals(req, view.state),
      values: view.values,
      version: view.version,
      errors,
      labels: labelsFor(req, errors),
      conflict: view.conflict,
      previews: view.previews ?? {},
      channels: CHANNELS,
      authentications: AUTHENTICATIONS,
      legalBasisKinds: LEGAL_BASIS_KINDS,
    });
  }

  /** @route GET /states/:code/optional/edit — requirement summaries, laws, treaties, alternative arrangements */
  router.get('/states/:code/optional/edit', editors, async (req, res) => {
    const { state } = await editing.getEditableState(contextOf(req), codeOf(req));
    renderOptionalForm(req, res, { state, values: optionalForm(state.optional), version: state.version });
  });

  /** @route POST /states/:code/optional/edit */
  router.post('/states/:code/optional/edit', editors, form, csrfProtection, async (req, res) => {
    const code = codeOf(req);
    const context = contextOf(req);
    const { state } = await editing.getEditableState(context, code);
    const { fields: posted, version } = postedFields(req);
    const { preview, ...fields } = posted;
    // A Preview button: the same form again with the texts as readers would see them, nothing saved
    if (preview !== undefined) return renderOptionalForm(req, res, { state, values: fields, version: Number(version) || state.version, previews: stateTextPreviews(fields) });
    let expected: number | undefined;
    try {
      expected = versionOf(version);
      await editing.updateOptionalSection(context, code, expected, parseEditingInput(optionalSectionInput, fields));
      res.redirect(303, `/states/${code}/edit?done=optional`);
    } catch (error) {
      const failure = formFailure(req, error);
      renderOptionalForm(req, res, { state, values: fields, version: failure.version ?? expected ?? state.version, ...failure });
    }
  });

  /** @route GET /states/:code/access — public or restricted (decision 3/2 (g)(v)) */
  router.get('/states/:code/access', editors, async (req, res) => {
    const { state } = await editing.getEditableState(contextOf(req), codeOf(req));
    res.render('editing/access', { ...pageLocals(req, state), values: { access: state.access }, version: state.version, levels: ACCESS_LEVELS, errors: {}, labels: {}, conflict: undefined });
  });

  /** @route POST /states/:code/access */
  router.post('/states/:code/access', editors, form, csrfProtection, async (req, res) => {
    const code = codeOf(req);
    const context = contextOf(req);
    const { state } = await editing.getEditableState(context, code);
    const { fields, version } = postedFields(req);
    let expected: number | undefined;
    try {
      expected = versionOf(version);
      const { access } = parseEditingInput(accessInput, fields);
      await editing.setAccess(context, code, expected, access);
      res.redirect(303, `/states/${code}/edit?done=access`);
    } catch (error) {
      const failure = formFailure(req, error);
      res.status(failure.status).render('editing/access', {
        ...pageLocals(req, state),
        values: fields,
        version: failure.version ?? expected ?? state.version,
        levels: ACCESS_LEVELS,
        errors: failure.errors,
        labels: labelsFor(req, failure.errors),
        conflict: failure.conflict,
      });
    }
  });

  /** @route POST /states/:code/confirm — "still accurate": one click sets the last-confirmed date */
  router.post('/states/:code/confirm', editors, form, csrfProtection, async (req, res) => {
    const code = codeOf(req);
    await editing.confirmStillAccurate(contextOf(req), code);
    const { returnTo } = confirmForm.parse(req.body ?? {});
    res.redirect(303, returnTo === 'edit' ? `/states/${code}/edit?done=confirmed` : `/states/${code}?done=confirmed`);
  });

  async function renderHistory(req: Request, res: Response, code: string, failure?: ReturnType<typeof formFailure>) {
    const context = contextOf(req);
    const { state, authorities, designations } = await editing.getEditableState(context, code);
    const revisions = await editing.listRevisions(context, code);
    const lang = requestLanguage(req);
    const stateNames = new Map((await listStates({}, lang)).map((other) => [other.code, other.name]));
    const weekdays = weekdayNames([1, 2, 3, 4, 5, 6, 7], lang);
    const words: ValueWords = {
      t: (key) => req.t(key),
      // the page's own helper (shared/view-locals.ts)
      languageName: res.locals.languageName as (code: string) => string,
      designationTitle: (code) => designationTitle(designations, code, lang),
      stateName: (code) => stateNames.get(code) ?? code,
      weekday: (day) => weekdays[day - 1] ?? String(day),
    };
    res.status(failure?.status ?? 200).render('editing/history', {
      ...pageLocals(req, state, designations),
      revisions: revisionViews(revisions, state, authorities, words),
      errors: failure?.errors ?? {},
      labels: {},
      conflict: failure?.conflict,
    });
  }

  /** @route GET /states/:code/history — every change, with what was taken out and put in */
  router.get('/states/:code/history', editors, async (req, res) => {
    await renderHistory(req, res, codeOf(req));
  });

  /** @route POST /states/:code/history/:revisionId/restore — brings back the values from before a change */
  router.post('/states/:code/history/:revisionId/restore', editors, form, csrfProtection, async (req, res) => {
    const code = codeOf(req);
    const context = contextOf(req);
    await editing.getEditableState(context, code);
    const revisionId = parseInput(revisionIdParam, req.params.revisionId);
    try {
      const { version } = parseEditingInput(restoreInput, { version: postedFields(req).version });
      await editing.restoreRevision(context, code, revisionId, version);
      res.redirect(303, `/states/${code}/history?done=restored`);
    } catch (error) {
      await renderHistory(req, res, code, formFailure(req, error));
    }
  });

  return router;
}
