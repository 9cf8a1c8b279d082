import request from 'supertest';
import { setSnapshotBuildHook } from '../../src/directory/directory-cache';
import { AuthorityModel } from '../../src/directory/directory.models';
import { bumpVersion } from '../../src/directory/directory.repository';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a new snapshot building after a write', () => {
  useTestDatabase();
  const app = testApp();
  afterEach(() => setSnapshotBuildHook(undefined));

  it('when the build is slow, then readers keep being answered from the old snapshot, and see the change once it is built', async () => {
    const before = (await request(app).get('/api/v1/states/FRA').expect(200)).body.data.authorityCount as number;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let building = false;
    setSnapshotBuildHook(async () => {
      building = true;
      await held;
    });
    // Written as another instance writes: the stamp moves, this instance finds out by checking it
    const [template] = await AuthorityModel.find({ state: 'FRA' }).limit(1).lean();
    const { _id, ...copy } = template!;
    void _id;
    await AuthorityModel.create({ ...copy, name: { ...copy.name, en: 'Added while reading' } });
    await bumpVersion();
    for (let attempt = 0; attempt < 100 && !building; attempt += 1) {
      await request(app).get('/api/v1/states/FRA?lang=fr').expect(200);
      await pause(100);
    }
    expect(building).toBe(true);

    // The build is held: these answers cannot wait for it
    const during = await request(app).get('/api/v1/states/FRA').query({ limit: 200 }).expect(200);
    expect(during.body.data.authorityCount).toBe(before);
    expect((await request(app).get('/states/FRA').expect(200)).status).toBe(200);
    expect((await request(app).get('/search').query({ q: 'France' }).expect(200)).status).toBe(200);
    expect(building).toBe(true);

    release();
    let after = before;
    for (let attempt = 0; attempt < 100 && after === before; attempt += 1) {
      await pause(100);
      after = (await request(app).get('/api/v1/states/FRA').expect(200)).body.data.authorityCount as number;
    }
    expect(after).toBe(before + 1);
  });
});
