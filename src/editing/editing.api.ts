import { Router, type Request, type RequestHandler } from 'express';
import { toAuthorityJson } from '../directory/directory.json';
import { authorityIdParam, stateCodeParam } from '../directory/directory.schema';
import { requireRole } from '../shared/auth';
import { csrfProtectionUnlessToken } from '../shared/csrf';
import { ValidationError } from '../shared/errors';
import { jsonBody } from '../shared/json-body';
import { parseInput } from '../shared/parse-input';
import { ANONYMOUS } from '../shared/viewer';
import * as editing from './editing.service';
import { toRevisionJson } from './editing.json';
import { accessInput, authorityInput, localizeFields, optionalSectionInput, parseEditingInput, revisionListQuery, versionFromIfMatch, versionInput, WRITE_BODY_LIMIT_KB } from './editing.schema';

/** Fields of an authority as the API answers them that a client may send back unchanged; they are not editable. */
const READ_ONLY = new Set(['id', 'state', 'updatedAt', 'sample', 'restricted', 'version']);

function contextOf(req: Request): editing.EditContext {
  return { viewer: req.viewer ?? ANONYMOUS, email: req.user?.email, ip: req.ip };
}

function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError({ _body: 'jsonObject' });
  return body as Record<string, unknown>;
}

/** The body without the fields a client may echo from a read (the State and version are returned apart). */
function editableFields(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !READ_ONLY.has(key)));
}

/** The version the client started from: `version` in the body or an If-Match header; both must agree when both are sent. */
function expectedVersion(req: Request, body: Record<string, unknown>): number {
  const header = req.get('If-Match');
  const fromHeader = versionFromIfMatch(header);
  if (header !== undefined && fromHeader === undefined) throw new ValidationError({ 'If-Match': 'ifMatch' });
  if (body.version !== undefined) {
    const fromBody = parseEditingInput(versionInput, body.version);
    if (fromHeader !== undefined && fromHeader !== fromBody) throw new ValidationError({ version: 'versionMismatch' });
    return fromBody;
  }
  if (fromHeader === undefined) throw new ValidationError({ version: 'versionRequired' });
  return fromHeader;
}

/** A State named in the body: absent, or the one the authority belongs to. */
function claimedState(body: Record<string, unknown>): string | undefined {
  if (body.state === undefined) return undefined;
  return typeof body.state === 'string' ? body.state.toUpperCase() : '?';
}

/** Validation messages are keys of the `editing` namespace; API callers read them in English. */
const inEnglish =
  (handler: RequestHandler): RequestHandler =>
  async (req, res, next) => {
    try {
      await handler(req, res, next);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(localizeFields(error.fields ?? {}, req.i18n.getFixedT('en')), error.message);
    }
  };

/** A version-checked write to a State: its code, the editor (allowed to edit it), the body and the version read. */
async function stateWrite(req: Request) {
  const code = parseInput(stateCodeParam, req.params.code);
  const context = contextOf(req);
  await editing.checkStateEditable(context, code);
  const body = bodyOf(req);
  return { code, context, body, version: expectedVersion(req, body) };
}

