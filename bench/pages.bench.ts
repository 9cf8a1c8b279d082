/**
 * Pages benchmark: latency and weight of the main pages and API answers, against /health.
 *
 * Starts an embedded database (FerretDB, or mongod when one is on PATH) on a throw-away directory,
 * seeds the reference data and the sample authorities, serves createApp on a loopback port and
 * requests each route from this same process with plain node:http (keep-alive, Accept-Encoding:
 * gzip). Routes are measured in interleaved rounds (ROUNDS × BATCH requests each, CONCURRENCY at
 * a time, the route order rotating every round) so a noisy neighbour hits every route alike; only
 * ratios against /health and medians are worth comparing between runs.
 *
 * The app runs as in production (NODE_ENV=production: Express caches compiled views) with its
 * request log silenced; BENCH_NODE_ENV=test measures the uncached views that tests see.
 * Stops by itself, and removes its database process and directory, also on Ctrl-C or a time-out.
 *
 * Run: npx tsx bench/pages.bench.ts
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import type { EmbeddedDatabase } from '../src/shared/database/embedded-database';

// Before the app's modules load: the logger reads LOG_LEVEL once, Express reads NODE_ENV in createApp.
process.env.NODE_ENV = process.env.BENCH_NODE_ENV ?? 'production';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';

const ROUNDS = 30;
const BATCH = 10; // requests per route per round: ROUNDS × BATCH = 300 per route
const WARMUP_BATCH = 8;
const CONCURRENCY = 4;
const WATCHDOG_MS = 180_000;
const SLOW_LINK_BITS_PER_S = 256_000;

const ROUTES = ['/health', '/', '/?lang=ru', `/search?q=${encodeURIComponent('Россия')}`, '/states/FRA', '/api/v1/states', '/api/v1/states/FRA'];
/** Not in the comparison proper: what a first visit downloads besides the HTML. */
const EXTRA_ROUTES = ['/css/main.css'];

interface Sample {
  ms: number;
  status: number;
  wireBytes: number;
  rawBytes: number;
  encoding: string;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function get(baseUrl: string, route: string, agent: http.Agent): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(`${baseUrl}${route}`, { agent, headers: { 'accept-encoding': 'gzip', accept: 'text/html,application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const ms = performance.now() - started;
        const body = Buffer.concat(chunks);
        const encoding = String(response.headers['content-encoding'] ?? 'identity');
        const rawBytes = encoding === 'gzip' ? zlib.gunzipSync(body).length : body.length;
        resolve({ ms, status: response.statusCode ?? 0, wireBytes: body.length, rawBytes, encoding });
      });
    });
    request.on('error', reject);
    request.setTimeout(30_000, () => request.destroy(new Error(`timeout on ${route}`)));
  });
}

/** `count` requests to one route, at most CONCURRENCY in flight. */
async function batch(baseUrl: string, route: string, count: number, agent: http.Agent): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      samples.push(await get(baseUrl, route, agent));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
  return samples;
}

