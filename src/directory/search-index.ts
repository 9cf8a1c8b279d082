import MiniSearch, { type SearchResult } from 'minisearch';
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

/** Builds the index from the full directory; contact details are never indexed. */
export function buildSearchIndex(states: State[], authorities: Authority[]): SearchIndex {
  const index = new MiniSearch<IndexedDocument>({
    fields: ['names', 'aliases', 'codes'],
    storeFields: ['kind', 'ref', 'state'],
    tokenize,
    processTerm,
  });
  index.addAll([
    ...states.map((state) => ({
      id: `state:${state.code}`,
      kind: 'state' as const,
      ref: state.code,
      state: state.code,
      names: UN_LANGUAGES.map((lang) => state.names[lang]).join(' \n '),
      aliases: state.aliases.join(' \n '),
      codes: [state.code, state.iso2 ?? ''].join(' '),
    })),
    ...authorities.map((authority) => ({
      id: `authority:${authority.id}`,
      kind: 'authority' as const,
      ref: authority.id,
      state: authority.state,
      names: `${authority.name.original} \n ${authority.name.en}`,
      aliases: '',
      codes: '',
    })),
  ]);
  return index;
}

const isCjk = (term: string) => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(term);

/**
 * Finds States and authorities for a query typed in any language: every word must match (as a
 * prefix, or within a small edit distance for longer words); when none does, any word may.
 * Exact word matches weigh most, so "UK" finds the United Kingdom before Ukraine.
 * `accept` decides which documents count at all: it must exclude what the viewer may not see,
 * or the fall-back from all words to any word would reveal that a hidden document matched.
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
  let combineWith: 'AND' | 'OR' = 'AND';
  let results: SearchResult[] = index.search(query, { ...loose, combineWith });
  if (results.length === 0) {
    combineWith = 'OR';
    results = index.search(query, { ...loose, combineWith });
  }
  const exactScores = new Map(index.search(query, { boost, filter, combineWith }).map((result) => [result.id as string, result.score]));
  return results
    .map((result) => ({
      kind: result.kind as SearchHit['kind'],
      ref: result.ref as string,
      state: result.state as string,
      score: result.score + 3 * (exactScores.get(result.id as string) ?? 0),
    }))
    .sort((a, b) => b.score - a.score);
}
