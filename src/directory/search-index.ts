import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import { ara, eng, fra, rus, spa, zho } from 'stopword';
import { foldText, words } from '../shared/text';
import type { Authority, State } from './directory.types';
import { UN_LANGUAGES } from './directory.types';

/**
 * In-memory full-text index over States and authorities. MongoDB's $text is not available on
 * FerretDB and knows no Arabic or Chinese, so the Directory searches in process. A rebuild of a few
 * thousand documents takes well under a second (bench/search.bench.ts), once per data change per
 * instance; an authority's State's names and contacts make about half of that.
 */

/** The fields a document is found by, from the one that says most of what the document is to the one that says least. */
export const MATCHED_FIELDS = ['names', 'codes', 'aliases', 'people', 'emails', 'cities', 'stateNames'] as const;
export type MatchedField = (typeof MATCHED_FIELDS)[number];

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
  emails: string;
  cities: string;
  /** An authority's State's names in the six languages, so "司法部 中国" or "ministry of justice France" finds that State's ministry. */
  stateNames: string;
}

export type SearchIndex = MiniSearch<IndexedDocument>;

const EMAIL_ADDRESS = /[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+/gu;

/**
 * The words of a query: e-mail addresses whole (a word splitter would cut them at "@" and keep
 * the domain as one word, which every "justice" prefix would match), the rest as words of any script.
 */
export function queryWords(text: string): string[] {
  const addresses = text.match(EMAIL_ADDRESS) ?? [];
  return [...new Set([...addresses, ...words(text.replace(EMAIL_ADDRESS, ' '))])];
}

/** An address is found whole or by the part before "@" (its domain is shared by a whole ministry). */
const emailTerms = (text: string): string[] => (text.match(EMAIL_ADDRESS) ?? []).flatMap((address) => [address, address.split('@')[0]!]);

const foldedTerm = (term: string): string | null => {
  const folded = foldText(term);
  return folded.length > 0 ? folded : null;
};

/**
 * A State's names, split and folded once per text: every authority of the State holds the same
 * ones, and splitting and folding them again for each would slow down every build of an index.
 */
const stateNameTerms = new Map<string, string[]>();
function foldedStateNames(text: string): string[] {
  let terms = stateNameTerms.get(text);
  if (!terms) {
    terms = words(text)
      .map(foldedTerm)
      .filter((term): term is string => term !== null);
    stateNameTerms.set(text, terms);
  }
  return terms;
}

const tokenize = (text: string, fieldName?: string): string[] => {
  if (fieldName === 'stateNames') return foldedStateNames(text);
  return fieldName === 'emails' ? emailTerms(text) : fieldName ? words(text) : queryWords(text);
};
// The words of stateNames come folded already
const processTerm = (term: string, fieldName?: string): string | null => (fieldName === 'stateNames' ? term : foldedTerm(term));

const indexOptions = {
  fields: [...MATCHED_FIELDS],
  storeFields: ['kind', 'ref', 'state'],
  tokenize,
  processTerm,
};

/** The texts of a document whose words hold one of the matched terms: which alias, person or address the query found. */
export function textsMatching(texts: readonly string[], field: MatchedField, terms: readonly string[]): string[] {
  const sought = new Set(terms);
  return texts.filter((text) => tokenize(text, field).some((word) => sought.has(processTerm(word, field) ?? '')));
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

/** The six names of each State, by code, that its authorities are found by as well. */
type StateNames = ReadonlyMap<string, string>;
const stateNamesByCode = (states: State[]): StateNames => new Map(states.map((state) => [state.code, UN_LANGUAGES.map((lang) => state.names[lang]).join(' \n ')]));

function documentsOf(states: State[], authorities: Authority[], namesOfStates: StateNames): IndexedDocument[] {
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
        stateNames: '',
      };
    }),
    ...authorities.map((authority) => ({
      id: `authority:${authority.id}`,
      kind: 'authority' as const,
      ref: authority.id,
      state: authority.state,
      names: `${authority.name.original} \n ${authority.name.en}`,
      aliases: '',
      codes: '',
      people: authority.contactPersons.map((person) => person.name).join(' \n '),
      emails: emailsOf(authority).join(' '),
      cities: authority.address.city,
      stateNames: namesOfStates.get(authority.state) ?? '',
    })),
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
  index.addAll(documentsOf(states, authorities, stateNamesByCode(states)));
  return index;
}

/** Documents indexed between two turns of the event loop: a build of 20,000 authorities takes seconds, requests are served meanwhile. */
const BUILD_CHUNK = 500;

/** The same index as buildSearchIndex, built a chunk at a time so that requests keep being answered while it builds. */
async function buildSearchIndexInTurns(authorities: Authority[], namesOfStates: StateNames): Promise<SearchIndex> {
  const index = new MiniSearch<IndexedDocument>(indexOptions);
  await index.addAllAsync(documentsOf([], authorities, namesOfStates), { chunkSize: BUILD_CHUNK });
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
}

/**
 * Builds the States' index now and starts the public authorities' index, in turns; the other
 * access classes' indexes are built on first use. A search that needs an index still building
 * waits for it; everything else is answered meanwhile.
 */
