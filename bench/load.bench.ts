/**
 * Load benchmark: the whole app in production mode under autocannon, against a bare Express 5
 * "hello" server measured in the same run (ratio 1.00).
 *
 * Starts an embedded database on a throw-away directory; for each size, loads the reference data
 * (States, designations, resources) and that many synthetic authorities (bench/synthetic-directory.ts)
 * into a database of its own, starts the real server as production runs it (npm run build, then
 * dist/src/server.js, NODE_ENV=production) in a child process on it, and runs autocannon with
 * CONNECTIONS connections for DURATION seconds against each target in turn (after one unrecorded
 * second), the hello server before and after the app (the baseline is the mean of the two: the
 * machine may be shared). Requests accept brotli and gzip as browsers do, and the home page is
 * also asked for uncompressed. Prints one table per size: requests per second, p50, p99, the
 * ratio to hello, the answer's size (uncompressed body) and the bytes sent per answer (headers
 * included); then the start-up times (spawn to the "Directory listening" log line) of a first
 * start, which reads every entry from the database, and of a restart, which reads the stored
 * snapshot; the time until the first search is answered (its index built); and the app process's
 * RSS after the load.
 *
 * Run: npm run bench:load; BENCH_SIZES=200,2000 (default 200,2000,20000) chooses the sizes,
 * BENCH_DURATION=seconds (default 5) the time per target.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { generateAuthorities } from './synthetic-directory';

process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';

const SIZES = (process.env.BENCH_SIZES ?? '200,2000,20000').split(',').map((size) => Number(size.trim()));
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = 64;
const BATCH = 1000;

/** What Chromium sends: every answer the Directory keeps is sent compressed to such a reader. */
const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };
const IDENTITY = { 'accept-encoding': 'identity' };

interface Target {
  label: string;
  path: string;
  headers?: Record<string, string>;
}

const TARGETS: Target[] = [
  { label: 'home', path: '/' },
  { label: 'home, uncompressed', path: '/', headers: IDENTITY },
  { label: 'State page', path: '/states/FRA' },
  { label: 'search: State in Cyrillic', path: `/search?q=${encodeURIComponent('Франция')}` },
  { label: 'search: typo', path: '/search?q=Frnace' },
  { label: "search: an authority's words", path: `/search?q=${encodeURIComponent('Ministry of Justice Kenya')}` },
  { label: 'API States', path: '/api/v1/states' },
  { label: 'API authorities', path: '/api/v1/authorities' },
  { label: 'API one State', path: '/api/v1/states/FRA' },
];

interface Measure extends Target {
  rps: number;
  p50: number;
  p99: number;
  bytes: number;
  sent: number;
  failures: number;
}

/** A bare Express 5 app answering "hello", in a child process of its own like the app. */
async function startHello(port: number): Promise<() => void> {
  const source = `const express = require('express'); const app = express(); app.get('/', (req, res) => { res.send('hello'); }); app.listen(${port}, '127.0.0.1', () => console.log('listening'));`;
  const child = spawn(process.execPath, ['-e', source], { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`hello server exited with ${code}`)));
  });
  return () => child.kill('SIGKILL');
}

