import { Router, type Request, type RequestHandler } from 'express';
import { MethodNotAllowedError } from '../shared/errors';
import { ANONYMOUS } from '../shared/viewer';
import { parseInput } from '../shared/parse-input';
import { DEFAULT_LIMIT, paginate, type Page, type PageAnswer } from '../shared/pagination';
import {
  authorityIdParam,
  authorityListQuery,
  languageOnlyQuery,
  stateCodeParam,
  stateDetailQuery,
  stateListQuery,
} from './directory.schema';
import { catalogueNeeds, NEED_CODES } from '../finder/finder.needs';
import { directoryStaleSince } from './directory-cache';
import * as directory from './directory.service';
import { openApiDocument, openApiDocumentFor } from './openapi';
import { toAuthorityJson, toDesignationTypeJson, toInstrumentJson, toSearchResultJson, toStateDetailJson, toStateSummaryJson } from './directory.json';
import { matchReason } from './directory.presenter';

/** Each documented path of the API as a pattern, with the methods it supports (HEAD with GET, and OPTIONS). */
const API_PATHS = Object.entries(openApiDocument.paths).map(([template, item]) => {
  const segments = template.split('/').map((segment) => (/^\{.+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  const methods = Object.keys(item).map((method) => method.toUpperCase());
  return { pattern: new RegExp(`^${segments.join('/')}/?$`, 'i'), allow: [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'] };
});

/**
 * OPTIONS and unsupported methods on the API's paths, answered from its description: the reads
 * and writes of one path live in two routers (directory and editing), so Express's own answer
 * to OPTIONS would list only the first router's methods, and a TRACE would fall through to 404.
 */
const apiMethods: RequestHandler = (req, res, next) => {
  const path = API_PATHS.find((candidate) => candidate.pattern.test(req.path));
  if (!path) return next();
  if (req.method === 'OPTIONS') {
    res.set('Allow', path.allow.join(', ')).status(204).end();
    return;
  }
  if (!path.allow.includes(req.method)) throw new MethodNotAllowedError(path.allow);
  next();
};
/**
 * A page of a list as the API answers it: the items, the counts, and links to the other pages
 * (root-relative, keeping every other query parameter the caller sent).
 */
function pageAnswer<T>(req: Request, page: Page<T>): PageAnswer<T> {
  const link = (number: number): string => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(req.query)) if (key !== 'page' && key !== 'limit' && typeof value === 'string' && value !== '') params.set(key, value);
    params.set('limit', String(page.limit));
    params.set('page', String(number));
    return `${req.baseUrl}${req.path}?${params.toString()}`;
  };
  const last = Math.max(page.pages, 1);
  return {
    data: page.items,
    meta: { total: page.total, page: page.page, limit: page.limit, pages: page.pages },
    links: {
      self: link(page.page),
      first: link(1),
      last: link(last),
      ...(page.page < page.pages ? { next: link(page.page + 1) } : {}),
      ...(page.page > 1 ? { prev: link(Math.min(page.page - 1, last)) } : {}),
    },
  };
}

/** The OpenAPI document with the catalogue's codes as they are now (openApiDocumentFor). */
export async function servedOpenApiDocument(): Promise<ReturnType<typeof openApiDocumentFor>> {
  const [designations, instruments, current] = await Promise.all([directory.listDesignationTypes(), directory.listInstruments(), directory.listCurrentDesignationTypes()]);
  return openApiDocumentFor({
    designations: designations.map((type) => type.code),
    instruments: instruments.map((instrument) => instrument.code),
    needs: [...NEED_CODES, ...catalogueNeeds(current).map((need) => need.code)],
  });
}

/** Set while the database is unreachable: the answer comes from memory and may be out of date since then (ISO 8601). */
export const STALE_HEADER = 'X-Directory-Stale-Since';

/** JSON API v1: the same data and access rules as the pages. */
export function directoryApi(): Router {
  const router = Router();
  router.use(apiMethods);
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
  router.get('/openapi.json', async (_req, res) => {
    res.json(await servedOpenApiDocument());
  });

  /** @route GET /api/v1/states */
  router.get('/states', async (req, res) => {
    const query = parseInput(stateListQuery, req.query);
    const lang = query.lang ?? 'en';
    const states = await directory.listStates(query, lang);
    const page = paginate(states, { page: query.page ?? 1, limit: query.limit ?? DEFAULT_LIMIT });
    res.json(pageAnswer(req, { ...page, items: page.items.map((state) => toStateSummaryJson(state)) }));
  });

  /** @route GET /api/v1/states/:code */
  router.get('/states/:code', async (req, res) => {
    const code = parseInput(stateCodeParam, req.params.code);
    const query = parseInput(stateDetailQuery, req.query);
    const state = await directory.getState(req.viewer ?? ANONYMOUS, code, query.lang ?? 'en');
    // A State with hundreds of authorities would otherwise answer hundreds of kilobytes at once
    const page = paginate(state.authorities, { page: query.page ?? 1, limit: query.limit ?? DEFAULT_LIMIT });
    const { links } = pageAnswer(req, page);
    const related = [links.next && `<${links.next}>; rel="next"`, links.prev && `<${links.prev}>; rel="prev"`].filter(Boolean);
    if (related.length) res.set('Link', related.join(', '));
    res.json({ data: toStateDetailJson({ ...state, authorities: page.items }) });
  });

  /** @route GET /api/v1/authorities */
  router.get('/authorities', async (req, res) => {
    const query = parseInput(authorityListQuery, req.query);
    const authorities = await directory.listAuthorities(req.viewer ?? ANONYMOUS, query);
    const page = paginate(authorities, { page: query.page ?? 1, limit: query.limit ?? DEFAULT_LIMIT });
    res.json(pageAnswer(req, { ...page, items: page.items.map(toAuthorityJson) }));
  });

  /** @route GET /api/v1/search — States and authorities in one ranked list, as the search page gives them, each with why it matched */
  router.get('/search', async (req, res) => {
    const query = parseInput(authorityListQuery, req.query);
    const lang = query.lang ?? 'en';
    const t = req.i18n.getFixedT(lang);
    const found = await directory.search(req.viewer ?? ANONYMOUS, query, lang);
    const page = found.page({ page: query.page ?? 1, limit: query.limit ?? DEFAULT_LIMIT });
    const items = page.items.map((result) => {
      const reason = matchReason(result);
      return toSearchResultJson(result, reason && t(reason.key, { value: reason.value }));
    });
    res.json(pageAnswer(req, { ...page, items }));
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
    const types = await directory.listDesignationTypesAsOffered();
    res.json({ data: types.map(toDesignationTypeJson) });
  });

  /** @route GET /api/v1/instruments */
  router.get('/instruments', async (req, res) => {
    parseInput(languageOnlyQuery, req.query);
    res.json({ data: (await directory.listInstruments()).map(toInstrumentJson) });
  });

  /** @route GET /api/v1/resources */
  router.get('/resources', async (req, res) => {
    const { lang = 'en' } = parseInput(languageOnlyQuery, req.query);
    const resources = await directory.listResources(lang);
    res.json({ data: resources });
  });

  return router;
}