/** JSON API v1, writes: the same rules as the editing pages, for a session (with its CSRF token) or a personal API token. */
export function editingApi(): Router {
  const router = Router();
  const json = jsonBody({ limit: `${WRITE_BODY_LIMIT_KB}kb` });
  const editors = requireRole('focal-point', 'secretariat');
  const noStore: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  };
  /** Every write: never cached, editors only, a JSON body, and CSRF unless a personal token is used. */
  const writeGuards = [noStore, editors, json, csrfProtectionUnlessToken];

  /** @route POST /api/v1/states/:code/authorities — adds an authority to the State */
  router.post(
    '/states/:code/authorities',
    ...writeGuards,
    inEnglish(async (req, res) => {
      const code = parseInput(stateCodeParam, req.params.code);
      const context = contextOf(req);
      await editing.checkStateEditable(context, code);
      const body = bodyOf(req);
      const claimed = claimedState(body);
      if (claimed !== undefined && claimed !== code) throw new ValidationError({ state: 'stateFixed' });
      const created = await editing.createAuthority(context, code, parseEditingInput(authorityInput, editableFields(body)));
      res.status(201).location(`/api/v1/authorities/${created.id}`).set('ETag', `"${created.version}"`);
      res.json({ data: toAuthorityJson({ ...created, restricted: false }) });
    }),
  );

  /** @route PUT /api/v1/authorities/:id — replaces an authority's editable fields, at the version the client read */
  router.put(
    '/authorities/:id',
    ...writeGuards,
    inEnglish(async (req, res) => {
      const id = parseInput(authorityIdParam, req.params.id);
      const context = contextOf(req);
      await editing.checkAuthorityEditable(context, id);
      const body = bodyOf(req);
      const version = expectedVersion(req, body);
      const input = parseEditingInput(authorityInput, editableFields(body));
      const claimed = claimedState(body);
      const updated = await editing.updateAuthority(context, { id, ...(claimed !== undefined ? { claimedState: claimed } : {}) }, version, input);
      res.set('ETag', `"${updated.version}"`).json({ data: toAuthorityJson({ ...updated, restricted: false }) });
    }),
  );

  /** @route DELETE /api/v1/authorities/:id — removes an authority, at the version the client read (If-Match or body) */
  router.delete(
    '/authorities/:id',
    ...writeGuards,
    inEnglish(async (req, res) => {
      const id = parseInput(authorityIdParam, req.params.id);
      const context = contextOf(req);
      await editing.checkAuthorityEditable(context, id);
      await editing.removeAuthority(context, { id }, expectedVersion(req, bodyOf(req)));
      res.status(204).end();
    }),
  );

  /** @route PUT /api/v1/states/:code/optional — replaces the optional section, at the State's version */
  router.put(
    '/states/:code/optional',
    ...writeGuards,
    inEnglish(async (req, res) => {
      const { code, context, body, version } = await stateWrite(req);
      const state = await editing.updateOptionalSection(context, code, version, parseEditingInput(optionalSectionInput, editableFields(body)));
      res.set('ETag', `"${state.version}"`).json({ data: { code: state.code, version: state.version, optional: state.optional } });
    }),
  );

  /** @route PUT /api/v1/states/:code/access — public or restricted, at the State's version */
  router.put(
    '/states/:code/access',
    ...writeGuards,
    inEnglish(async (req, res) => {
      const { code, context, body, version } = await stateWrite(req);
      const { access } = parseEditingInput(accessInput, editableFields(body));
      const state = await editing.setAccess(context, code, version, access);
      res.set('ETag', `"${state.version}"`).json({ data: { code: state.code, access: state.access, version: state.version } });
    }),
  );

  /** @route POST /api/v1/states/:code/confirm — the State's entries are still accurate */
  router.post(
    '/states/:code/confirm',
    ...writeGuards,
    inEnglish(async (req, res) => {
      const code = parseInput(stateCodeParam, req.params.code);
      const state = await editing.confirmStillAccurate(contextOf(req), code);
      res.json({ data: { code: state.code, lastUpdated: state.lastUpdatedAt?.toISOString() ?? null, lastConfirmed: state.lastConfirmedAt?.toISOString() ?? null } });
    }),
  );

  /** @route GET /api/v1/states/:code/revisions — the State's changes, newest first */
  router.get(
    '/states/:code/revisions',
    noStore,
    editors,
    inEnglish(async (req, res) => {
      const code = parseInput(stateCodeParam, req.params.code);
      const context = contextOf(req);
      await editing.checkStateEditable(context, code);
      const { limit } = parseEditingInput(revisionListQuery, req.query);
      const revisions = await editing.listRevisions(context, code, limit);
      res.json({ data: revisions.map(toRevisionJson) });
    }),
  );

  return router;
}
