import { Router, type Request } from 'express';
import { canEditState } from '../editing/editing.policy';
import { needGroupsFor, needLabeller } from '../finder/finder.needs';
import { isFollowing } from '../following/following.service';
import { ValidationError } from '../shared/errors';
import { lastActivityOf } from '../shared/freshness';
import { paginate } from '../shared/pagination';
import { parseInput } from '../shared/parse-input';
import { requestLanguage } from '../shared/view-locals';
import { ANONYMOUS } from '../shared/viewer';
import { apiReference, typeHtml } from './api-reference';
import { servedOpenApiDocument } from './directory.api';
import { authorityIdParam, homeQuery, searchPageNumber, searchPageQuery, stateCodeParam } from './directory.schema';
import * as directory from './directory.service';
import { collatorFor } from './directory.service';
import {
  designationAnchor,
  designationTitle,
  formatPhone,
  localTimeAt,
  matchReason,
  pageLinks,
  REGION_ORDER,
  renderStateText,
  requirementsChecklist,
  requirementTopicOf,
  weekdayNames,
} from './directory.presenter';
import { CHANNELS, REGIONAL_GROUPS } from './directory.types';

/** Helpers the directory's views share: designation titles in the reader's language, phones, local time. */
async function pageLocals(req: Request) {
  const lang = requestLanguage(req);
  const [designations, currentDesignations] = await Promise.all([directory.listDesignationTypes(), directory.listCurrentDesignationTypes()]);
  return {
    designations,
    currentDesignations,
    designationTitle: (code: string) => designationTitle(designations, code, lang),
    designationAnchor,
    requirementTopicOf,
    requirementsChecklist: (facts: Parameters<typeof requirementsChecklist>[0]) => requirementsChecklist(facts, req.t, lang),
    formatPhone,
    renderStateText,
    localTimeAt: (hours: Parameters<typeof localTimeAt>[0]) => localTimeAt(hours, lang),
    weekdayNames: (days: number[]) => weekdayNames(days, lang),
    sampleData: await directory.hasSampleData(),
  };
}

/**
 * Authority cards on one page of a State page: a State with many authorities is read page by page,
 * each page grouped by designation. A full card (contact persons, 24/7 line, hours) is up to 6 KB,
 * and 25 of them made a 168 KB page in the load benchmark at 20,000 authorities: 12 keep a page
 * under the 100 KB a public answer may weigh.
 */
export const STATE_PAGE_SIZE = 12;

/**
 * The slice of a State's authorities that `?page=` asks for (a page past the last shows the last),
 * in the State's order (by first designation), so each designation's authorities follow each other.
 */
function authorityPageOf(req: Request, state: directory.StateDetail) {
  const pages = Math.max(1, Math.ceil(state.authorities.length / STATE_PAGE_SIZE));
  const page = Math.min(searchPageNumber.parse(req.query.page), pages);
  const { items } = paginate(state.authorities, { page, limit: STATE_PAGE_SIZE });
  const from = (page - 1) * STATE_PAGE_SIZE + 1;
  return { items, page, pages, from, to: from + items.length - 1, links: pageLinks(`/states/${state.code}`, req.query, page, pages) };
}

