/**
 * Search benchmark: the in-memory MiniSearch index against what one would write without it.
 *
 * Builds a synthetic directory (the 198 real States of seed/data/states.json and about 2,500
 * authorities named in the six UN languages, with the State's name mixed in), builds the index with
 * buildSearchIndex, and times a fixed set of queries against two linear scans, run interleaved in
 * the same process (the machine is shared and noisy, so only ratios and medians mean anything):
 *
 *   - naive scan: folds every name with foldText at query time and checks `includes` for every
 *     whitespace-separated query word (the baseline the ratios are computed against);
 *   - prefolded scan: the same, with the names folded once in advance (for context only).
 *
 * Each scan looks only at the kind of document the query is for (States or authorities), as
 * listStates and listAuthorities do; the index searches everything and filters, as the app does.
 *
 * Run: npm run bench, or npx tsx bench/search.bench.ts; BENCH_ROUNDS=n changes the number of
 * timed rounds (default 40). Heap figures need a callable gc: taken from --expose-gc when given
 * (node --expose-gc --import tsx bench/search.bench.ts), otherwise enabled at run time through
 * v8.setFlagsFromString; the output says which.
 */
import { performance } from 'node:perf_hooks';
import { buildSearchIndex, searchIndex, type SearchHit, type SearchIndex } from '../src/directory/search-index';
import type { Authority, AuthorityKind, Localized, State, UnLanguage } from '../src/directory/directory.types';
import { UN_LANGUAGES } from '../src/directory/directory.types';
import { foldText } from '../src/shared/text';
import { findGc, heapUsedAfterGc } from './heap';
import { CONCEPTS, homeLanguage, loadStates, prng, WITH_STATE, type Concept } from './synthetic-directory';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 40));
const WARMUP_ROUNDS = 3;
const BUILD_REPEATS = 11;
const TARGET_AUTHORITIES = 2500;

// ---------------------------------------------------------------------------------------------
// Utilities

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;


// ---------------------------------------------------------------------------------------------
// Synthetic directory

/**
 * Authorities the queries look for: (State, concept) forced to exist in the given language, some
 * with a hand-written name instead of the template.
 */
interface Anchor {
  state: string;
  concept: string;
  lang: UnLanguage;
  original?: string;
  en?: string;
}
const ANCHORS: Anchor[] = [
  { state: 'RUS', concept: 'prosecutor', lang: 'ru', original: 'Генеральная прокуратура Российской Федерации', en: 'Office of the Prosecutor General of the Russian Federation' },
  { state: 'CHN', concept: 'prosecutor', lang: 'zh', original: '最高人民检察院', en: "Supreme People's Procuratorate" },
  { state: 'FRA', concept: 'moj', lang: 'fr', original: "Ministère de la Justice – Bureau de l'entraide pénale internationale", en: 'Ministry of Justice – Office of International Mutual Assistance in Criminal Matters' },
  { state: 'ESP', concept: 'prosecutor', lang: 'es', original: 'Fiscalía General del Estado', en: "State Attorney General's Office" },
  { state: 'EGY', concept: 'moj', lang: 'ar' },
  { state: 'MAR', concept: 'coop', lang: 'ar' },
  { state: 'KEN', concept: 'moj', lang: 'en' },
  { state: 'RUS', concept: 'moj', lang: 'zh' },
  { state: 'GHA', concept: 'fiu', lang: 'en' },
];

function authorityId(state: string, concept: string): string {
  return `${state.toLowerCase()}-${concept}`;
}

function makeAuthority(state: State, concept: Concept, lang: UnLanguage, original: string, en: string): Authority {
  return {
    id: authorityId(state.code, concept.key),
    state: state.code,
    designations: ['UNTOC-18-13'],
    name: { original, originalLanguage: lang, en },
    kind: concept.kind,
    address: { lines: ['1 Example Street'], city: 'Capital', country: state.code },
    phones: [],
    fax: [],
    emails: [],
    languages: [lang],
    channels: ['post'],
    urgent: { accepted: false, means: [] },
    contactPersons: [],
    updatedAt: new Date(0),
    sample: true,
    version: 0,
  };
}

