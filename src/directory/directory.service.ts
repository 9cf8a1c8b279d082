import { NotFoundError, ValidationError } from '../shared/errors';
import { isStale } from '../shared/freshness';
import { paginate, type Page } from '../shared/pagination';
import type { Viewer } from '../shared/viewer';
import { canSeeDetails } from './access.policy';
import { currentDirectory, invalidateDirectory, type DirectorySnapshot } from './directory-cache';
import { bumpVersion, type DirectoryChange } from './directory.repository';
import type {
  Authority,
  Channel,
  DesignationType,
  Instrument,
  InstrumentRecord,
  OptionalSection,
  PartyRecord,
  RegionalGroup,
  Resource,
  SecondaryContact,
  State,
  UnLanguage,
} from './directory.types';
import { UN_LANGUAGES } from './directory.types';
import { emailsOf, searchIndex, searchIndexes, stateNamesOf, textsMatching, type MatchedField, type SearchHit } from './search-index';

export interface StateSummary {
  code: string;
  kind: State['kind'];
  name: string;
  names: State['names'];
  region: RegionalGroup;
  access: State['access'];
  lastUpdatedAt?: Date;
  lastConfirmedAt?: Date;
  /** Neither updated nor confirmed within STALE_AFTER_MONTHS, or never (shared/freshness). */
  stale: boolean;
  /** Designation codes held by at least one of the State's authorities, in catalogue order. */
  designations: string[];
  authorityCount: number;
  countsByDesignation: Record<string, number>;
  /** Core designations (decision 3/2 (g)(i)-(ii)) no authority of the State holds. */
  missingCore: string[];
  sample: boolean;
}

/** What everyone may know of a restricted State's authority: that it exists and what it is designated for. */
export interface AuthorityStub {
  id: string;
  state: string;
  designations: string[];
  restricted: true;
}

export type AuthorityView = Authority & { restricted: false };

export interface StateDetail extends StateSummary {
  aliases: string[];
  parties: PartyRecord[];
  detailsVisible: boolean;
  /** Present only when the viewer may see the State's details. */
  optional?: OptionalSection;
  authorities: Array<AuthorityView | AuthorityStub>;
  /** The version of the State's own fields, which an editor sends back to change them. */
  version: number;
}

export interface StateFilters {
  q?: string;
  designation?: string;
  instrument?: Instrument;
  region?: RegionalGroup;
}

export interface AuthorityFilters {
  q?: string;
  state?: string;
  designation?: string;
  instrument?: Instrument;
  region?: RegionalGroup;
  language?: string;
  channel?: Channel;
}

function summarize(directory: DirectorySnapshot, state: State, lang: UnLanguage, now: Date): StateSummary {
  const authorities = directory.authoritiesByState.get(state.code) ?? [];
  const countsByDesignation: Record<string, number> = {};
  for (const authority of authorities) {
    for (const code of authority.designations) countsByDesignation[code] = (countsByDesignation[code] ?? 0) + 1;
  }
  const designations = directory.designations.map((type) => type.code).filter((code) => countsByDesignation[code]);
  return {
    code: state.code,
    kind: state.kind,
    name: state.names[lang],
    names: state.names,
    region: state.region,
    access: state.access,
    lastUpdatedAt: state.lastUpdatedAt,
    lastConfirmedAt: state.lastConfirmedAt,
    stale: isStale(state, now),
    designations,
    authorityCount: authorities.length,
    countsByDesignation,
    missingCore: directory.designations.filter((type) => type.core && isCurrentDesignationType(type, directory.instruments) && !countsByDesignation[type.code]).map((type) => type.code),
    sample: state.sample || authorities.some((authority) => authority.sample),
  };
}

function instrumentCodes(directory: DirectorySnapshot, instrument: Instrument): Set<string> {
  return new Set(directory.designations.filter((type) => type.instrument === instrument).map((type) => type.code));
}

const collators = new Map<string, Intl.Collator>();
/** Sorts names as readers of that language expect (Cyrillic, accents, Arabic, pinyin order for Chinese). */
export function collatorFor(lang: string): Intl.Collator {
  let collator = collators.get(lang);
  if (!collator) {
    collator = new Intl.Collator(lang, { sensitivity: 'base', numeric: true });
    collators.set(lang, collator);
  }
  return collator;
}

/** A filter naming a designation the catalogue does not have is a mistake worth saying, not an empty result. */
function assertKnownDesignation(directory: DirectorySnapshot, code: string | undefined): void {
  if (code && !directory.designations.some((type) => type.code === code)) {
    throw new ValidationError({ designation: `unknown designation code ${code}; see /api/v1/designations` });
  }
}

