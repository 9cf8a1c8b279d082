import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import request from 'supertest';
import { invalidateDirectory } from '../../src/directory/directory-cache';
import { AuthorityModel } from '../../src/directory/directory.models';
import { bumpVersion } from '../../src/directory/directory.repository';
import { assetUrl } from '../../src/shared/static-assets';
import { testApp } from '../helpers/app';
import { createTestUser, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

describe('the cached public read path', () => {
  useTestDatabase();
  const app = testApp();

  /** The bytes as sent: supertest and fetch would decompress them. */
  const rawGet = async (url: string, headers: Record<string, string>) => {
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const { port } = server.address() as AddressInfo;
      return await new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: url, headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  };

  it('when an anonymous visitor reads a page twice, then the second answer comes from the cache with the same strong ETag', async () => {
    const first = await request(app).get('/states/FRA');
    const second = await request(app).get('/states/FRA');
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['cache-control']).toBe('public, no-cache');
    expect(String(second.headers.vary).toLowerCase()).toContain('cookie');
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(second.headers['set-cookie']).toBeUndefined();
  });

  it('when a page is served from the cache, then it carries the same security headers as when it was rendered', async () => {
    const first = await request(app).get('/states/ITA');
    const second = await request(app).get('/states/ITA');
    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['miss', 'hit']);
    for (const header of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-opener-policy', 'content-language', 'content-type']) {
      expect([header, second.headers[header]]).toEqual([header, first.headers[header]]);
    }
    expect(second.headers['content-security-policy']).toContain("default-src 'self'");
    expect(String(second.headers.vary)).toMatch(/Accept-Encoding/);
  });

  it('when readers accept brotli or gzip, then they get the stored page compressed, with a validator of its own that gives a 304', async () => {
    const plain = await request(app).get('/states/ESP').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const [coding, decode] of [['br', zlib.brotliDecompressSync], ['gzip', zlib.gunzipSync]] as const) {
      const compressed = await rawGet('/states/ESP', { 'accept-encoding': `${coding}, identity` });
      expect([coding, compressed.headers['content-encoding']]).toEqual([coding, coding]);
      const body = compressed.body;
      expect(Number(compressed.headers['content-length'])).toBe(body.length);
      expect(body.length).toBeLessThan(Buffer.byteLength(plain.text) / 3);
      expect(decode(body).toString()).toBe(plain.text);
      expect(compressed.headers.etag).not.toBe(plain.headers.etag);
      const again = await request(app).get('/states/ESP').set('Accept-Encoding', coding).set('If-None-Match', String(compressed.headers.etag));
      expect([coding, again.status]).toEqual([coding, 304]);
    }
  });

  it('when many visitors ask at once for a page not yet cached, then it is rendered once and the others get that copy', async () => {
    const burst = await Promise.all(Array.from({ length: 12 }, () => request(app).get('/states/DEU').set('Accept-Language', 'es')));
    expect(burst.map((res) => res.status)).toEqual(Array(12).fill(200));
    expect(burst.map((res) => res.headers['x-cache']).sort()).toEqual([...Array(11).fill('hit'), 'miss']);
    expect(new Set(burst.map((res) => res.text)).size).toBe(1);
    // an answer that is not kept (here a 404) lets each waiting visitor be answered on its own
    const missing = await Promise.all(Array.from({ length: 6 }, () => request(app).get('/states/XYZ')));
    expect(missing.map((res) => res.status)).toEqual(Array(6).fill(404));
  });

  it('when a visitor sends the ETag back, then the answer is 304 without a body, for pages and the API', async () => {
    for (const url of ['/', '/api/v1/states/FRA']) {
      const first = await request(app).get(url);
      const again = await request(app).get(url).set('If-None-Match', String(first.headers.etag));
      expect([url, again.status]).toEqual([url, 304]);
      expect(again.text ?? '').toBe('');
      const changed = await request(app).get(url).set('If-None-Match', '"something-else"');
      expect([url, changed.status]).toEqual([url, 200]);
    }
  });

  it('when languages differ, then each language has its own copy', async () => {
    const english = await request(app).get('/').set('Accept-Language', 'en');
    const french = await request(app).get('/').set('Accept-Language', 'fr');
    const frenchAgain = await request(app).get('/').set('Cookie', 'lang=fr');
    expect(english.text).toContain('lang="en"');
    expect(french.text).toContain('lang="fr"');
    expect(frenchAgain.text).toContain('lang="fr"');
    expect(french.headers.etag).not.toBe(english.headers.etag);
  });

  it('when the directory changes, then the next anonymous answer shows the change', async () => {
    const authority = await AuthorityModel.findOne({ state: 'FRA' });
    await request(app).get('/states/FRA');
    expect((await request(app).get('/states/FRA')).headers['x-cache']).toBe('hit');
    authority!.set('name.original', 'Renamed Central Authority for the cache test');
    authority!.set('name.en', 'Renamed Central Authority for the cache test');
    await authority!.save();
    await bumpVersion();
    invalidateDirectory();
    const after = await request(app).get('/states/FRA');
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.text).toContain('Renamed Central Authority for the cache test');
  });

  it('when a signed-in viewer or a token holder reads a page, then the anonymous copy is never served, nor theirs kept', async () => {
    await request(app).get('/states/RUS');
    const practitioner = await createTestUser({ role: 'practitioner' });
    const agent = await signedInAgent(app, practitioner);
    for (let round = 0; round < 2; round += 1) {
      const res = await agent.get('/states/RUS');
      expect(res.status).toBe(200);
      expect(res.headers['x-cache']).toBeUndefined();
      expect(res.headers['cache-control']).toMatch(/private|no-store/);
    }
    const anonymous = await request(app).get('/states/RUS');
    expect(anonymous.headers['x-cache']).toBe('hit');
    const bearer = await request(app).get('/api/v1/states/RUS').set('Authorization', 'Bearer not-a-token');
    expect(bearer.headers['x-cache']).toBeUndefined();
  });

  it('when a page holds a form token, then it is never kept', async () => {
    await request(app).get('/sign-in');
    const again = await request(app).get('/sign-in');
    expect(again.headers['x-cache']).toBeUndefined();
    expect(again.headers['cache-control']).toBe('no-store');
  });

  it('when the layout links the style sheet, then its URL holds a content hash and is served immutable', async () => {
    const home = await request(app).get('/');
    const url = assetUrl('/css/main.css');
    expect(url).toMatch(/^\/css\/main\.css\?v=[A-Za-z0-9_-]{12}$/);
    expect(page(home.text).attrs('link[rel="stylesheet"]', 'href')).toContain(url);
    const css = await request(app).get(url);
    expect(css.status).toBe(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await request(app).get('/css/main.css')).headers['cache-control']).not.toContain('immutable');
  });
});