function generateAuthorities(states: State[]): Authority[] {
  const random = prng(20240611);
  const conceptByKey = new Map(CONCEPTS.map((concept) => [concept.key, concept]));
  const authorities: Authority[] = [];
  states.forEach((state, i) => {
    // 12 or 13 per State, about TARGET_AUTHORITIES in all; each concept at most once per State
    const count = Math.floor((TARGET_AUTHORITIES * (i + 1)) / states.length) - Math.floor((TARGET_AUTHORITIES * i) / states.length);
    const anchors = ANCHORS.filter((anchor) => anchor.state === state.code);
    const others = CONCEPTS.filter((concept) => !anchors.some((anchor) => anchor.concept === concept.key))
      .map((concept) => ({ concept, order: random() }))
      .sort((a, b) => a.order - b.order)
      .map(({ concept }) => concept);
    for (const anchor of anchors) {
      const concept = conceptByKey.get(anchor.concept)!;
      authorities.push(
        makeAuthority(
          state,
          concept,
          anchor.lang,
          anchor.original ?? WITH_STATE[anchor.lang](concept.names[anchor.lang], state.names[anchor.lang]),
          anchor.en ?? WITH_STATE.en(concept.names.en, state.names.en),
        ),
      );
    }
    for (const concept of others.slice(0, count - anchors.length)) {
      const home = homeLanguage.get(state.code) ?? 'en';
      const lang = random() < 0.75 ? home : UN_LANGUAGES[Math.floor(random() * UN_LANGUAGES.length)]!;
      authorities.push(makeAuthority(state, concept, lang, WITH_STATE[lang](concept.names[lang], state.names[lang]), WITH_STATE.en(concept.names.en, state.names.en)));
    }
  });
  return authorities;
}

// ---------------------------------------------------------------------------------------------
// Queries

interface Query {
  label: string;
  q: string;
  expect: { kind: SearchHit['kind']; ref: string };
}

const state = (ref: string) => ({ kind: 'state' as const, ref });
const authority = (stateCode: string, concept: string) => ({ kind: 'authority' as const, ref: authorityId(stateCode, concept) });

const QUERIES: Query[] = [
  { label: 'exact en', q: 'Russian Federation', expect: state('RUS') },
  { label: 'exact fr', q: 'Fédération de Russie', expect: state('RUS') },
  { label: 'exact ru', q: 'Российская Федерация', expect: state('RUS') },
  { label: 'exact zh', q: '俄罗斯联邦', expect: state('RUS') },
  { label: 'exact ar, hamza', q: 'الإمارات العربية المتحدة', expect: state('ARE') },
  { label: 'ar, no hamza', q: 'الامارات', expect: state('ARE') },
  { label: 'no accent/apostrophe', q: 'cote divoire', expect: state('CIV') },
  { label: 'alias', q: 'Turkey', expect: state('TUR') },
  { label: 'alias, 2 letters', q: 'UK', expect: state('GBR') },
  { label: 'alias zh', q: '玻利维亚', expect: state('BOL') },
  { label: 'short name', q: 'Niger', expect: state('NER') },
  { label: 'typo', q: 'Bolvia', expect: state('BOL') },
  { label: 'typo', q: 'Rusian Federation', expect: state('RUS') },
  { label: 'typo', q: 'Kazakstan', expect: state('KAZ') },
  { label: 'prefix', q: 'Germ', expect: state('DEU') },
  { label: 'prefix ru', q: 'Герм', expect: state('DEU') },
  { label: 'authority ru', q: 'Генеральная прокуратура Российской Федерации', expect: authority('RUS', 'prosecutor') },
  { label: 'authority zh', q: '最高人民检察院', expect: authority('CHN', 'prosecutor') },
  { label: 'authority zh + State', q: '俄罗斯联邦司法部', expect: authority('RUS', 'moj') },
  { label: 'authority ar', q: 'وزارة العدل مصر', expect: authority('EGY', 'moj') },
  { label: 'authority ar, ه for ة', q: 'وزاره العدل مصر', expect: authority('EGY', 'moj') },
  { label: 'authority ar, no hamza', q: 'الادارة العامة للتعاون الدولي المغرب', expect: authority('MAR', 'coop') },
  { label: 'authority fr, no accents', q: 'entraide penale internationale', expect: authority('FRA', 'moj') },
  { label: 'authority es', q: 'Fiscalía General del Estado', expect: authority('ESP', 'prosecutor') },
  { label: 'authority en + State', q: 'Ministry of Justice Kenya', expect: authority('KEN', 'moj') },
  { label: 'authority en, typos', q: 'Minstry of Justce Kenya', expect: authority('KEN', 'moj') },
  { label: 'authority en, prefixes', q: 'Financial Intel Ghana', expect: authority('GHA', 'fiu') },
];

