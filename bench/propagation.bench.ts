/**
 * Propagation benchmark: how long a change saved through one instance takes to be served by
 * another instance of the same database, idle and under load.
 *
 * Starts an embedded database on a throw-away directory, seeds the sample data, starts two server
 * processes (src/server.ts, NODE_ENV=production) on it, then ROUNDS times: saves an authority's
 * e-mail through instance A's API and polls instance B every 10 ms until B serves it. The second
 * series runs while autocannon keeps LOAD_CONNECTIONS connections busy on B (searches and the
 * home page). Prints the median, p90 and maximum delay of each series, and B's throughput.
 *
 * Run: npm run bench:propagation; BENCH_AUTHORITIES=20000 adds that many synthetic authorities
 * (bench/synthetic-directory.ts) to the sample, to see the delay at that size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';

const ROUNDS = Number(process.env.ROUNDS ?? 20);
const LOAD_CONNECTIONS = 32;
const EXTRA_AUTHORITIES = Number(process.env.BENCH_AUTHORITIES ?? 0);
const BATCH = 1000;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const [
    { default: mongoose },
    { startEmbeddedDatabase },
    { seedDirectory },
    { prepareDatabase },
    { createTestUser },
    { createApiToken },
    { startServerProcess },
    { AuthorityModel },
    { bumpVersion },
    { generateAuthorities },
  ] = await Promise.all([
    import('mongoose'),
    import('../src/shared/database/embedded-database'),
    import('../src/seeding/seed.service'),
    import('../src/setup'),
    import('../test/helpers/accounts'),
    import('../src/accounts/api-tokens.service'),
    import('../test/helpers/server-process'),
    import('../src/directory/directory.models'),
    import('../src/directory/directory.repository'),
    import('./synthetic-directory'),
  ]);
  const tmpRoot = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(tmpRoot, 'directory-propagation-'));
  const database = await startEmbeddedDatabase({ dataDir: dir });
  const stops: Array<() => Promise<void>> = [];
  try {
    const uri = `${database.uri}propagation`;
    await mongoose.connect(uri);
    await prepareDatabase();
    await seedDirectory({ sample: true });
    const extra = generateAuthorities(EXTRA_AUTHORITIES);
    for (let start = 0; start < extra.length; start += BATCH) await AuthorityModel.insertMany(extra.slice(start, start + BATCH));
    if (extra.length > 0) await bumpVersion();
    // A focal point with a second factor, as an API token of that role requires
    const focal = await createTestUser({ role: 'focal-point', states: ['FRA'] });
    const { token } = await createApiToken(focal.user, { name: 'propagation' });
    const env = { NODE_ENV: 'production', DIRECTORY_MODE: 'production', MONGODB_URI: uri, COOKIE_SECRET: 'propagation-bench-secret-0123456789', SMTP_URL: 'smtp://127.0.0.1:9' };
    const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    stops.push(a!.stop, b!.stop);
    const france = (await (await fetch(`${b!.baseUrl}/api/v1/states/FRA`)).json()) as { data: { authorities: Array<{ id: string }> } };
    const id = france.data.authorities[0]!.id;

    const series = async (label: string): Promise<number[]> => {
      const delays: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const marker = `${label}-${round}-${Date.now()}@justice.fr.example`;
        const read = ((await (await fetch(`${a!.baseUrl}/api/v1/authorities/${id}`)).json()) as { data: Record<string, unknown> }).data;
        const saved = await fetch(`${a!.baseUrl}/api/v1/authorities/${id}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ ...read, emails: [marker] }),
        });
        if (saved.status !== 200) throw new Error(`save answered ${saved.status}: ${await saved.text()}`);
        const savedAt = performance.now();
        for (;;) {
          const seen = ((await (await fetch(`${b!.baseUrl}/api/v1/authorities/${id}`)).json()) as { data: { emails: string[] } }).data.emails;
          if (seen.includes(marker)) break;
          if (performance.now() - savedAt > 30_000) throw new Error('change never reached the other instance');
          await sleep(10);
        }
        delays.push(performance.now() - savedAt);
        await sleep(150);
      }
      return delays;
    };

    const idle = await series('idle');
    let finished: (result: autocannon.Result) => void = () => undefined;
    const done = new Promise<autocannon.Result>((resolve) => (finished = resolve));
    const load = autocannon(
      { url: b!.baseUrl, connections: LOAD_CONNECTIONS, duration: 600, requests: [{ path: '/api/v1/authorities?q=justice' }, { path: '/' }, { path: '/search?q=France' }] },
      (error, result) => (error ? console.error(error) : finished(result)),
    );
    await sleep(1000);
    const loaded = await series('load');
    load.stop();
    const result = await done;
    const row = (name: string, values: number[]) => `| ${name} | ${values.length} | ${percentile(values, 50).toFixed(0)} ms | ${percentile(values, 90).toFixed(0)} ms | ${Math.max(...values).toFixed(0)} ms |`;
    console.log(`\nChange saved on instance A, first served by instance B (${ROUNDS} rounds each; ${database.engine}; ${EXTRA_AUTHORITIES} synthetic authorities beside the sample):\n`);
    console.log('| series | rounds | median | p90 | max |');
    console.log('| --- | --- | --- | --- | --- |');
    console.log(row('idle', idle));
    console.log(row(`B under load (${LOAD_CONNECTIONS} connections)`, loaded));
    console.log(`\nLoad on B meanwhile: ${result.requests.average.toFixed(0)} req/s, p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx, ${result.errors} errors.`);
  } finally {
    for (const stop of stops) await stop();
    await mongoose.disconnect().catch(() => undefined);
    await database.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
