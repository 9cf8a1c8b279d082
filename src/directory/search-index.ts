import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import { ara, eng, fra, rus, spa, zho } from 'stopword';
import { foldText, remembered, words } from '../shared/text';
import type { Authority, State } from './directory.types';
import { UN_LANGUAGES } from './directory.types';

/**
 * In-memory full-text index over States and authorities. MongoDB's $text is not available on
 * FerretDB and knows no Arabic or Chinese, so the Directory searches in process. A rebuild of a few
 * thousand documents takes well under a second (bench/search.bench.ts), once per data change per
 * instance.
 *
 * Its size follows the number of distinct words, each of which costs the index several maps: an
 * authority is indexed by the parts of its addresses (shared by many: "info", "justice.gov.xx"),
 * never by whole addresses (one word each), and by its State's code alone, not by the State's six
 * names; a query's words name States through the States' own entries (`statesNamedBy`).
 */

/** The fields a document is found by, from the one that says most of what the document is to the one that says least. */
export const MATCHED_FIELDS = ['names', 'codes', 'aliases', 'people', 'emails', 'cities', 'stateNames'] as const;
export type MatchedField = (typeof MATCHED_FIELDS)[number];

/** The fields an ordinary word is sought in; `emailDomains` and `stateCode` are sought only as `planQuery` says. */
const WORD_FIELDS = ['names', 'codes', 'aliases', 'people', 'emails', 'cities'] as const;

export interface SearchHit {
  kind: 'state' | 'authority';
  /** State code or authority id. */
  ref: string;
  /** The State the hit belongs to, so callers can apply its access setting. */
  state: string;
  score: number;
  /** The field that best explains the match, and the indexed words of the document the query matched in it. */
  matched: { field: MatchedField; terms: string[] };
}

interface IndexedDocument {
  id: string;
  kind: 'state' | 'authority';
  ref: string;
  state: string;
  names: string;
  aliases: string;
  codes: string;
  /** Contact persons' names: only in the indexes of viewers who may see the authority's details. */
  people: string;
  /** The addresses, indexed by the part before "@" in this field and by their domains in `emailDomains`. */
  emails: string;
  cities: string;
  /**
   * An authority's State's code, as one term no folded word can be (upper case): a query's word
   * that names the State ("司法部 中国", "ministry of justice France") is sought as that term too.
   */
  stateCode: string;
}

export type SearchIndex = MiniSearch<IndexedDocument>;