// ---------------------------------------------------------------------------------------------
// The contenders

/** What the app runs: listStates asks for States only, listAuthorities for authorities only. */
function indexFirstHit(index: SearchIndex, query: Query): { ref?: string; count: number } {
  const hits = searchIndex(index, query.q, (hit) => hit.kind === query.expect.kind);
  return { ref: hits[0]?.ref, count: hits.length };
}

interface ScanDocument {
  ref: string;
  text: string;
  folded: string;
}

function scanDocuments(states: State[], authorities: Authority[]): Record<SearchHit['kind'], ScanDocument[]> {
  const document = (ref: string, text: string) => ({ ref, text, folded: foldText(text) });
  return {
    state: states.map((s) => document(s.code, [...UN_LANGUAGES.map((lang) => s.names[lang]), ...s.aliases, s.code, s.iso2 ?? ''].join(' \n '))),
    authority: authorities.map((a) => document(a.id, `${a.name.original} \n ${a.name.en}`)),
  };
}

const queryWords = (q: string) => foldText(q).split(/\s+/).filter(Boolean);

/** The baseline: fold every name now, keep those containing every query word, in data order. */
function naiveScan(documents: ScanDocument[], q: string): { ref?: string; count: number } {
  const needles = queryWords(q);
  const hits = documents.filter((document) => {
    const folded = foldText(document.text);
    return needles.every((needle) => folded.includes(needle));
  });
  return { ref: hits[0]?.ref, count: hits.length };
}

/** The same scan over names folded in advance. */
function prefoldedScan(documents: ScanDocument[], q: string): { ref?: string; count: number } {
  const needles = queryWords(q);
  const hits = documents.filter((document) => needles.every((needle) => document.folded.includes(needle)));
  return { ref: hits[0]?.ref, count: hits.length };
}

// ---------------------------------------------------------------------------------------------

