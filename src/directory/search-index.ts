import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import { ara, eng, fra, rus, spa, zho } from 'stopword';
import { foldText, words } from '../shared/text';
import type { Authority, State } from './directory.types';
import { UN_LANGUAGES } from './directory.types';

/**
 * In-memory full-text index over States and authorities. MongoDB's $text is not available on
 * FerretDB and knows no Arabic or Chinese, so the Directory searches in process. A rebuild of a few
 * thousand documents takes about 0.2 s (bench/search.bench.ts), once per data change per instance.
 */

export interface SearchHit {
  kind: 'state' | 'authority';
  /** State code or authority id. */
  ref: string;
  /** The State the hit belongs to, so callers can apply its access setting. */
  state: string;
  score: number;
}

interface IndexedDocument {
  id: string;
  kind: 'state' | 'authority';
  ref: string;
  state: string;
  names: string;
  aliases: string;
  codes: string;
}

export type SearchIndex = MiniSearch<IndexedDocument>;

const tokenize = (text: string): string[] => words(text);
const processTerm = (term: string): string | null => {
  const folded = foldText(term);
  return folded.length > 0 ? folded : null;
};

const indexOptions = {
  fields: ['names', 'aliases', 'codes'],
  storeFields: ['kind', 'ref', 'state'],
  tokenize,
  processTerm,
};

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

function documentsOf(states: State[], authorities: Authority[]): IndexedDocument[] {
  return [
    ...states.map((state) => {
      const { names, aliases } = stateNamesOf(state);
      return { id: `state:${state.code}`, kind: 'state' as const, ref: state.code, state: state.code, names: names.join(' \n '), aliases: aliases.join(' \n '), codes: [state.code, state.iso2 ?? ''].join(' ') };
    }),
    ...authorities.map((authority) => ({
      id: `authority:${authority.id}`,
      kind: 'authority' as const,
      ref: authority.id,
      state: authority.state,
      names: `${authority.name.original} \n ${authority.name.en}`,
      aliases: '',
      codes: '',
    })),
  ];
}

/** Builds the index from the full directory; contact details are never indexed. */
export function buildSearchIndex(states: State[], authorities: Authority[]): SearchIndex {
  const index = new MiniSearch<IndexedDocument>(indexOptions);
  index.addAll(documentsOf(states, authorities));
  return index;
}

/** Documents indexed between two turns of the event loop: a build of 20,000 authorities takes seconds, requests are served meanwhile. */
const BUILD_CHUNK = 500;

/** The same index as buildSearchIndex, built a chunk at a time so that requests keep being answered while it builds. */
async function buildSearchIndexInTurns(authorities: Authority[]): Promise<SearchIndex> {
  const index = new MiniSearch<IndexedDocument>(indexOptions);
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
}

/**
 * Builds the States' index now and starts the public authorities' index, in turns; the other
 * access classes' indexes are built on first use. A search that needs an index still building
 * waits for it; everything else is answered meanwhile.
 */
export function buildDirectorySearch(states: State[], authorities: Authority[]): DirectorySearch {
  const restricted = new Set(states.filter((state) => state.access !== 'public').map((state) => state.code));
  const indexOf = (visible: ReadonlySet<string>) =>
    buildSearchIndexInTurns(authorities.filter((authority) => !restricted.has(authority.state) || visible.has(authority.state)));
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
  const terms = words(query);
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
  return { combineWith: 'AND', queries: words(query).map((word) => ({ combineWith: 'OR', queries: [word, ...letterSwapsOf(word)] })) };
}

/**
 * Finds States and authorities for a query typed in any language: every word but stop words must match (as a
 * prefix, or within a small edit distance for longer words); when none does, any word may; when
 * still nothing matches, each word may have two neighbouring letters swapped ("Frnace").
 * An edit distance counts a swap as two edits, too many for a short word, hence the last step.
 * Exact word matches weigh most, so "UK" finds the United Kingdom before Ukraine.
 * `accept` decides which documents count at all (by kind, for instance); the index itself must
 * hold only what the viewer may see (`DirectorySearch`), or hidden names would weigh on scores.
 */
export function searchIndex(index: SearchIndex, query: string, accept: (hit: Pick<SearchHit, 'kind' | 'state'>) => boolean): SearchHit[] {
  const boost = { names: 3, codes: 2, aliases: 1.5 };
  const filter = (result: SearchResult) => accept({ kind: result.kind as SearchHit['kind'], state: result.state as string });
  const loose = {
    boost,
    filter,
    prefix: (term: string) => term.length >= 2 || isCjk(term),
    fuzzy: (term: string) => (isCjk(term) ? false : term.length >= 7 ? 0.25 : term.length >= 4 ? 1 : false),
  };
  let sought: Query = withoutStopWords(query);
  let combineWith: 'AND' | 'OR' = 'AND';
  let results: SearchResult[] = index.search(sought, { ...loose, combineWith });
  if (results.length === 0) {
    combineWith = 'OR';
    results = index.search(sought, { ...loose, combineWith });
  }
  if (results.length === 0) {
    combineWith = 'AND';
    sought = withLetterSwaps(sought);
    results = index.search(sought, { ...loose, combineWith });
  }
  const exactScores = new Map(index.search(sought, { boost, filter, combineWith }).map((result) => [result.id as string, result.score]));
  return results
    .map((result) => ({
      kind: result.kind as SearchHit['kind'],
      ref: result.ref as string,
      state: result.state as string,
      score: result.score + 3 * (exactScores.get(result.id as string) ?? 0),
    }))
    .sort((a, b) => b.score - a.score);
}