async function measure(baseUrl: string, target: Target): Promise<Measure> {
  const check = await fetch(`${baseUrl}${target.path}`, { headers: IDENTITY });
  const body = await check.arrayBuffer();
  if (check.status !== 200) throw new Error(`${target.path} answered ${check.status}`);
  const options = { url: `${baseUrl}${target.path}`, connections: CONNECTIONS, headers: target.headers ?? BROWSER };
  // One second unrecorded first, so the JIT and the app's caches are warm
  await autocannon({ ...options, duration: 1 });
  const result = await autocannon({ ...options, duration: DURATION });
  return {
    ...target,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytes: body.byteLength,
    sent: result.throughput.total / Math.max(1, result.requests.total),
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** Seconds from `since` until a search is answered: the first search waits for its index. */
async function firstSearchAnswered(baseUrl: string, since: number): Promise<number> {
  const answer = await fetch(`${baseUrl}/search?q=Frnace`);
  await answer.arrayBuffer();
  return (performance.now() - since) / 1000;
}

/** Resident set size of a process, from /proc (Linux). */
function rssBytes(pid: number): number | undefined {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : undefined;
}

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} B`);

async function main(): Promise<void> {
  const [{ default: mongoose }, { startEmbeddedDatabase }, { seedDirectory }, { prepareDatabase }, { AuthorityModel }, { bumpVersion }, { startServerProcess, freePort }] = await Promise.all([
    import('mongoose'),
    import('../src/shared/database/embedded-database'),
    import('../src/seeding/seed.service'),
    import('../src/setup'),
    import('../src/directory/directory.models'),
    import('../src/directory/directory.repository'),
    import('../test/helpers/server-process'),
  ]);
  const built = spawnSync('npm', ['run', 'build'], { cwd: path.join(__dirname, '..'), stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
  const tmpRoot = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(tmpRoot, 'directory-load-'));
  const database = await startEmbeddedDatabase({ dataDir: dir });
  const helloPort = await freePort();
  const stopHello = await startHello(helloPort);
  try {
    for (const count of SIZES) {
      const uri = `${database.uri}load${count}`;
      const loadStarted = performance.now();
      await mongoose.connect(uri);
      await prepareDatabase();
      await seedDirectory({ sample: false });
      const authorities = generateAuthorities(count);
      for (let start = 0; start < authorities.length; start += BATCH) await AuthorityModel.insertMany(authorities.slice(start, start + BATCH));
      await bumpVersion();
      await mongoose.disconnect();
      const loadSeconds = (performance.now() - loadStarted) / 1000;

      const env = { NODE_ENV: 'production', DIRECTORY_MODE: 'production', MONGODB_URI: uri, COOKIE_SECRET: 'load-bench-secret-0123456789abcdef', SMTP_URL: 'smtp://127.0.0.1:9' };
      // A first start reads every entry and stores a snapshot; a restart reads that snapshot
      const coldSpawned = performance.now();
      const cold = await startServerProcess(env, { compiled: true });
      const coldStartup = (performance.now() - coldSpawned) / 1000;
      await firstSearchAnswered(cold.baseUrl, coldSpawned);
      while (!cold.logs.some((line) => line.msg === 'directory snapshot stored')) await new Promise((resolve) => setTimeout(resolve, 100));
      await cold.stop();
      const spawned = performance.now();
      const app = await startServerProcess(env, { compiled: true });
      const startup = (performance.now() - spawned) / 1000;
      const searchable = await firstSearchAnswered(app.baseUrl, spawned);
      try {
        const helloTarget = { label: 'bare Express hello', path: '/' };
        const load = os.loadavg()[0]!;
        const rows: Measure[] = [await measure(`http://127.0.0.1:${helloPort}`, helloTarget)];
        for (const target of TARGETS) rows.push(await measure(app.baseUrl, target));
        const rss = rssBytes(app.child.pid!);
        // The machine is shared: hello is measured before and after the app, the baseline is their mean
        rows.push({ ...(await measure(`http://127.0.0.1:${helloPort}`, helloTarget)), label: 'bare Express hello, again' });
        const hello = (rows[0]!.rps + rows.at(-1)!.rps) / 2;
        console.log(`\n### ${count.toLocaleString('en')} authorities (${CONNECTIONS} connections, ${DURATION} s per target; ${database.engine}; load average ${load.toFixed(1)} on ${os.cpus().length} cores)\n`);
        console.log('| target | path | req/s | p50 | p99 | vs hello | answer | sent |');
        console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
        for (const row of rows) {
          const failed = row.failures ? ` (${row.failures} failed)` : '';
          console.log(`| ${row.label} | \`${decodeURIComponent(row.path)}\` | ${row.rps.toFixed(0)}${failed} | ${row.p50} ms | ${row.p99} ms | ${(row.rps / hello).toFixed(2)} | ${size(row.bytes)} | ${size(Math.round(row.sent))} |`);
        }
        console.log(`\nStart-up (spawn to "Directory listening"): first start ${coldStartup.toFixed(1)} s, restart ${startup.toFixed(1)} s; first search answered ${searchable.toFixed(1)} s after the restart's spawn; app RSS after the load: ${rss ? size(rss) : 'unknown'}; data loaded in ${loadSeconds.toFixed(1)} s.`);
      } finally {
        await app.stop();
      }
    }
  } finally {
    stopHello();
    await mongoose.disconnect().catch(() => undefined);
    await database.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
