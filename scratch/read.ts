import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { startEmbeddedDatabase } from '../src/shared/database/embedded-database';
process.env.LOG_LEVEL = 'silent';
async function main() {
  const db = await startEmbeddedDatabase({ dataDir: '/dev/shm/perf-db' });
  await mongoose.connect(`${db.uri}perf20k`);
  const coll = mongoose.connection.db!.collection('authorities');
  for (const bs of [101, 1000, 10000]) {
    const t = performance.now();
    const docs = await coll.find({}, { batchSize: bs }).toArray();
    console.log('batch', bs, docs.length, (performance.now() - t).toFixed(0), 'ms');
  }
  let t = performance.now();
  const ids = await coll.find({}, { projection: { _id: 1, state: 1 }, batchSize: 10000 }).toArray();
  console.log('projection', ids.length, (performance.now() - t).toFixed(0), 'ms');
  t = performance.now();
  const fra = await coll.find({ state: 'FRA' }).toArray();
  console.log('one state', fra.length, (performance.now() - t).toFixed(0), 'ms');
  t = performance.now();
  const parts = await Promise.all([0,1,2,3].map((k) => coll.find({ state: { $in: [] as string[] } }).toArray()));
  void parts;
  await mongoose.disconnect(); await db.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
