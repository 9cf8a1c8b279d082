import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import request from 'supertest';
import { invalidateDirectory } from '../../src/directory/directory-cache';
import { seedDirectory } from '../../src/seeding/seed.service';
import { DRIVER_OPTIONS } from '../../src/shared/database/connection';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/shared/database/embedded-database';
import { databaseUnavailableSince } from '../../src/shared/database/availability';
import { prepareDatabase } from '../../src/setup';
import { testApp } from '../helpers/app';

/** Asks `probe` again until it is true; fails the test if it never becomes so. */
async function eventually(probe: () => Promise<boolean>, attempts = 60): Promise<void> {
  for (let i = 0; i < attempts; i += 1) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('condition never held');
}

describe('a database outage with the app running', () => {
  const dir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'directory-outage-'));
  let database: EmbeddedDatabase;
  let port: number;
  const app = testApp();

  beforeAll(async () => {
    database = await startEmbeddedDatabase({ dataDir: dir });
    port = Number(new URL(database.uri).port);
    await mongoose.connect(`${database.uri}outage`, DRIVER_OPTIONS);
    invalidateDirectory();
    await prepareDatabase();
    await seedDirectory({ sample: true });
    expect((await request(app).get('/readyz')).status).toBe(200);
    expect((await request(app).get('/')).status).toBe(200);
  });

  afterAll(async () => {
    await mongoose.disconnect();
    await database.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when the database stops answering without closing its connections, then readiness and the pages say so together, and both clear once it answers', async () => {
    process.kill(database.pid, 'SIGSTOP');
    try {
      expect((await request(app).get('/readyz')).status).toBe(503);
      expect(databaseUnavailableSince()).toBeDefined();
      const page = await request(app).get('/');
      expect(page.status).toBe(200);
      expect(page.text).toContain('stale-banner');
    } finally {
      process.kill(database.pid, 'SIGCONT');
    }
    await eventually(async () => (await request(app).get('/readyz')).status === 200);
    expect(databaseUnavailableSince()).toBeUndefined();
    await eventually(async () => !(await request(app).get('/')).text.includes('stale-banner'));
  });

  it('when the database is killed, then reads answer from memory marked stale, writes 503 with Retry-After, readiness 503, and all recovers after a restart', async () => {
    process.kill(database.pid, 'SIGKILL');
    await eventually(async () => (await request(app).get('/readyz')).status === 503);

    const page = await request(app).get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('stale-banner');

    const api = await request(app).get('/api/v1/states');
    expect(api.status).toBe(200);
    expect(api.headers['x-directory-stale-since']).toMatch(/^\d{4}-\d\d-\d\dT/);

    const signIn = await request(app).post('/sign-in').type('form').send({ email: 'someone@test.example', password: 'x' });
    expect([503, 403]).toContain(signIn.status);
    const write = await request(app).post('/api/v1/authorities').set('Authorization', 'Bearer cad_unknown').send({});
    expect(write.status).toBe(503);
    expect(write.headers['retry-after']).toBeDefined();
    expect(write.body.error.code).toBe('service_unavailable');
    expect(databaseUnavailableSince()).toBeDefined();

    const healthz = await request(app).get('/healthz');
    expect(healthz.status).toBe(200);

    database = await startEmbeddedDatabase({ dataDir: dir, port });
    await eventually(async () => (await request(app).get('/readyz')).status === 200);
    await eventually(async () => !(await request(app).get('/')).text.includes('stale-banner'));
    expect((await request(app).get('/api/v1/states')).headers['x-directory-stale-since']).toBeUndefined();
  });
});