/** Likewise an instrument the catalogue does not have. */
function assertKnownInstrument(directory: DirectorySnapshot, code: string | undefined): void {
  if (code && !directory.instruments.some((candidate) => candidate.code === code)) {
    throw new ValidationError({ instrument: `unknown instrument code ${code}; see /api/v1/instruments` });
  }
}

/** Whether designations held (by a State or an authority) satisfy the designation and instrument filters. */
function holdsFilteredDesignations(directory: DirectorySnapshot, held: string[], filters: Pick<StateFilters, 'designation' | 'instrument'>): boolean {
  if (filters.designation && !held.includes(filters.designation)) return false;
  if (filters.instrument) {
    const codes = instrumentCodes(directory, filters.instrument);
    if (!held.some((code) => codes.has(code))) return false;
  }
  return true;
}

function matchesStateFilters(directory: DirectorySnapshot, summary: StateSummary, filters: StateFilters): boolean {
  if (filters.region && summary.region !== filters.region) return false;
  return holdsFilteredDesignations(directory, summary.designations, filters);
}

/** States with their at-a-glance summary, filtered, sorted by name in the reader's language (or by relevance for a query). */
export async function listStates(filters: StateFilters, lang: UnLanguage, now = new Date()): Promise<StateSummary[]> {
  const directory = await currentDirectory();
  assertKnownDesignation(directory, filters.designation);
  assertKnownInstrument(directory, filters.instrument);
  let states = directory.states;
  if (filters.q) {
    const codes = searchIndex(directory.search.states, filters.q, (hit) => hit.kind === 'state').map((hit) => hit.ref);
    states = codes.map((code) => directory.stateByCode.get(code)).filter((state): state is State => Boolean(state));
  }
  const summaries = states.map((state) => summarize(directory, state, lang, now)).filter((summary) => matchesStateFilters(directory, summary, filters));
  if (!filters.q) summaries.sort((a, b) => collatorFor(lang).compare(a.name, b.name));
  return summaries;
}

function toStub(authority: Authority): AuthorityStub {
  return { id: authority.id, state: authority.state, designations: authority.designations, restricted: true };
}

/** The names, in the reader's language, of the other parties to a State's recorded treaties (treaties hold them as codes). */
export async function treatyPartyNames(state: Pick<StateDetail, 'optional'>, lang: UnLanguage): Promise<Record<string, string>> {
  const codes = new Set(state.optional?.treaties.flatMap((treaty) => treaty.otherParties) ?? []);
  if (codes.size === 0) return {};
  return Object.fromEntries((await listStates({}, lang)).filter((other) => codes.has(other.code)).map((other) => [other.code, other.name]));
}

/** One State's at-a-glance summary (its name in the reader's language, its designations), as listStates gives it. */
export async function getStateSummary(code: string, lang: UnLanguage, now = new Date()): Promise<StateSummary> {
  const directory = await currentDirectory();
  const state = directory.stateByCode.get(code.toUpperCase());
  if (!state) throw new NotFoundError(`No State or participant with code ${code}`);
  return summarize(directory, state, lang, now);
}

/** One State with its authorities; contact details only when the viewer may see them. */
export async function getState(viewer: Viewer, code: string, lang: UnLanguage, now = new Date()): Promise<StateDetail> {
  const directory = await currentDirectory();
  const state = directory.stateByCode.get(code.toUpperCase());
  if (!state) throw new NotFoundError(`No State or participant with code ${code}`);
  const visible = canSeeDetails(viewer, state);
  const order = new Map(directory.designations.map((type, index) => [type.code, index]));
  const firstDesignation = (authority: Authority) => Math.min(...authority.designations.map((code) => order.get(code) ?? 999));
  // Stubs are ordered by what they show (designations, then id): an order by name would tell hidden names apart.
  const byId = (a: Authority, b: Authority) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const authorities = [...(directory.authoritiesByState.get(state.code) ?? [])].sort(
    (a, b) => firstDesignation(a) - firstDesignation(b) || (visible ? collatorFor('en').compare(a.name.en, b.name.en) : 0) || byId(a, b),
  );
  return {
    ...summarize(directory, state, lang, now),
    aliases: state.aliases,
    parties: state.parties,
    detailsVisible: visible,
    optional: visible ? state.optional : undefined,
    authorities: authorities.map((authority) => (visible ? { ...authority, restricted: false as const } : toStub(authority))),
    version: state.version,
  };
}

