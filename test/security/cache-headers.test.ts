import request from 'supertest';
import { createApiToken } from '../../src/accounts/api-tokens.service';
import { AuthorityModel } from '../../src/directory/directory.models';
import { testApp } from '../helpers/app';
import { createTestUser, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';

/**
 * Every GET answer that may depend on the viewer must be kept by no shared cache; anonymous
 * public answers may be. Checked for each route × viewer class.
 */
describe('caching of answers by viewer', () => {
  useTestDatabase();
  const app = testApp();
  let routes: string[];
  let viewers: Array<{ name: string; get: (url: string) => request.Test; personal: boolean }>;

  beforeAll(async () => {
    const restricted = await AuthorityModel.findOne({ state: 'RUS' }).lean();
    const open = await AuthorityModel.findOne({ state: 'FRA' }).lean();
    routes = [
      '/',
      '/search?q=justice',
      '/states/FRA',
      '/states/RUS',
      `/authorities/${String(open!._id)}`,
      `/authorities/${String(restricted!._id)}`,
      '/states/RUS/print',
      '/resources',
      '/api/v1/states',
      '/api/v1/states/RUS',
      `/api/v1/authorities/${String(restricted!._id)}`,
      '/api/v1/authorities?q=justice',
    ];
    const practitioner = await createTestUser({ role: 'practitioner' });
    const focal = await createTestUser({ role: 'focal-point', states: ['RUS'] });
    const practitionerAgent = await signedInAgent(app, practitioner);
    const focalAgent = await signedInAgent(app, focal);
    const { token } = await createApiToken(practitioner.user, { name: 'cache test' });
    viewers = [
      { name: 'anonymous', get: (url) => request(app).get(url), personal: false },
      { name: 'practitioner (session)', get: (url) => practitionerAgent.get(url), personal: true },
      { name: 'focal point (session)', get: (url) => focalAgent.get(url), personal: true },
      { name: 'practitioner (API token)', get: (url) => request(app).get(url).set('Authorization', `Bearer ${token}`), personal: true },
    ];
  });

  it('when anyone reads a page or the API, then shared caches keep only anonymous answers, and every answer varies on the viewer', async () => {
    const seen: string[] = [];
    for (const viewer of viewers) {
      for (const route of routes) {
        if (viewer.name.includes('token') && !route.startsWith('/api/')) continue;
        const res = await viewer.get(route);
        expect(res.status).toBe(200);
        const cacheControl = String(res.headers['cache-control'] ?? '');
        const vary = String(res.headers.vary ?? '').toLowerCase();
        seen.push(`${viewer.name} ${route}: ${cacheControl} | ${vary}`);
        if (viewer.personal) {
          expect([route, viewer.name, cacheControl]).toEqual([route, viewer.name, expect.stringMatching(/private|no-store/)]);
          expect(cacheControl).not.toMatch(/public/);
        } else {
          expect([route, cacheControl]).toEqual([route, expect.stringMatching(/public|private|no-store/)]);
        }
        expect([route, vary]).toEqual([route, expect.stringContaining('cookie')]);
        expect([route, vary]).toEqual([route, expect.stringContaining('authorization')]);
      }
    }
    expect(seen.length).toBeGreaterThan(30);
  });

  it('when an anonymous visitor reads a public page or the API, then it is publicly cacheable and revalidated', async () => {
    for (const route of ['/', '/states/FRA', '/api/v1/states/FRA']) {
      expect((await request(app).get(route)).headers['cache-control']).toBe('public, no-cache');
    }
  });

  it('when a page holds a form token, then no cache may keep it, even for an anonymous visitor', async () => {
    expect((await request(app).get('/sign-in')).headers['cache-control']).toBe('no-store');
  });
});
