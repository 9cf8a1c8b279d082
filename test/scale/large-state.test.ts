import request from 'supertest';
import { AuthorityModel } from '../../src/directory/directory.models';
import { bumpVersion } from '../../src/directory/directory.repository';
import { invalidateDirectory } from '../../src/directory/directory-cache';
import { STATE_PAGE_SIZE } from '../../src/directory/directory.routes';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

/** The most a public answer may weigh, uncompressed, however many authorities a State has (the exports aside). */
const MAX_ANSWER_BYTES = 100 * 1024;
const MANY = 2000;

/** `count` authorities of one State, each with the fields a real entry has, under one or two designations. */
function authoritiesOf(state: string, count: number) {
  const codes = ['UNTOC-18-13', 'UNTOC-16', 'UNTOC-17'];
  return Array.from({ length: count }, (_, i) => ({
    state,
    designations: i % 4 === 0 ? [codes[i % 3]!, codes[(i + 1) % 3]!] : [codes[i % 3]!],
    name: { original: `Bureau régional de coopération judiciaire ${i}`, originalLanguage: 'fr', en: `Regional judicial cooperation office ${i}` },
    kind: 'ministry-of-justice',
    address: { lines: [`${i} rue de l'Exemple`], city: 'Paris', country: state },
    phones: [{ number: `+442079460${String(i % 1000).padStart(3, '0')}`, label: 'Office' }],
    emails: [`office${i}@justice.example`],
    languages: ['fr', 'en'],
    channels: ['post', 'email'],
    urgent: { accepted: true, means: ['email'] },
    contactPersons: [{ name: 'Marie Dupont (exemple)', title: 'Head of unit (sample)', phones: [], emails: [`person${i}@justice.example`], languages: ['fr'] }],
    updatedAt: new Date(Date.UTC(2026, 0, 1)),
    sample: true,
    version: 0,
  }));
}

/** The authorities a State page shows: each once, though its card is repeated under each of its designations. */
const authoritiesOn = (html: ReturnType<typeof page>) => [...new Set(html.attrs('article.authority h3 a', 'href'))];

describe('a State with thousands of authorities', () => {
  useTestDatabase();
  const app = testApp();

  beforeAll(async () => {
    const authorities = authoritiesOf('FRA', MANY);
    for (let start = 0; start < authorities.length; start += 500) await AuthorityModel.insertMany(authorities.slice(start, start + 500));
    await bumpVersion();
    invalidateDirectory();
  }, 60_000);

  it('when its page is read, then it holds one page of authority cards under their designations, under the size limit', async () => {
    const res = await request(app).get('/states/FRA').expect(200);
    expect(Buffer.byteLength(res.text)).toBeLessThan(MAX_ANSWER_BYTES);
    const html = page(res.text);
    expect(authoritiesOn(html)).toHaveLength(STATE_PAGE_SIZE);
    expect(html.count('details.designation')).toBeGreaterThan(0);
    expect(html.attr('nav.pagination a[rel="next"]', 'href')).toBe('/states/FRA?page=2');
    expect(html.count('nav.pagination a[rel="prev"]')).toBe(0);
  });

  it('when the pages are followed, then each shows other authorities and the last one the rest', async () => {
    const first = page((await request(app).get('/states/FRA').expect(200)).text);
    const second = page((await request(app).get('/states/FRA?page=2').expect(200)).text);
    const ids = authoritiesOn;
    expect(ids(second)).toHaveLength(STATE_PAGE_SIZE);
    expect(ids(second).filter((id) => ids(first).includes(id))).toEqual([]);
    const total = (await request(app).get('/api/v1/states/FRA').expect(200)).body.data.authorityCount as number;
    const lastPage = Math.ceil(total / STATE_PAGE_SIZE);
    const last = await request(app).get(`/states/FRA?page=${lastPage + 5}`).expect(200);
    expect(Buffer.byteLength(last.text)).toBeLessThan(MAX_ANSWER_BYTES);
    const lastHtml = page(last.text);
    expect(authoritiesOn(lastHtml)).toHaveLength(total - (lastPage - 1) * STATE_PAGE_SIZE);
    expect(lastHtml.count('nav.pagination a[rel="next"]')).toBe(0);
    expect(lastHtml.text('nav.pagination [aria-current="page"]')).toBe(String(lastPage));
  });

  it('when the API is asked for the State, then its authorities come page by page with links, under the size limit', async () => {
    const res = await request(app).get('/api/v1/states/FRA').expect(200);
    expect(Buffer.byteLength(res.text)).toBeLessThan(MAX_ANSWER_BYTES);
    expect(res.body.data.authorityCount).toBeGreaterThanOrEqual(MANY);
    expect(res.body.data.authorities).toHaveLength(50);
    expect(res.headers.link).toContain('</api/v1/states/FRA?limit=50&page=2>; rel="next"');
    const next = await request(app).get('/api/v1/states/FRA?limit=200&page=2').expect(200);
    expect(next.body.data.authorities).toHaveLength(200);
    expect(next.body.data.authorities[0].id).not.toBe(res.body.data.authorities[0].id);
    expect(next.headers.link).toContain('rel="prev"');
  });

  it.each([['/search?q=judiciaire'], ['/api/v1/authorities?q=judiciaire'], ['/api/v1/states'], ['/search?q=France']])('when %s is read, then the answer stays under the size limit', async (path) => {
    const res = await request(app).get(path).expect(200);
    expect(Buffer.byteLength(res.text)).toBeLessThan(MAX_ANSWER_BYTES);
  });
});