/** The authorities' index of the viewer's access class, so that ranking uses statistics of visible names only. */
function authorityIndexFor(directory: DirectorySnapshot, viewer: Viewer) {
  const restrictedVisible = directory.states.filter((state) => state.access !== 'public' && canSeeDetails(viewer, state)).map((state) => state.code);
  return directory.search.authoritiesVisibleWith(restrictedVisible);
}

function matchesAuthorityFilters(directory: DirectorySnapshot, authority: Authority, filters: AuthorityFilters): boolean {
  if (filters.state && authority.state !== filters.state) return false;
  if (!holdsFilteredDesignations(directory, authority.designations, filters)) return false;
  if (filters.region && directory.stateByCode.get(authority.state)?.region !== filters.region) return false;
  if (filters.language && !authority.languages.includes(filters.language)) return false;
  if (filters.channel && !authority.channels.includes(filters.channel)) return false;
  return true;
}

/**
 * Authorities the viewer may see in full, filtered. Those of restricted States are left out for
 * viewers without access: their names and contacts are part of the restricted details.
 */
export async function listAuthorities(viewer: Viewer, filters: AuthorityFilters): Promise<AuthorityView[]> {
  const directory = await currentDirectory();
  assertKnownDesignation(directory, filters.designation);
  assertKnownInstrument(directory, filters.instrument);
  let candidates = directory.authorities;
  if (filters.q) {
    const visibleAuthority = (hit: { kind: string; state: string }) => {
      const state = directory.stateByCode.get(hit.state);
      return hit.kind === 'authority' && state !== undefined && canSeeDetails(viewer, state);
    };
    candidates = searchIndex(await authorityIndexFor(directory, viewer), filters.q, visibleAuthority)
      .map((hit) => directory.authorityById.get(hit.ref))
      .filter((authority): authority is Authority => Boolean(authority));
  }
  const visible = candidates.filter((authority) => {
    const state = directory.stateByCode.get(authority.state);
    return state !== undefined && canSeeDetails(viewer, state) && matchesAuthorityFilters(directory, authority, filters);
  });
  if (!filters.q) {
    const collator = collatorFor('en');
    visible.sort((a, b) => collator.compare(a.state, b.state) || collator.compare(a.name.en, b.name.en));
  }
  return visible.map((authority) => ({ ...authority, restricted: false as const }));
}

/** One authority at its stable address; a stub when its State restricts details from this viewer. */
export async function getAuthority(viewer: Viewer, id: string): Promise<AuthorityView | AuthorityStub> {
  const directory = await currentDirectory();
  const authority = directory.authorityById.get(id);
  const state = authority && directory.stateByCode.get(authority.state);
  if (!authority || !state) throw new NotFoundError(`No authority with id ${id}`);
  return canSeeDetails(viewer, state) ? { ...authority, restricted: false } : toStub(authority);
}

/** What a result was found by, as the search page and the API say it: which name, alias, contact person, e-mail address or city. */
export const MATCH_REASON_FIELDS = ['name', 'code', 'alias', 'contact-person', 'e-mail', 'city', 'state'] as const;
export interface MatchReason {
  field: (typeof MATCH_REASON_FIELDS)[number];
  /** The text that matched (a State's name in another language, the alias, the person's name, the address, the city). */
  value: string;
}

/** One result of the search: a State or an authority, in one list ranked by how well each matches. */
export type SearchResult =
  | { type: 'state'; state: StateSummary; matched?: MatchReason }
  | { type: 'authority'; authority: AuthorityView; matched?: MatchReason };

const REASON_OF_FIELD: Record<MatchedField, MatchReason['field']> = {
  names: 'name',
  codes: 'code',
  aliases: 'alias',
  people: 'contact-person',
  emails: 'e-mail',
  cities: 'city',
  stateNames: 'state',
};

/** The texts of the field a State or an authority was found by: the candidates for the value of its match reason. */
function textsOfField(directory: DirectorySnapshot, hit: SearchHit): string[] {
  const state = directory.stateByCode.get(hit.state);
  const stateNames = state ? UN_LANGUAGES.map((lang) => state.names[lang]) : [];
  if (hit.kind === 'state') {
    if (!state) return [];
    if (hit.matched.field === 'aliases') return stateNamesOf(state).aliases;
    return hit.matched.field === 'codes' ? [state.code, state.iso2 ?? ''] : stateNames;
  }
  const authority = directory.authorityById.get(hit.ref);
  if (!authority) return [];
  const texts: Record<MatchedField, string[]> = {
    names: [authority.name.original, authority.name.en],
    codes: [],
    aliases: [],
    people: authority.contactPersons.map((person) => person.name),
    emails: emailsOf(authority),
    cities: [authority.address.city],
    stateNames,
  };
  return texts[hit.matched.field];
}

