import { Router } from 'express';
import { ANONYMOUS } from '../shared/viewer';
import { parseInput } from '../shared/parse-input';
import {
  authorityIdParam,
  authorityListQuery,
  languageOnlyQuery,
  stateCodeParam,
  stateListQuery,
} from './directory.schema';
import { directoryStaleSince } from './directory-cache';
import * as directory from './directory.service';
import { openApiDocument } from './openapi';
import { toAuthorityJson, toStateDetailJson, toStateSummaryJson } from './directory.json';

/** Set while the database is unreachable: the answer comes from memory and may be out of date since then (ISO 8601). */
export const STALE_HEADER = 'X-Directory-Stale-Since';

/** JSON API v1: the same data and access rules as the pages. */
export function directoryApi(): Router {
  const router = Router();
  router.use((_req, res, next) => {
    // Decided when the answer is written, after the service has read the directory for it
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const staleSince = directoryStaleSince();
      if (staleSince) res.set(STALE_HEADER, staleSince.toISOString());
      return json(body);
    };
    next();
  });

  /** @route GET /api/v1/openapi.json */
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });

  /** @route GET /api/v1/states */
  router.get('/states', async (req, res) => {
    const query = parseInput(stateListQuery, req.query);
    const lang = query.lang ?? 'en';
    const states = await directory.listStates(query, lang);
    res.json({ data: states.map((state) => toStateSummaryJson(state)) });
  });

  /** @route GET /api/v1/states/:code */
  router.get('/states/:code', async (req, res) => {
    const code = parseInput(stateCodeParam, req.params.code);
    const { lang = 'en' } = parseInput(languageOnlyQuery, req.query);
    const state = await directory.getState(req.viewer ?? ANONYMOUS, code, lang);
    res.json({ data: toStateDetailJson(state) });
  });

  /** @route GET /api/v1/authorities */
  router.get('/authorities', async (req, res) => {
    const query = parseInput(authorityListQuery, req.query);
    const authorities = await directory.listAuthorities(req.viewer ?? ANONYMOUS, query);
    res.json({ data: authorities.map(toAuthorityJson) });
  });

  /** @route GET /api/v1/authorities/:id */
  router.get('/authorities/:id', async (req, res) => {
    const id = parseInput(authorityIdParam, req.params.id);
    parseInput(languageOnlyQuery, req.query);
    res.json({ data: toAuthorityJson(await directory.getAuthority(req.viewer ?? ANONYMOUS, id)) });
  });

  /** @route GET /api/v1/designations */
  router.get('/designations', async (req, res) => {
    parseInput(languageOnlyQuery, req.query);
    const types = await directory.listDesignationTypes();
    res.json({ data: types.map(({ code, instrument, article, role, titles, core }) => ({ code, instrument, article, role, titles, core })) });
  });

  /** @route GET /api/v1/resources */
  router.get('/resources', async (req, res) => {
    const { lang = 'en' } = parseInput(languageOnlyQuery, req.query);
    const resources = await directory.listResources(lang);
    res.json({ data: resources });
  });

  return router;
}