export function buildDirectorySearch(states: State[], authorities: Authority[]): DirectorySearch {
  const restricted = new Set(states.filter((state) => state.access !== 'public').map((state) => state.code));
  const namesOfStates = stateNamesByCode(states);
  const indexOf = (visible: ReadonlySet<string>) =>
    buildSearchIndexInTurns(
      authorities.filter((authority) => !restricted.has(authority.state) || visible.has(authority.state)),
      namesOfStates,
    );
  const publicIndex = indexOf(new Set());
  const everyRestricted = [...restricted].sort().join(' ');
  let everything: Promise<SearchIndex> | undefined;
  const focalPointIndexes = new Map<string, Promise<SearchIndex>>();
  return {
    states: buildSearchIndex(states, []),
    ready: publicIndex,
    authoritiesVisibleWith(restrictedStates) {
      const visible = new Set(restrictedStates.filter((code) => restricted.has(code)));
      if (visible.size === 0) return publicIndex;
      const key = [...visible].sort().join(' ');
      if (key === everyRestricted) return (everything ??= indexOf(visible));
      let index = focalPointIndexes.get(key);
      if (index) focalPointIndexes.delete(key);
      else index = indexOf(visible);
      focalPointIndexes.set(key, index);
      if (focalPointIndexes.size > FOCAL_POINT_INDEXES_KEPT) focalPointIndexes.delete(focalPointIndexes.keys().next().value!);
      return index;
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

/** Every word of the query, or one of its letter swaps. */
function withLetterSwaps(query: string): Query {
  return { combineWith: 'AND', queries: queryWords(query).map((word) => ({ combineWith: 'OR', queries: [word, ...letterSwapsOf(word)] })) };
}

const FIELD_RANK = new Map<string, number>(MATCHED_FIELDS.map((field, rank) => [field, rank]));
const rankOf = (field: string) => FIELD_RANK.get(field) ?? MATCHED_FIELDS.length;

/**
 * The field holding most of the words the query matched ("Jane Sample" is a contact person even
 * though "sample" is in the authority's name too), the more telling field when two hold as many.
 */
function bestMatch(match: SearchResult['match']): SearchHit['matched'] {
  const termsByField = new Map<MatchedField, string[]>();
  for (const [term, fields] of Object.entries(match)) {
    for (const field of fields as MatchedField[]) termsByField.set(field, [...(termsByField.get(field) ?? []), term]);
  }
  const [field, terms] = [...termsByField].sort(([a, aTerms], [b, bTerms]) => bTerms.length - aTerms.length || rankOf(a) - rankOf(b))[0] ?? ['names', []];
  return { field, terms };
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
 * one ranked list: every word but stop words must match (as a prefix, or within a small edit
 * distance for longer words) in some index; when none does, any word may; when still nothing
 * matches, each word may have two neighbouring letters swapped ("Frnace"). An edit distance
 * counts a swap as two edits, too many for a short word, hence the last step.
 *
 * Scores of two indexes are not comparable (each weighs words by its own statistics), so the
 * list is ranked first by what means the same in every index: how many of the query's words a
 * document holds, whether one matched exactly ("UK" finds the United Kingdom before Ukraine), and
 * in which field (a name before a city); only then by the score, relative to the best of its index.
 * Each index must hold only what the viewer may see (`DirectorySearch`), or hidden names would
 * weigh on scores.
 */
export function searchIndexes(targets: readonly SearchTarget[], query: string): SearchHit[] {
  const boost = { names: 3, codes: 2, aliases: 1.5, people: 1.5, emails: 1.5, cities: 1, stateNames: 0.5 };
  const filterOf = (accept: SearchTarget['accept']) => (result: SearchResult) => accept({ kind: result.kind as SearchHit['kind'], ref: result.ref as string, state: result.state as string });
  const loose = {
    boost,
    prefix: (term: string) => term.length >= 2 || isCjk(term),
    fuzzy: (term: string) => (isCjk(term) ? false : term.length >= 7 ? 0.25 : term.length >= 4 ? 1 : false),
  };
  const text = withoutStopWords(query);
  const wordCount = Math.max(1, queryWords(text).length);
  let sought: Query = text;
  let combineWith: 'AND' | 'OR' = 'AND';
  const run = () => targets.map((target) => target.index.search(sought, { ...loose, filter: filterOf(target.accept), combineWith }));
  let found = run();
  const nothing = () => found.every((results) => results.length === 0);
  if (nothing()) {
    combineWith = 'OR';
    found = run();
  }
  if (nothing()) {
    combineWith = 'AND';
    sought = withLetterSwaps(text);
    found = run();
  }
  const ranked = targets.flatMap((target, at) => {
    const exactMatches = new Map(target.index.search(sought, { boost, filter: filterOf(target.accept), combineWith }).map((result) => [result.id as string, result]));
    const scored = found[at]!.map((result) => ({ result, exact: exactMatches.get(result.id as string), score: result.score + 3 * (exactMatches.get(result.id as string)?.score ?? 0) }));
    const best = Math.max(0, ...scored.map(({ score }) => score)) || 1;
    return scored.map(({ result, exact, score }): RankedHit => ({
      kind: result.kind as SearchHit['kind'],
      ref: result.ref as string,
      state: result.state as string,
      score: score / best,
      // What was typed exactly explains the match better than the words it is a prefix or a typo of
      matched: bestMatch((exact ?? result).match),
      coverage: Math.min(1, result.queryTerms.length / wordCount),
      exact: exact !== undefined,
    }));
  });
  return ranked.sort(byRank).map(({ kind, ref, state, score, matched }) => ({ kind, ref, state, score, matched }));
}

/** `searchIndexes` over one index. */
export function searchIndex(index: SearchIndex, query: string, accept: SearchTarget['accept']): SearchHit[] {
  return searchIndexes([{ index, accept }], query);
}
