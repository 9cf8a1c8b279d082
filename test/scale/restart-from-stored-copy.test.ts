import mongoose from 'mongoose';
import { createApiToken } from '../../src/accounts/api-tokens.service';
import { AuthorityModel } from '../../src/directory/directory.models';
import { bumpVersion, loadDirectory, readStamp } from '../../src/directory/directory.repository';
import { storeDirectory } from '../../src/directory/snapshot.repository';
import { createTestUser } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An instance that starts reads the directory stored by another; when edits were made since, it
 * patches that copy forward instead of reading every entry (20 s at 20,000 authorities on FerretDB).
 */
describe('an instance starting after edits its stored copy does not hold', () => {
  useTestDatabase();
  const started: ServerProcess[] = [];
  let env: Record<string, string>;

  beforeAll(() => {
    const url = new URL(process.env.TEST_MONGODB_URI!);
    url.pathname = `/${mongoose.connection.name}`;
    env = { NODE_ENV: 'production', DIRECTORY_MODE: 'production', MONGODB_URI: url.toString(), COOKIE_SECRET: 'stored-copy-cookie-secret-0123456789', SMTP_URL: 'smtp://127.0.0.1:9' };
  });
  afterAll(async () => {
    await Promise.all(started.map((instance) => instance.stop()));
  });

  async function start(): Promise<ServerProcess> {
    const instance = await startServerProcess(env);
    started.push(instance);
    return instance;
  }

  async function authorityName(instance: ServerProcess, id: string): Promise<string> {
    return ((await (await fetch(`${instance.baseUrl}/api/v1/authorities/${id}`)).json()) as { data: { name: { en: string } } }).data.name.en;
  }

  it('when an authority was edited since the copy was stored, then the new instance patches the copy forward and serves the edit', async () => {
    const data = await loadDirectory();
    await storeDirectory(data);
    expect((await readStamp()).stored).toBe(data.version);
    const target = data.authorities[0]!;
    await AuthorityModel.updateOne({ _id: target.id }, { $set: { 'name.en': 'Edited after the copy was stored' } });
    const version = await bumpVersion({ authorities: [target.id] });

    const instance = await start();
    expect(instance.logs.filter((line) => line.msg === 'directory read from its stored copy and patched forward').map((line) => [line.stored, line.version])).toEqual([[data.version, version]]);
    expect(await authorityName(instance, target.id)).toBe('Edited after the copy was stored');
    await instance.stop();
  }, 90_000);

  it('when the change since the copy is not known by id, then the new instance reads every entry', async () => {
    const target = (await loadDirectory()).authorities[1]!;
    await AuthorityModel.updateOne({ _id: target.id }, { $set: { 'name.en': 'Changed behind the stamp' } });
    await bumpVersion({ whole: true });

    const instance = await start();
    expect(instance.logs.some((line) => line.msg === 'directory read from its stored copy and patched forward')).toBe(false);
    expect(await authorityName(instance, target.id)).toBe('Changed behind the stamp');
    await instance.stop();
  }, 90_000);

  it('when an instance saves an authority, then it stores that version for the next start, once, some seconds later', async () => {
    const instance = await start();
    const focal = await createTestUser({ role: 'focal-point', states: ['FRA'] });
    const { token } = await createApiToken(focal.user, { name: 'stored copy' });
    const france = (await (await fetch(`${instance.baseUrl}/api/v1/states/FRA`)).json()) as { data: { authorities: Array<{ id: string }> } };
    const id = france.data.authorities[0]!.id;
    for (const name of ['First of two saves', 'Second of two saves']) {
      const read = ((await (await fetch(`${instance.baseUrl}/api/v1/authorities/${id}`)).json()) as { data: Record<string, unknown> }).data;
      const saved = await fetch(`${instance.baseUrl}/api/v1/authorities/${id}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...read, name: { ...(read.name as object), en: name } }),
      });
      expect(saved.status).toBe(200);
    }
    const { version } = await readStamp();
    let stored = (await readStamp()).stored;
    for (let waited = 0; waited < 30_000 && stored !== version; waited += 500) {
      await pause(500);
      stored = (await readStamp()).stored;
    }
    expect(stored).toBe(version);
    expect(instance.logs.filter((line) => line.msg === 'directory snapshot stored' && (line.version as number) > version - 2).map((line) => line.version)).toEqual([version]);
  }, 90_000);
});