/** The public pages: everything a practitioner sees without signing in. */
export function directoryPages(): Router {
  const router = Router();
  const viewerOf = (req: Request) => req.viewer ?? ANONYMOUS;

  /** @route GET / — search box and every State, alphabetically or by regional group */
  router.get('/', async (req, res) => {
    const { view = 'alphabetical' } = parseInput(homeQuery, req.query);
    const lang = requestLanguage(req);
    const states = await directory.listStates({}, lang);
    const byRegion = REGION_ORDER.map((region) => ({ region, states: states.filter((state) => state.region === region) })).filter(
      (group) => group.states.length > 0,
    );
    const locals = await pageLocals(req);
    const needGroups = needGroupsFor(locals.currentDesignations);
    res.render('directory/home', { ...locals, view, states, byRegion, needGroups, needLabel: needLabeller((key) => req.t(key), locals.designations, lang), lastActivityOf });
  });

  /** @route GET /search — States and authorities in one ranked list, each saying why it matched, with filters */
  router.get('/search', async (req, res) => {
    const lang = requestLanguage(req);
    const languageName = (code: string) => new Intl.DisplayNames([lang], { type: 'language', fallback: 'code' }).of(code) ?? code;
    const form = {
      ...(await pageLocals(req)),
      instruments: await directory.listCurrentInstruments(),
      regions: REGIONAL_GROUPS.filter((region) => region !== 'NONE'),
      channels: CHANNELS,
      languageOptions: (await directory.languagesAccepted(viewerOf(req)))
        .map((code) => ({ value: code, label: languageName(code) }))
        .sort((a, b) => collatorFor(lang).compare(a.label, b.label)),
      statesByCode: new Map((await directory.listStates({}, lang)).map((state) => [state.code, state])),
    };
    try {
      const filters = parseInput(searchPageQuery, req.query);
      const { lang: interfaceLanguage, ...criteria } = filters;
      void interfaceLanguage;
      const searched = Object.values(criteria).some((value) => value !== undefined);
      const results = searched ? await directory.searchPage(viewerOf(req), filters, lang, searchPageNumber.parse(req.query.page)) : undefined;
      const links = results ? pageLinks('/search', req.query, results.page, results.pages) : [];
      res.render('directory/search', { ...form, filters, searched, results, pageLinks: links, matchReason, errors: {} });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // The form comes back with what was typed and each problem next to its field.
      const typed = Object.fromEntries(Object.entries(req.query).filter(([, value]) => typeof value === 'string'));
      res.status(400).render('directory/search', { ...form, filters: typed, searched: false, results: undefined, pageLinks: [], errors: error.fields ?? {} });
    }
  });

  /** @route GET /states/:code — one State: authorities by designation, optional section, stamps */
  router.get('/states/:code', async (req, res) => {
    const code = parseInput(stateCodeParam, req.params.code);
    if (code !== req.params.code) return res.redirect(301, `/states/${code}`);
    const lang = requestLanguage(req);
    const state = await directory.getState(viewerOf(req), code, lang);
    const partyNames = await directory.treatyPartyNames(state, lang);
    // Signed-in readers (any role) may follow the State; anonymous pages stay the same for everyone
    const follow = req.user ? { following: await isFollowing(req.user, state.code) } : undefined;
    res.render('directory/state', { ...(await pageLocals(req)), state, partyNames, authorityPage: authorityPageOf(req, state), canEdit: canEditState(viewerOf(req), state.code), follow });
  });

  /** @route GET /authorities/:id — one authority at a stable address */
  router.get('/authorities/:id', async (req, res) => {
    const id = parseInput(authorityIdParam, req.params.id);
    const lang = requestLanguage(req);
    const authority = await directory.getAuthority(viewerOf(req), id);
    const state = await directory.getState(ANONYMOUS, authority.state, lang);
    res.render('directory/authority', { ...(await pageLocals(req)), authority, stateName: state.name, stateCode: state.code });
  });

  /** @route GET /resources — tools, model treaties and laws, manuals (decision 3/2 (g)(iv)) */
  router.get('/resources', async (req, res) => {
    const resources = await directory.listResources(requestLanguage(req));
    res.render('directory/resources', { ...(await pageLocals(req)), resources });
  });

  /** @route GET /api — the API reference, made from the very OpenAPI document the API is checked against */
  router.get('/api', async (req, res) => {
    const document = await servedOpenApiDocument();
    res.render('directory/api-reference', { ...(await pageLocals(req)), reference: apiReference(document), typeHtml });
  });

  /** @route GET /api/v1 — the API's root leads people to its reference */
  router.get('/api/v1', (_req, res) => {
    res.redirect(301, '/api');
  });

  return router;
}
