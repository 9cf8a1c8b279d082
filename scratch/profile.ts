import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { startEmbeddedDatabase } from '../src/shared/database/embedded-database';
import { seedDirectory } from '../src/seeding/seed.service';
import { prepareDatabase } from '../src/setup';
import { AuthorityModel } from '../src/directory/directory.models';
import { bumpVersion, loadDirectory } from '../src/directory/directory.repository';
import { buildDirectorySearch } from '../src/directory/search-index';
import { generateAuthorities } from '../bench/synthetic-directory';
process.env.LOG_LEVEL = 'silent';
const mb = () => `${(process.memoryUsage().rss / 1048576).toFixed(0)} MB rss, heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`;
async function main() {
  const dir = '/dev/shm/perf-db';
  fs.mkdirSync(dir, { recursive: true });
  const db = await startEmbeddedDatabase({ dataDir: dir });
  console.log('uri', db.uri);
  await mongoose.connect(`${db.uri}perf20k`);
  if ((await AuthorityModel.estimatedDocumentCount()) < 20000) {
    await prepareDatabase(); await seedDirectory({ sample: false });
    const a = generateAuthorities(20000);
    for (let s = 0; s < a.length; s += 1000) await AuthorityModel.insertMany(a.slice(s, s + 1000));
    await bumpVersion();
  }
  console.log('start', mb());
  let t = performance.now();
  const data = await loadDirectory();
  console.log('loadDirectory', (performance.now() - t).toFixed(0), 'ms', mb());
  t = performance.now();
  const search = buildDirectorySearch(data.states, data.authorities);
  console.log('buildDirectorySearch', (performance.now() - t).toFixed(0), 'ms', mb());
  void search;
  global.gc?.();
  console.log('after gc', mb());
  await mongoose.disconnect(); await db.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