const EMAIL_ADDRESS = /[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+/gu;
const addressesIn = (text: string) => text.match(EMAIL_ADDRESS) ?? [];

/**
 * The words of a query: e-mail addresses whole (a word splitter would cut them at "@" and keep
 * the domain as one word, which every "justice" prefix would match), the rest as words of any script.
 */
export function queryWords(text: string): string[] {
  return [...new Set([...addressesIn(text), ...words(text.replace(EMAIL_ADDRESS, ' '))])];
}

const WHOLE_ADDRESS = new RegExp(`^${EMAIL_ADDRESS.source}$`, 'u');
/** Whether a word of `queryWords` is an address (it keeps them whole). */
const isAddress = (word: string) => WHOLE_ADDRESS.test(word);
const partsOfAddress = (address: string) => {
  const at = address.lastIndexOf('@');
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
};

// Folded once per different word: an index's words repeat thousands of times
const foldedTerm = remembered((term: string): string | null => {
  const folded = foldText(term);
  return folded.length > 0 ? folded : null;
}, 20_000);

/**
 * An address is found by the part before "@", or whole, by that part and its domain together; its
 * domain alone finds nothing (a whole ministry shares one), so domains are a field no word is sought in.
 */
const tokenize = (text: string, fieldName?: string): string[] => {
  if (fieldName === 'stateCode') return [text];
  if (fieldName === 'emails') return addressesIn(text).map((address) => partsOfAddress(address).local);
  if (fieldName === 'emailDomains') return addressesIn(text).map((address) => partsOfAddress(address).domain);
  return fieldName ? words(text) : queryWords(text);
};
// State codes are kept as they are: folded, "FRA" would be the word "fra"
const processTerm = (term: string, fieldName?: string): string | null => (fieldName === 'stateCode' ? term : foldedTerm(term));
const asIs = (term: string) => term;

const indexOptions = {
  fields: ['names', 'codes', 'aliases', 'people', 'emails', 'emailDomains', 'cities', 'stateCode'],
  // The domains are read from the same text as the addresses' first parts
  extractField: (document: IndexedDocument, field: string) => (field === 'emailDomains' ? document.emails : document[field as keyof IndexedDocument]),
  storeFields: ['kind', 'ref', 'state'],
  tokenize,
  processTerm,
  searchOptions: { fields: [...WORD_FIELDS] },
};

/** The texts of a document whose words hold one of the matched terms: which alias, person or address the query found. */
export function textsMatching(texts: readonly string[], field: MatchedField, terms: readonly string[]): string[] {
  const sought = new Set(terms);
  const wordsOf = (text: string) => (field === 'emails' ? [...tokenize(text, 'emails'), ...tokenize(text, 'emailDomains')] : tokenize(text, field));
  const matchCount = (text: string) => wordsOf(text).filter((word) => sought.has(processTerm(word, field) ?? '')).length;
  // An address typed whole matches by both its parts, before one that shares only its first part
  const counted = texts.map((text) => ({ text, count: matchCount(text) })).filter(({ count }) => count > 0);
  return counted.sort((a, b) => b.count - a.count).map(({ text }) => text);
}

/**
 * Languages besides the six in which readers type State names ("Deutschland", "Italia", "德國" in
 * traditional Chinese, "ドイツ"): their names come from CLDR through Intl.DisplayNames, not typed here.
 */
const OTHER_NAME_LOCALES = ['de', 'it', 'pt', 'nl', 'ja', 'ko', 'tr', 'pl', 'uk', 'fa', 'hi', 'id', 'vi', 'th', 'el', 'sv', 'nb', 'da', 'fi', 'cs', 'hu', 'ro', 'bg', 'sr', 'hr', 'he', 'sw', 'zh-Hant', 'ms', 'az', 'ka', 'hy', 'kk', 'uz', 'bn', 'ur', 'am'];
let regionNamers: Intl.DisplayNames[] | undefined;

/** A State's name in OTHER_NAME_LOCALES, each once. */
export function namesInOtherLanguages(iso2: string | undefined): string[] {
  if (!iso2) return [];
  regionNamers ??= OTHER_NAME_LOCALES.map((locale) => new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' }));
  return [...new Set(regionNamers.map((namer) => namer.of(iso2)).filter((name): name is string => Boolean(name)))];
}

/** Every name a State is found by: its names in the six languages, then its aliases and its names in other languages. */
export function stateNamesOf(state: Pick<State, 'names' | 'aliases' | 'iso2'>): { names: string[]; aliases: string[] } {
  return { names: UN_LANGUAGES.map((lang) => state.names[lang]), aliases: [...state.aliases, ...namesInOtherLanguages(state.iso2)] };
}

/**
 * A name folded as the index folds its words, punctuation and spacing aside: "Côte d’Ivoire" and
 * "COTE D'IVOIRE" give the same key, so a name written elsewhere (the depositary's lists) can be
 * compared whole with the names the index holds.
 */
export function nameKey(name: string): string {
  return foldText(name)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function authorityDocument(authority: Authority): IndexedDocument {
  return {
    id: `authority:${authority.id}`,
    kind: 'authority',
    ref: authority.id,
    state: authority.state,
    names: `${authority.name.original} \n ${authority.name.en}`,
    aliases: '',
    codes: '',
    people: authority.contactPersons.map((person) => person.name).join(' \n '),
    emails: emailsOf(authority).join(' '),
    cities: authority.address.city,
    stateCode: authority.state,
  };
}

function documentsOf(states: State[], authorities: Authority[]): IndexedDocument[] {
  return [
    ...states.map((state) => {
      const { names, aliases } = stateNamesOf(state);
      return {
        id: `state:${state.code}`,
        kind: 'state' as const,
        ref: state.code,
        state: state.code,
        names: names.join(' \n '),
        aliases: aliases.join(' \n '),
        codes: [state.code, state.iso2 ?? ''].join(' '),
        people: '',
        emails: '',
        cities: '',
        stateCode: '',
      };
    }),
    ...authorities.map(authorityDocument),
  ];
}

/** Every address at which an authority is reached: its own, its 24/7 line's and its contact persons'. */
export function emailsOf(authority: Pick<Authority, 'emails' | 'contact247' | 'contactPersons'>): string[] {
  return [...new Set([...authority.emails, ...(authority.contact247?.emails ?? []), ...authority.contactPersons.flatMap((person) => person.emails)])];
}

/**
 * Builds an index of States and authorities. Authorities are found by their contact persons,
 * cities and e-mail addresses too, so an index must hold only authorities whose details its
 * readers may see (`DirectorySearch`).
 */
export function buildSearchIndex(states: State[], authorities: Authority[]): SearchIndex {
  const index = new MiniSearch<IndexedDocument>(indexOptions);
  index.addAll(documentsOf(states, authorities));
  stateNamesIndexOf.set(index, indexStateNames(states));
  return index;
}

/** Documents indexed between two turns of the event loop: a build of 20,000 authorities takes seconds, requests are served meanwhile. */
const BUILD_CHUNK = 500;

/** The same index as buildSearchIndex, built a chunk at a time so that requests keep being answered while it builds. */
async function buildSearchIndexInTurns(authorities: Authority[], stateNames: StateNamesIndex): Promise<SearchIndex> {
  const index = new MiniSearch<IndexedDocument>(indexOptions);
  stateNamesIndexOf.set(index, stateNames);
  await index.addAllAsync(documentsOf([], authorities), { chunkSize: BUILD_CHUNK });
  return index;
}

/** How many indexes of focal points' access classes (public States and their own restricted ones) are kept at once. */
const FOCAL_POINT_INDEXES_KEPT = 16;

/**
 * The directory's search, split so that nobody's ranking depends on what they may not see.
 * MiniSearch scores with statistics of the whole index (how rare a word is, how long names are),
 * so dropping hidden hits after ranking would still let hidden names reorder, or empty, what is
 * shown. States' names and aliases are public, so they have one index of their own; authorities
 * have one index per access class: those of public States, plus those of the restricted States
 * the viewer may see in full (none for anonymous readers, all for practitioners and the
 * secretariat, their own for a focal point).
 */
export interface DirectorySearch {
  states: SearchIndex;
  /** The index of the authorities of every public State and of these restricted States (built on first use). */
  authoritiesVisibleWith(restrictedStates: readonly string[]): Promise<SearchIndex>;
  /** Settles once the public authorities' index, the one anonymous readers use, is built. */
  ready: Promise<unknown>;
  /**
   * The search of the directory after these authorities changed (undefined: removed) and its States
   * were read again, made from this one's indexes in milliseconds; undefined when a State's access
   * changed, which moves authorities between indexes (build a new search then). The indexes built
   * so far are changed in place: a reader still searching this copy may meet an authority's new
   * words, whose hit its own copy of the directory then does not accept (see `search` in the service).
   */
  afterChanges(states: State[], authorities: Authority[], changed: ReadonlyMap<string, Authority | undefined>): Promise<DirectorySearch | undefined>;
}

/** What a State is found by: when none of it changed, a patched search keeps the States' index. */
const foundByKey = (states: readonly State[]) => JSON.stringify(states.map((state) => [state.code, state.names, state.aliases, state.iso2]));

interface Reused {
  foundBy: string;
  statesIndex: SearchIndex;
  /** The authorities' indexes built, by access class, already brought up to date. */
  built: Map<string, SearchIndex>;
}

/**
 * Builds the States' index now and starts the public authorities' index, in turns; the other
 * access classes' indexes are built on first use. A search that needs an index still building
 * waits for it; everything else is answered meanwhile.
 */
export function buildDirectorySearch(states: State[], authorities: Authority[], reused?: Reused): DirectorySearch {
  const restricted = new Set(states.filter((state) => state.access !== 'public').map((state) => state.code));
  const foundBy = foundByKey(states);
  const statesIndex = reused?.foundBy === foundBy ? reused.statesIndex : buildSearchIndex(states, []);
  const stateNames = stateNamesIndexOf.get(statesIndex)!;
  const visibleIn = (key: string) => new Set(key === '' ? [] : key.split(' '));
  const inClass = (authority: Authority, visible: ReadonlySet<string>) => !restricted.has(authority.state) || visible.has(authority.state);
  /** Indexes by access class: '' for public States only, else the restricted States' codes visible, sorted, space-separated. */
  const indexes = new Map<string, Promise<SearchIndex>>();
  const built = new Map<string, SearchIndex>();
  const indexOf = (key: string): Promise<SearchIndex> => {
    const kept = reused?.built.get(key);
    if (kept) stateNamesIndexOf.set(kept, stateNames);
    const visible = visibleIn(key);
    const index = kept ? Promise.resolve(kept) : buildSearchIndexInTurns(authorities.filter((authority) => inClass(authority, visible)), stateNames);
    index.then((done) => built.set(key, done)).catch(() => undefined);
    return index;
  };
  const everyRestricted = [...restricted].sort().join(' ');
  const publicIndex = indexOf('');
  indexes.set('', publicIndex);
  for (const key of reused?.built.keys() ?? []) if (key !== '') indexes.set(key, indexOf(key));
  return {
    states: statesIndex,
    ready: publicIndex,
    authoritiesVisibleWith(restrictedStates) {
      const key = [...new Set(restrictedStates.filter((code) => restricted.has(code)))].sort().join(' ');
      let index = indexes.get(key);
      if (key === '' || key === everyRestricted) return index ?? indexes.set(key, indexOf(key)).get(key)!;
      // The focal points' classes are kept most recently used last, the least used dropped
      if (index) indexes.delete(key);
      else index = indexOf(key);
      indexes.set(key, index);
      const focalPointKeys = [...indexes.keys()].filter((kept) => kept !== '' && kept !== everyRestricted);
      if (focalPointKeys.length > FOCAL_POINT_INDEXES_KEPT) {
        indexes.delete(focalPointKeys[0]!);
        built.delete(focalPointKeys[0]!);
      }
      return index;
    },
    async afterChanges(newStates, newAuthorities, changed) {
      const newRestricted = newStates.filter((state) => state.access !== 'public').map((state) => state.code);
      if (newRestricted.length !== restricted.size || newRestricted.some((code) => !restricted.has(code))) return undefined;
      await publicIndex;
      const upToDate = new Map<string, SearchIndex>();
      // An evicted focal point's index left `built` with it
      for (const [key, index] of built) {
        const visible = visibleIn(key);
        for (const [id, authority] of changed) {
          if (index.has(`authority:${id}`)) index.discard(`authority:${id}`);
          if (authority && inClass(authority, visible)) index.add(authorityDocument(authority));
        }
        upToDate.set(key, index);
      }
      return buildDirectorySearch(newStates, newAuthorities, { foundBy, statesIndex, built: upToDate });
    },
  };
}

/** Words that say nothing on their own in the six languages ("of", "de", "и", "في", "的"), folded as the index folds. */
const STOP_WORDS = new Set([ara, eng, fra, rus, spa, zho].flat().map(foldText));

/**
 * The query without its stop words, so that "ministry of justice" is not matched by every "... of
 * ..." name. A query of stop words alone is kept whole: "US", "IT" or "Is" may be what is sought.
 */
export function withoutStopWords(query: string): string {
  const terms = queryWords(query);
  const meaningful = terms.filter((term) => !STOP_WORDS.has(foldText(term)));
  return meaningful.length > 0 && meaningful.length < terms.length ? meaningful.join(' ') : query;
}

const isCjk = (term: string) => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(term);

/** The shortest word whose letter swaps are tried: in a shorter one a swap makes another word. */
const SWAPPED_WORD_MIN = 4;
/** A longer word is not a typo of a name, and its swaps would make the query large. */
const SWAPPED_WORD_MAX = 20;

/** The word with each pair of neighbouring letters swapped in turn ("frnace" → "rfnace", "fnrace", "france", ...). */
export function letterSwapsOf(word: string): string[] {
  const letters = [...word];
  if (letters.length < SWAPPED_WORD_MIN || letters.length > SWAPPED_WORD_MAX || isCjk(word)) return [];
  const swaps = new Set<string>();
  for (let at = 0; at < letters.length - 1; at += 1) {
    if (letters[at] === letters[at + 1]) continue;
    const swapped = [...letters];
    [swapped[at], swapped[at + 1]] = [swapped[at + 1]!, swapped[at]!];
    swaps.add(swapped.join(''));
  }
  return [...swaps];
}

/** Prefix and typo matching: a prefix from two letters on (one Chinese character), one typo from four letters, two from eight. */
const LOOSE = {
  prefix: (term: string) => term.length >= 2 || isCjk(term),
  fuzzy: (term: string) => (isCjk(term) ? false : term.length >= 7 ? 0.25 : term.length >= 4 ? 1 : false),
};
const BOOST = { names: 3, codes: 2, aliases: 1.5, people: 1.5, emails: 1.5, emailDomains: 1.5, cities: 1, stateCode: 0.5 };
/** Without typos: what a query's words are sought as until that finds nothing (see `searchIndexes`). */
const PREFIX_ONLY = { prefix: LOOSE.prefix, fuzzy: false };
type Matching = 'loose' | 'prefix' | 'exact';
const MATCHING = { loose: LOOSE, prefix: PREFIX_ONLY, exact: {} };

const oneTerm = (text: string) => [text];

/**
 * An index of the States' names in the six languages alone, beside each index of States or
 * authorities: every word of a query is looked up in it (`statesNamedBy`), and a typo's search
 * costs as many words as the index holds, a fifth of those of the States' index with its aliases.
 */
type StateNamesIndex = MiniSearch<{ id: string; names: string }>;
const stateNamesIndexOf = new WeakMap<SearchIndex, StateNamesIndex>();

function indexStateNames(states: readonly State[]): StateNamesIndex {
  const names: StateNamesIndex = new MiniSearch({ fields: ['names'], tokenize: (text) => words(text), processTerm: (term) => foldedTerm(term) });
  names.addAll(states.map((state) => ({ id: state.code, names: UN_LANGUAGES.map((lang) => state.names[lang]).join(' \n ') })));
  return names;
}

/** The States whose names in the six languages hold the word, by code, each with the words of its names matched. */
function statesNamedBy(indexes: readonly SearchIndex[], word: string, matching: Matching): Map<string, string[]> {
  const named = new Map<string, string[]>();
  const namesIndexes = new Set(indexes.map((index) => stateNamesIndexOf.get(index)));
  for (const names of namesIndexes) {
    for (const result of names?.search(word, MATCHING[matching]) ?? []) {
      named.set(result.id as string, [...(named.get(result.id as string) ?? []), ...result.terms]);
    }
  }
  return named;
}

/** What one of a query's words is sought as. */
interface SoughtWord {
  /** Every term of the query standing for the word: itself, its letter swaps, the codes of States it names, an address's parts. */
  terms: Set<string>;
  /** The terms of a document that hold the word as typed: the word or a swap itself, a State it names exactly, an address's parts. */
  exactTerms: Set<string>;
}

/** A query as MiniSearch seeks it, and what its terms stand for. */
interface QueryPlan {
  query: Query;
  combineWith: 'AND' | 'OR';
  words: SoughtWord[];
  /** For each State a word names, the words of the State's names it matched. */
  stateNameTerms: Map<string, string[]>;
}

type StatesOf = (word: string, matching: Matching) => Map<string, string[]>;

/**
 * The query for these words: each word (or one of its letter swaps, `withSwaps`) as a word, or as
 * the code of a State it names (by prefix, or by `matching` loosely with typos as well); an address
 * by its part before "@" and its domain together.
 */
function planQuery(words: readonly string[], combineWith: 'AND' | 'OR', withSwaps: boolean, matching: 'loose' | 'prefix', statesOf: StatesOf): QueryPlan {
  const stateNameTerms = new Map<string, string[]>();
  const sought: SoughtWord[] = [];
  const queries = words.map((word): Query => {
    const terms = new Set<string>();
    const exactTerms = new Set<string>();
    sought.push({ terms, exactTerms });
    const typed = (term: string | null) => {
      if (term) [terms, exactTerms].forEach((set) => set.add(term));
    };
    if (isAddress(word)) {
      const { local, domain } = partsOfAddress(word);
      [local, domain].forEach((part) => typed(foldedTerm(part)));
      return { combineWith: 'AND', prefix: false, fuzzy: false, tokenize: oneTerm, queries: [{ queries: [local], fields: ['emails'] }, { queries: [domain], fields: ['emailDomains'] }] };
    }
    const alternatives = [word, ...(withSwaps ? letterSwapsOf(word) : [])];
    const codes = new Set<string>();
    for (const alternative of alternatives) {
      typed(foldedTerm(alternative));
      for (const [code, names] of statesOf(alternative, matching)) {
        [codes, terms].forEach((set) => set.add(code));
        stateNameTerms.set(code, [...new Set([...(stateNameTerms.get(code) ?? []), ...names])]);
      }
      for (const code of statesOf(alternative, 'exact').keys()) exactTerms.add(code);
    }
    const named: Query[] = codes.size > 0 ? [{ queries: [...codes], fields: ['stateCode'], prefix: false, fuzzy: false, tokenize: oneTerm, processTerm: asIs }] : [];
    return { combineWith: 'OR', queries: [...alternatives, ...named] };
  });
  return { query: { combineWith, queries }, combineWith, words: sought, stateNameTerms };
}

/** The share of the query's words a result holds; every one of them when all had to match. */
function coverageOf(result: SearchResult, plan: QueryPlan): number {
  if (plan.combineWith === 'AND') return 1;
  const covered = plan.words.filter((word) => result.queryTerms.some((term) => word.terms.has(term))).length;
  return covered / Math.max(1, plan.words.length);
}

/** The terms of a result that hold a word as typed, when every word that had to match is held so (otherwise none). */
function exactTermsOf(result: SearchResult, plan: QueryPlan): Set<string> | undefined {
  const matched = Object.keys(result.match);
  const exactWords = plan.words.filter((word) => matched.some((term) => word.exactTerms.has(term)));
  if (exactWords.length === 0 || (plan.combineWith === 'AND' && exactWords.length < plan.words.length)) return undefined;
  return new Set(matched.filter((term) => exactWords.some((word) => word.exactTerms.has(term))));
}

const FIELD_RANK = new Map<string, number>(MATCHED_FIELDS.map((field, rank) => [field, rank]));
const rankOf = (field: string) => FIELD_RANK.get(field) ?? MATCHED_FIELDS.length;

/**
 * The field holding most of the words the query matched ("Jane Sample" is a contact person even
 * though "sample" is in the authority's name too), the more telling field when two hold as many;
 * only the terms `among` when given. A State's code stands for the words of its names the query
 * matched; a domain, for an address.
 */
function bestMatch(match: SearchResult['match'], plan: QueryPlan, among?: ReadonlySet<string>): SearchHit['matched'] {
  const termsByField = new Map<MatchedField, string[]>();
  for (const term in match) {
    if (among && !among.has(term)) continue;
    for (const field of match[term]!) {
      const named = field === 'stateCode' ? 'stateNames' : field === 'emailDomains' ? 'emails' : (field as MatchedField);
      const terms = termsByField.get(named) ?? termsByField.set(named, []).get(named)!;
      if (field === 'stateCode') terms.push(...(plan.stateNameTerms.get(term) ?? []));
      else terms.push(term);
    }
  }
  let best: SearchHit['matched'] | undefined;
  for (const [field, terms] of termsByField) {
    if (!best || terms.length > best.terms.length || (terms.length === best.terms.length && rankOf(field) < rankOf(best.field))) best = { field, terms };
  }
  return best ?? { field: 'names', terms: [] };
}

/** One index searched with what its readers may find in it: `accept` decides which documents count at all (by kind, for instance). */
export interface SearchTarget {
  index: SearchIndex;
  accept: (hit: Pick<SearchHit, 'kind' | 'ref' | 'state'>) => boolean;
}

interface RankedHit extends SearchHit {
  /** The share of the query's words the document holds. */
  coverage: number;
  exact: boolean;
}

/** Most of the query's words first, then an exact word before a prefix or a typo, then the more telling field, then the score. */
function byRank(a: RankedHit, b: RankedHit): number {
  return (
    b.coverage - a.coverage ||
    Number(b.exact) - Number(a.exact) ||
    rankOf(a.matched.field) - rankOf(b.matched.field) ||
    b.score - a.score ||
    (a.kind === b.kind ? 0 : a.kind === 'state' ? -1 : 1) ||
    (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0)
  );
}

/**
 * Finds States and authorities for a query typed in any language, in several indexes at once, as
 * one ranked list: every word but stop words must match, as typed or as a prefix, in some index;
 * when that finds nothing, within a small edit distance for longer words as well; then any word
 * may; when still nothing matches, each word may have two neighbouring letters swapped ("Frnace").
 * An edit distance counts a swap as two edits, too many for a short word, hence the last step. A
 * word that names a State ("France", "中国") also matches every authority of that State.
 *
 * Typos are tried only when the words as typed find nothing, as the established search engines do
 * by default (Typesense's `typo_tokens_threshold` of 1): "Iran" finds Iran, not Iraq beside it, and
 * a common word is not also sought as every word two edits away ("ministry" as "ministere",
 * "ministro"), which cost most of a search of several words.
 *
 * Scores of two indexes are not comparable (each weighs words by its own statistics), so the
 * list is ranked first by what means the same in every index: how many of the query's words a
 * document holds, whether one matched exactly ("UK" finds the United Kingdom before Ukraine), and
 * in which field (a name before a city); only then by the score, relative to the best of its index.
 * Each index must hold only what the viewer may see (`DirectorySearch`), or hidden names would
 * weigh on scores.
 */
export function searchIndexes(targets: readonly SearchTarget[], query: string): SearchHit[] {
  // A result carries its stored fields (kind, ref, state): no copy is made for each of thousands
  const filterOf = (accept: SearchTarget['accept']) => (result: SearchResult) => accept(result as unknown as Pick<SearchHit, 'kind' | 'ref' | 'state'>);
  const indexes = targets.map((target) => target.index);
  const namedStates = new Map<string, Map<string, string[]>>();
  const statesOf: StatesOf = (word, matching) => {
    const key = `${matching} ${word}`;
    return namedStates.get(key) ?? namedStates.set(key, statesNamedBy(indexes, word, matching)).get(key)!;
  };
  const words = queryWords(withoutStopWords(query));
  const steps = [
    { combineWith: 'AND', withSwaps: false, matching: 'prefix' },
    { combineWith: 'AND', withSwaps: false, matching: 'loose' },
    { combineWith: 'OR', withSwaps: false, matching: 'loose' },
    { combineWith: 'AND', withSwaps: true, matching: 'loose' },
  ] as const;
  const attempt = (step: (typeof steps)[number]) => {
    const plan = planQuery(words, step.combineWith, step.withSwaps, step.matching, statesOf);
    return { plan, found: targets.map((target) => target.index.search(plan.query, { ...MATCHING[step.matching], boost: BOOST, filter: filterOf(target.accept) })) };
  };
  let { plan, found } = attempt(steps[0]);
  for (const step of steps.slice(1)) {
    if (found.some((results) => results.length > 0)) break;
    // Any of one word is that word: the step before sought the same
    if (step.combineWith === 'OR' && words.length < 2) continue;
    ({ plan, found } = attempt(step));
  }
  const ranked = found.flatMap((results) => {
    const best = results[0]?.score || 1;
    return results.map((result): RankedHit => {
      const exactTerms = exactTermsOf(result, plan);
      return {
        kind: result.kind as SearchHit['kind'],
        ref: result.ref as string,
        state: result.state as string,
        score: result.score / best,
        // What was typed exactly explains the match better than the words it is a prefix or a typo of
        matched: bestMatch(result.match, plan, exactTerms),
        coverage: coverageOf(result, plan),
        exact: exactTerms !== undefined,
      };
    });
  });
  return ranked.sort(byRank);
}

/** `searchIndexes` over one index. */
export function searchIndex(index: SearchIndex, query: string, accept: SearchTarget['accept']): SearchHit[] {
  return searchIndexes([{ index, accept }], query);
}