function reasonOf(directory: DirectorySnapshot, hit: SearchHit): MatchReason {
  const texts = textsOfField(directory, hit);
  const value = textsMatching(texts, hit.matched.field, hit.matched.terms)[0] ?? texts[0] ?? '';
  return { field: REASON_OF_FIELD[hit.matched.field], value };
}

/**
 * A search's results in ranked order. A result is made whole (its State's summary, why it matched)
 * only when a page is read: a page shows 25 of what may be thousands.
 */
export interface SearchResults {
  /** Every State and authority found, on every page. */
  total: number;
  stateTotal: number;
  page(at: { page: number; limit: number }): Page<SearchResult>;
}

/**
 * The search page and the API's search: States by any of their names, and authorities the viewer
 * may see in full by their names, contact persons, e-mail addresses and cities, under the same
 * filters, in one list. With words, best matches first whatever their type; with filters alone,
 * the States by name, then the authorities.
 */
export async function search(viewer: Viewer, filters: AuthorityFilters, lang: UnLanguage): Promise<SearchResults> {
  const authorityOnlyFilter = Boolean(filters.language || filters.channel || filters.state);
  if (!filters.q) {
    const [states, authorities] = await Promise.all([authorityOnlyFilter ? Promise.resolve([]) : listStates(filters, lang), listAuthorities(viewer, filters)]);
    const found: SearchResult[] = [...states.map((state) => ({ type: 'state' as const, state })), ...authorities.map((authority) => ({ type: 'authority' as const, authority }))];
    return { total: found.length, stateTotal: states.length, page: (at) => paginate(found, at) };
  }
  const directory = await currentDirectory();
  assertKnownDesignation(directory, filters.designation);
  const now = new Date();
  const summaries = new Map<string, StateSummary>();
  const summaryOf = (state: State) => summaries.get(state.code) ?? summaries.set(state.code, summarize(directory, state, lang, now)).get(state.code)!;
  const acceptState = (hit: Pick<SearchHit, 'kind' | 'ref'>) => {
    const state = directory.stateByCode.get(hit.ref);
    return !authorityOnlyFilter && hit.kind === 'state' && state !== undefined && matchesStateFilters(directory, summaryOf(state), filters);
  };
  const acceptAuthority = (hit: Pick<SearchHit, 'kind' | 'ref' | 'state'>) => {
    const state = directory.stateByCode.get(hit.state);
    const authority = directory.authorityById.get(hit.ref);
    return hit.kind === 'authority' && state !== undefined && authority !== undefined && canSeeDetails(viewer, state) && matchesAuthorityFilters(directory, authority, filters);
  };
  // Every hit was accepted, so its State or authority is in this copy of the directory
  const hits = searchIndexes(
    [
      { index: directory.search.states, accept: acceptState },
      { index: await authorityIndexFor(directory, viewer), accept: acceptAuthority },
    ],
    filters.q,
  );
  const resultOf = (hit: SearchHit): SearchResult => {
    const matched = reasonOf(directory, hit);
    if (hit.kind === 'state') return { type: 'state', state: summaryOf(directory.stateByCode.get(hit.ref)!), matched };
    return { type: 'authority', authority: { ...directory.authorityById.get(hit.ref)!, restricted: false }, matched };
  };
  const stateTotal = hits.filter((hit) => hit.kind === 'state').length;
  return {
    total: hits.length,
    stateTotal,
    page: (at) => {
      const page = paginate(hits, at);
      return { ...page, items: page.items.map(resultOf) };
    },
  };
}

/** Results shown on one page of the search page, States and authorities together. */
export const SEARCH_PAGE_SIZE = 25;

/** One page of the search's results, in their ranked order, so the best matches of either type are on the first page. */
export interface SearchResultsPage {
  results: SearchResult[];
  /** Every State and authority found, on every page. */
  total: number;
  stateTotal: number;
  authorityTotal: number;
  /** The page shown (a page past the last one shows the last), counted from 1. */
  page: number;
  pages: number;
  limit: number;
}

