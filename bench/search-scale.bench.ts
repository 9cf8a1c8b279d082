/**
 * Search at scale: the directory's search in process (the States' index and the public
 * authorities' index searched together, as the search page does) at 200, 2,000 and 20,000
 * synthetic authorities (bench/synthetic-directory.ts), against a linear scan of the same
 * authorities for the query's folded words run in the same rounds (the baseline, ratio 1.00:
 * what each search would cost without an index; the machine is shared, so only figures of one
 * run compare).
 *
 * Prints, per size: the time to build the indexes, the heap they hold, and per query the hits and
 * the p50 and p99 of ROUNDS searches, beside the scan's p50.
 *
 * Run: npm run bench:search-scale; BENCH_SIZES=20000 chooses the sizes, BENCH_ROUNDS=n (default 300)
 * the searches per query. Heap figures need a callable gc (bench/heap.ts: --expose-gc, or switched on at run time).
 */
import { performance } from 'node:perf_hooks';
import { buildDirectorySearch, searchIndexes } from '../src/directory/search-index';
import type { Authority } from '../src/directory/directory.types';
import { foldText, words } from '../src/shared/text';
import { findGc, heapUsedAfterGc } from './heap';
import { generateAuthorities, loadStates } from './synthetic-directory';

const SIZES = (process.env.BENCH_SIZES ?? '200,2000,20000').split(',').map((size) => Number(size.trim()));
const ROUNDS = Math.max(10, Number(process.env.BENCH_ROUNDS ?? 300));
const QUERIES = ['Франция', 'Frnace', 'Ministry of Justice Kenya', 'fiscalía general', '司法部', 'ministry', 'person1.central@moj.ke.example'];

const { gc, how: gcHow } = findGc();
const heapAfterGc = () => heapUsedAfterGc(gc);

const percentile = (sorted: number[], share: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!;
const ms = (value: number) => `${value.toFixed(value >= 10 ? 1 : 2)} ms`;

/** The baseline: every authority whose name, people, addresses or city hold each folded word of the query. */
function scan(authorities: Authority[], query: string): number {
  const sought = words(query).map(foldText);
  return authorities.filter((authority) => {
    const text = foldText([authority.name.original, authority.name.en, authority.address.city, ...authority.emails, ...authority.contactPersons.map((person) => person.name)].join(' '));
    return sought.every((word) => text.includes(word));
  }).length;
}

async function main(): Promise<void> {
  const states = loadStates();
  console.log(`Heap figures: ${gcHow}`);
  for (const size of SIZES) {
    const authorities = generateAuthorities(size).map((authority, at) => ({ ...authority, id: `a${at}` }));
    const before = heapAfterGc();
    const started = performance.now();
    const search = buildDirectorySearch(states, authorities);
    const publicAuthorities = await search.authoritiesVisibleWith([]);
    const built = performance.now() - started;
    const held = heapAfterGc() - before;
    const targets = [
      { index: search.states, accept: (hit: { kind: string }) => hit.kind === 'state' },
      { index: publicAuthorities, accept: () => true },
    ];
    console.log(`\n### ${size.toLocaleString('en')} authorities: indexes built in ${(built / 1000).toFixed(1)} s, holding ${(held / 1024 / 1024).toFixed(1)} MB of heap\n`);
    console.log('| query | hits | p50 | p99 | scan p50 | scan / p50 |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const query of QUERIES) {
      const times: number[] = [];
      const scans: number[] = [];
      let hits = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        const at = performance.now();
        hits = searchIndexes(targets, query).length;
        times.push(performance.now() - at);
        // The scan is slow at 20,000; one in ten rounds is enough for its median
        if (round % 10 === 0) {
          const scanned = performance.now();
          scan(authorities, query);
          scans.push(performance.now() - scanned);
        }
      }
      times.sort((a, b) => a - b);
      scans.sort((a, b) => a - b);
      const p50 = percentile(times, 0.5);
      console.log(`| \`${query}\` | ${hits} | ${ms(p50)} | ${ms(percentile(times, 0.99))} | ${ms(percentile(scans, 0.5))} | ${(percentile(scans, 0.5) / p50).toFixed(1)} |`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
