import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { ConfigurationError } from '../../src/config';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/shared/database/embedded-database';
import { PROJECT_ROOT } from '../../src/shared/paths';

const FERRETDB = path.join(PROJECT_ROOT, '.tools', 'bin', 'ferretdb');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (condition: () => Promise<boolean> | boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
/** A process id that no longer runs. */
const deadPid = () => spawnSync('true').pid!;

describe('the embedded database', () => {
  const dirs: string[] = [];
  const started: EmbeddedDatabase[] = [];
  const dataDir = () => {
    const dir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'embedded-test-'));
    dirs.push(dir);
    return dir;
  };

  afterAll(async () => {
    for (const database of started) await database.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when the supervised server dies, then it is restarted on the same port and clients carry on', async () => {
    const database = await startEmbeddedDatabase({ dataDir: dataDir(), supervise: true });
    started.push(database);
    const client = new mongoose.mongo.MongoClient(`${database.uri}probe`, { serverSelectionTimeoutMS: 20_000 });
    try {
      await client.db().collection('things').insertOne({ kept: true });
      const first = database.pid;
      process.kill(first, 'SIGKILL');
      await until(() => database.pid !== first);
      expect(await client.db().collection('things').countDocuments({ kept: true })).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('when an earlier run was killed and left its server running, then the next start stops it, and only one serves the files', async () => {
    const dir = dataDir();
    const orphan = spawn(FERRETDB, ['--listen-addr=127.0.0.1:0', `--sqlite-url=file:${dir}/`, '--log-level=error'], { stdio: 'ignore', detached: true });
    await until(() => alive(orphan.pid!));
    fs.writeFileSync(path.join(dir, 'embedded-database.json'), JSON.stringify({ appPid: deadPid(), dbPid: orphan.pid, port: 1 }));
    const database = await startEmbeddedDatabase({ dataDir: dir });
    started.push(database);
    await until(() => orphan.exitCode !== null || orphan.signalCode !== null);
    expect(database.pid).not.toBe(orphan.pid);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'embedded-database.json'), 'utf8'))).toMatchObject({ appPid: process.pid, dbPid: database.pid });
  });

  it('when another live Directory process uses the files, then start-up refuses, naming DATA_DIR', async () => {
    const dir = dataDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(path.join(dir, 'embedded-database.json'), JSON.stringify({ appPid: other.pid, dbPid: deadPid(), port: 1 }));
      const refused = await startEmbeddedDatabase({ dataDir: dir }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ConfigurationError);
      expect(String((refused as Error).message)).toMatch(/DATA_DIR: .* is in use by another Directory process/);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('when it stops with the app, then its record of processes goes too', async () => {
    const dir = dataDir();
    const database = await startEmbeddedDatabase({ dataDir: dir, supervise: true });
    const pid = database.pid;
    await database.stop();
    expect(alive(pid)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'embedded-database.json'))).toBe(false);
  });
});