/** The search page's `page`-th page of results, 25 at most (a page past the last shows the last). */
export async function searchPage(viewer: Viewer, filters: AuthorityFilters, lang: UnLanguage, requestedPage: number): Promise<SearchResultsPage> {
  const limit = SEARCH_PAGE_SIZE;
  const found = await search(viewer, filters, lang);
  const pages = Math.max(1, Math.ceil(found.total / limit));
  const at = { page: Math.min(requestedPage, pages), limit };
  return {
    results: found.page(at).items,
    total: found.total,
    stateTotal: found.stateTotal,
    authorityTotal: found.total - found.stateTotal,
    page: at.page,
    pages,
    limit,
  };
}

/** The designation catalogue in list order, retired types included: records and history still name them. */
export async function listDesignationTypes(): Promise<DesignationType[]> {
  return (await currentDirectory()).designations;
}

/** Whether forms and filters offer a designation type: neither it nor its instrument is retired. */
export function isCurrentDesignationType(type: DesignationType, instruments: InstrumentRecord[]): boolean {
  return !type.retired && !instruments.find((candidate) => candidate.code === type.instrument)?.retired;
}

/** The whole catalogue, each type marked retired when it or its instrument is: what an edit form lists (a retired type only where it is held). */
export async function listDesignationTypesAsOffered(): Promise<DesignationType[]> {
  const directory = await currentDirectory();
  return directory.designations.map((type) => (isCurrentDesignationType(type, directory.instruments) ? type : { ...type, retired: true }));
}

/** The designation types forms and filters offer, in list order. */
export async function listCurrentDesignationTypes(): Promise<DesignationType[]> {
  const directory = await currentDirectory();
  return directory.designations.filter((type) => isCurrentDesignationType(type, directory.instruments));
}

/** The instrument catalogue in list order, retired instruments included. */
export async function listInstruments(): Promise<InstrumentRecord[]> {
  return (await currentDirectory()).instruments;
}

/** The instruments forms and filters offer, in list order. */
export async function listCurrentInstruments(): Promise<InstrumentRecord[]> {
  return (await currentDirectory()).instruments.filter((candidate) => !candidate.retired);
}

export async function listResources(lang: UnLanguage): Promise<Resource[]> {
  const resources = [...(await currentDirectory()).resources];
  const collator = collatorFor(lang);
  return resources.sort((a, b) => a.category.localeCompare(b.category) || collator.compare(a.title, b.title));
}

/** Whether the directory currently holds any sample (fictitious) data, so pages can say so. */
export async function hasSampleData(): Promise<boolean> {
  const directory = await currentDirectory();
  return directory.authorities.some((authority) => authority.sample) || directory.states.some((state) => state.sample);
}

/** Languages in which at least one authority the viewer may see in full accepts requests, for the search filter. */
export async function languagesAccepted(viewer: Viewer): Promise<string[]> {
  const directory = await currentDirectory();
  const visible = directory.authorities.filter((authority) => {
    const state = directory.stateByCode.get(authority.state);
    return state !== undefined && canSeeDetails(viewer, state);
  });
  return [...new Set(visible.flatMap((authority) => authority.languages))].sort();
}

/** A State's secondary contacts (e.g. its permanent mission), for reminders that go unanswered; not part of any reader's view. */
export async function secondaryContactsOf(code: string): Promise<SecondaryContact[]> {
  const directory = await currentDirectory();
  return directory.stateByCode.get(code.toUpperCase())?.secondaryContacts ?? [];
}

/** The directory's data as stored (States with party records, who holds which designation, the catalogue), for the secretariat's figures. */
export async function listDirectoryRecords(): Promise<{
  states: State[];
  holdings: Array<{ state: string; designations: string[] }>;
  designations: DesignationType[];
  instruments: InstrumentRecord[];
}> {
  const directory = await currentDirectory();
  return {
    states: directory.states,
    holdings: directory.authorities.map((authority) => ({ state: authority.state, designations: authority.designations })),
    designations: directory.designations,
    instruments: directory.instruments,
  };
}

/** The change of a write to States, designation types, instruments or resources alone: no authority. */
export const REFERENCE_DATA_CHANGED: DirectoryChange = { authorities: [] };

/**
 * After a write of the directory's data (by editing, the console, an import or the seed): raises
 * the version stamp with what changed, so every instance patches or reloads its snapshot, and
 * drops this instance's at once. `REFERENCE_DATA_CHANGED` says that only States or the catalogue changed.
 */

export async function announceDirectoryChange(change: DirectoryChange): Promise<void> {
  await bumpVersion(change);
  invalidateDirectory();
}