const fmtMs = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const kb = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`);

async function main(): Promise<void> {
  const started = performance.now();
  const [{ default: mongoose }, { startEmbeddedDatabase }, { seedDirectory }, { createApp }, { invalidateDirectory }, { prepareDatabase }] = await Promise.all([
    import('mongoose'),
    import('../src/shared/database/embedded-database'),
    import('../src/seeding/seed.service'),
    import('../src/app'),
    import('../src/directory/directory-cache'),
    import('../src/setup'),
  ]);

  const tmpRoot = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(tmpRoot, 'directory-bench-'));
  let database: EmbeddedDatabase | undefined;
  let server: http.Server | undefined;
  let agent: http.Agent | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      agent?.destroy();
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeAllConnections();
        await closing;
      }
      await mongoose.disconnect().catch(() => undefined);
      await database?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    })());
  const abort = (why: string) => {
    console.error(`\n${why}: cleaning up`);
    void cleanUp().finally(() => process.exit(1));
  };
  process.once('SIGINT', () => abort('SIGINT'));
  process.once('SIGTERM', () => abort('SIGTERM'));
  const watchdog = setTimeout(() => abort(`still running after ${WATCHDOG_MS / 1000} s`), WATCHDOG_MS);
  watchdog.unref();

  try {
    const setupStarted = performance.now();
    database = await startEmbeddedDatabase({ dataDir: dir });
    mongoose.set('strictQuery', true);
    await mongoose.connect(`${database.uri}bench`, { serverSelectionTimeoutMS: 10_000 });
    invalidateDirectory();
    await prepareDatabase();
    const seeded = await seedDirectory({ sample: true });
    const app = createApp({ NODE_ENV: process.env.NODE_ENV === 'production' ? 'production' : 'test', COOKIE_SECRET: 'bench-cookie-secret-0123456789', PUBLIC_URL: 'http://localhost' });
    server = await new Promise<http.Server>((resolve, reject) => {
      const listening = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
    });
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

    console.log('Pages benchmark: latency and weight against /health (same process, loopback, keep-alive, Accept-Encoding: gzip)');
    console.log(
      `node ${process.version}; database ${database.engine}; seeded ${seeded.states} States, ${seeded.sampleAuthorities} sample authorities; NODE_ENV=${process.env.NODE_ENV} (view cache ${app.enabled('view cache') ? 'on' : 'off'}); set-up ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
    );
    console.log(`${ROUNDS} rounds × ${BATCH} requests per route (${ROUNDS * BATCH} per route), ${CONCURRENCY} in flight, route order rotating; ${WARMUP_BATCH} warm-up requests per route discarded`);
    console.log();

    const allRoutes = [...ROUTES, ...EXTRA_ROUTES];
    for (const route of allRoutes) {
      const warm = await batch(baseUrl, route, WARMUP_BATCH, agent);
      const bad = warm.find((sample) => sample.status !== 200);
      if (bad) throw new Error(`${route} answered ${bad.status}`);
    }
    const samples = new Map<string, Sample[]>(allRoutes.map((route) => [route, []]));
    const busyMs = new Map<string, number>(allRoutes.map((route) => [route, 0]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < allRoutes.length; i++) {
        const route = allRoutes[(round + i) % allRoutes.length]!;
        const batchStarted = performance.now();
        samples.get(route)!.push(...(await batch(baseUrl, route, BATCH, agent)));
        busyMs.set(route, busyMs.get(route)! + performance.now() - batchStarted);
      }
    }

    const summary = (route: string) => {
      const list = samples.get(route)!;
      const latencies = list.map((sample) => sample.ms);
      const last = list[list.length - 1]!;
      const statuses = [...new Set(list.map((sample) => sample.status))].join('/');
      return { median: percentile(latencies, 50), p95: percentile(latencies, 95), last, statuses, n: list.length, perRequest: busyMs.get(route)! / list.length };
    };
    const health = summary('/health');
    console.log(
      `${'route'.padEnd(22)} ${'n'.padStart(4)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(8)} ${'×health'.padStart(8)} ${'p95×h'.padStart(7)} ${'ms/req'.padStart(7)} ${'raw'.padStart(9)} ${'wire'.padStart(9)} ${'enc'.padStart(5)} ${'@256kbit/s'.padStart(11)}`,
    );
    for (const route of allRoutes) {
      if (route === EXTRA_ROUTES[0]) console.log('-- not compared, fetched by every first page view:');
      const s = summary(route);
      console.log(
        `${decodeURIComponent(route).padEnd(22)} ${String(s.n).padStart(4)} ${fmtMs(s.median).padStart(10)} ${fmtMs(s.p95).padStart(8)} ${`${(s.median / health.median).toFixed(1)}x`.padStart(8)} ${`${(s.p95 / health.p95).toFixed(1)}x`.padStart(7)} ${fmtMs(s.perRequest).padStart(7)} ${kb(s.last.rawBytes).padStart(9)} ${kb(s.last.wireBytes).padStart(9)} ${s.last.encoding.replace('identity', '-').padStart(5)} ${`${((s.last.wireBytes * 8) / SLOW_LINK_BITS_PER_S).toFixed(2)} s`.padStart(11)}${s.statuses === '200' ? '' : `  status ${s.statuses}`}`,
      );
    }
    console.log();
    console.log(`ms/req = wall time of the route's batches / requests, i.e. the server's (and client's) time per request; with ${CONCURRENCY} in flight on one event loop, latency is about ${CONCURRENCY}× this.`);
    console.log('raw = body bytes after decompression; wire = body bytes received (gzip when the app compressed it; headers not counted);');
    console.log(`@256kbit/s = wire bytes at 256 kbit/s, transfer only (no round trips, no TCP slow start). Ratios are median/median and p95/p95 against /health.`);
  } finally {
    await cleanUp();
    clearTimeout(watchdog);
  }
  console.log(`total run time ${((performance.now() - started) / 1000).toFixed(1)} s; database stopped, ${dir} ${fs.existsSync(dir) ? 'STILL PRESENT' : 'removed'}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