function main(): void {
  const started = performance.now();
  const { gc, how } = findGc();
  const states = loadStates();
  const authorities = generateAuthorities(states);
  const byLanguage = new Map<string, number>();
  for (const a of authorities) byLanguage.set(a.name.originalLanguage, (byLanguage.get(a.name.originalLanguage) ?? 0) + 1);

  console.log('Search benchmark: MiniSearch index (buildSearchIndex/searchIndex) vs naive linear scan');
  console.log(`node ${process.version}, ${process.platform}/${process.arch}; ${ROUNDS} timed rounds after ${WARMUP_ROUNDS} warm-up rounds, contenders interleaved (order alternates each round)`);
  console.log(
    `directory: ${states.length} States, ${authorities.length} synthetic authorities (original language: ${UN_LANGUAGES.map((lang) => `${lang} ${byLanguage.get(lang) ?? 0}`).join(', ')})`,
  );
  console.log();

  // Heap retained by one index (and, for context, by the prefolded names)
  const beforeIndex = heapUsedAfterGc(gc);
  let retainedIndex: SearchIndex | undefined = buildSearchIndex(states, authorities);
  const afterIndex = heapUsedAfterGc(gc);
  const indexJsonBytes = Buffer.byteLength(JSON.stringify(retainedIndex));
  retainedIndex = undefined;
  const beforeFolded = heapUsedAfterGc(gc);
  let retainedFolded: Record<SearchHit['kind'], ScanDocument[]> | undefined = scanDocuments(states, authorities);
  const afterFolded = heapUsedAfterGc(gc);
  void retainedFolded;
  retainedFolded = undefined;

  // Build time, interleaved with folding the names once (the prefolded scan's only set-up)
  const buildTimes: number[] = [];
  const foldTimes: number[] = [];
  for (let i = 0; i < BUILD_REPEATS + 2; i++) {
    const order = i % 2 ? ['fold', 'build'] : ['build', 'fold'];
    for (const which of order) {
      const t0 = performance.now();
      if (which === 'build') buildSearchIndex(states, authorities);
      else scanDocuments(states, authorities);
      const elapsed = performance.now() - t0;
      if (i >= 2) (which === 'build' ? buildTimes : foldTimes).push(elapsed);
    }
  }
  console.log(`index build (${authorities.length + states.length} documents): median ${ms(median(buildTimes))} ms over ${buildTimes.length} builds (min ${ms(Math.min(...buildTimes))}, max ${ms(Math.max(...buildTimes))})`);
  console.log(`  for context, folding all names once for the prefolded scan: median ${ms(median(foldTimes))} ms`);
  console.log(
    `heap retained by the index: ${mb(afterIndex - beforeIndex)} (serialized index ${mb(indexJsonBytes)}); by the prefolded names: ${mb(afterFolded - beforeFolded)}  [${how}]`,
  );
  console.log();

  const index = buildSearchIndex(states, authorities);
  const documents = scanDocuments(states, authorities);
  type Contender = 'index' | 'naive' | 'prefolded';
  const contenders: Record<Contender, (query: Query) => { ref?: string; count: number }> = {
    index: (query) => indexFirstHit(index, query),
    naive: (query) => naiveScan(documents[query.expect.kind], query.q),
    prefolded: (query) => prefoldedScan(documents[query.expect.kind], query.q),
  };
  const names = Object.keys(contenders) as Contender[];
  const times = QUERIES.map(() => ({ index: [] as number[], naive: [] as number[], prefolded: [] as number[] }));
  let sink = 0;
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    QUERIES.forEach((query, q) => {
      const order = [...names];
      if ((round + q) % 2) order.reverse();
      for (const name of order) {
        const t0 = performance.now();
        sink += contenders[name](query).count;
        const elapsed = performance.now() - t0;
        if (round >= WARMUP_ROUNDS) times[q]![name].push(elapsed);
      }
    });
  }
  void sink;

  console.log('per-query median latency, ms (ratio = naive / index; > 1 means the index is faster)');
  console.log(`${'#'.padStart(2)}  ${'index'.padStart(7)}  ${'naive'.padStart(7)}  ${'ratio'.padStart(7)}  ${'prefold'.padStart(7)}  query`);
  const ratios: number[] = [];
  const totals = { index: 0, naive: 0, prefolded: 0 };
  QUERIES.forEach((query, q) => {
    const m = { index: median(times[q]!.index), naive: median(times[q]!.naive), prefolded: median(times[q]!.prefolded) };
    for (const name of names) totals[name] += m[name];
    const ratio = m.naive / m.index;
    ratios.push(ratio);
    console.log(
      `${String(q + 1).padStart(2)}  ${ms(m.index).padStart(7)}  ${ms(m.naive).padStart(7)}  ${`${ratio.toFixed(1)}x`.padStart(7)}  ${ms(m.prefolded).padStart(7)}  [${query.expect.kind === 'state' ? 'State' : 'authority'}] ${query.label}: "${query.q}"`,
    );
  });
  console.log(
    `all ${QUERIES.length} queries, sum of medians: index ${ms(totals.index)} ms, naive ${ms(totals.naive)} ms (ratio ${(totals.naive / totals.index).toFixed(1)}x), prefolded ${ms(totals.prefolded)} ms (prefolded / index ${(totals.prefolded / totals.index).toFixed(2)}x); median per-query ratio naive/index ${median(ratios).toFixed(1)}x`,
  );
  console.log();

  console.log('quality: is the expected State/authority the first hit? (the scans rank in data order; [n] = number of hits)');
  const score = { index: 0, naive: 0 };
  QUERIES.forEach((query, q) => {
    const cell = (name: 'index' | 'naive') => {
      const result = contenders[name](query);
      const ok = result.ref === query.expect.ref;
      if (ok) score[name] += 1;
      return `${ok ? 'yes' : 'NO '} [${result.count}]${ok ? '' : ` got ${result.ref ?? 'nothing'}`}`.padEnd(26);
    };
    console.log(`${String(q + 1).padStart(2)}  index ${cell('index')} naive ${cell('naive')} expected ${query.expect.ref}  "${query.q}"`);
  });
  console.log(`first hit right: index ${score.index}/${QUERIES.length}, naive scan ${score.naive}/${QUERIES.length}`);
  console.log();
  console.log(`total run time ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main();
