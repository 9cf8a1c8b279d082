import fs from 'node:fs';
import request from 'supertest';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

describe('explore', () => {
  useTestDatabase();
  it('dumps', async () => {
    const app = testApp();
    const out: Record<string, unknown> = {};
    for (const url of ['/api/v1/states?q=russia', '/api/v1/states/FRA', '/api/v1/states/RUS', '/api/v1/states/AFG', '/api/v1/authorities?state=FRA', '/api/v1/designations', '/api/v1/resources', '/api/v1/states/XXX', '/api/v1/states/12', '/api/v1/states?foo=1', '/api/v1/states?q[$ne]=x', '/api/v1/states?region=', '/api/v1/states/%ZZ', '/api/v1/authorities/%ZZ', '/api/v1/nothing', '/api/v1/states?q=a&q=b', '/states/FRA', '/search?q=x']) {
      const res = await request(app).get(url);
      out[url] = { status: res.status, type: res.headers['content-type'], body: res.body, text: res.type.includes('html') ? res.text.slice(0, 300) : undefined };
    }
    const list = await request(app).get('/api/v1/authorities');
    out.authorityIds = list.body.data.map((a: { id: string; state: string }) => `${a.state} ${a.id}`);
    fs.writeFileSync('/tmp/explore.json', JSON.stringify(out, null, 2));
  });
});
