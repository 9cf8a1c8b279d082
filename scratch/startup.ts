import { performance } from 'node:perf_hooks';
import { startEmbeddedDatabase } from '../src/shared/database/embedded-database';
import { startServerProcess } from '../test/helpers/server-process';
process.env.LOG_LEVEL = 'silent';
async function main() {
  const db = await startEmbeddedDatabase({ dataDir: '/dev/shm/perf-db' });
  for (let run = 0; run < 2; run++) {
    const t = performance.now();
    const app = await startServerProcess({ NODE_ENV: 'production', DIRECTORY_MODE: 'production', MONGODB_URI: `${db.uri}perf20k`, COOKIE_SECRET: 'load-bench-secret-0123456789abcdef', SMTP_URL: 'smtp://127.0.0.1:9' });
    const listening = performance.now() - t;
    let ready = 0;
    while (true) { const r = await fetch(app.baseUrl + '/readyz'); if (r.status === 200) { ready = performance.now() - t; break; } await new Promise((r) => setTimeout(r, 50)); }
    const s = performance.now(); const r = await fetch(app.baseUrl + '/search?q=ministry'); await r.text(); const searchMs = performance.now() - s;
    await new Promise((r) => setTimeout(r, 4000));
    const status = require('node:fs').readFileSync(`/proc/${app.child.pid}/status`, 'utf8');
    console.log(`run ${run}: listening ${listening.toFixed(0)} ms, ready ${ready.toFixed(0)} ms, first search ${searchMs.toFixed(0)} ms`, /VmRSS:\s+\d+ kB/.exec(status)![0]);
    await app.stop();
  }
  await db.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
