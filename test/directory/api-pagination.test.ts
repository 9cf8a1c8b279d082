import request from 'supertest';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { checkingRequests, expectOnlyDocumentedRequests, openApiErrors } from '../helpers/openapi-validator';

interface PageJson {
  data: Array<{ code: string }>;
  meta: { total: number; page: number; limit: number; pages: number };
  links: { self: string; first: string; last: string; next?: string; prev?: string };
}

describe('API lists, page by page', () => {
  useTestDatabase();
  const app = checkingRequests(testApp());
  expectOnlyDocumentedRequests(app);

  it('when no page is asked, then the first 50 States come with the total and links to the other pages', async () => {
    const res = await request(app).get('/api/v1/states').query({ lang: 'fr' }).expect(200);
    const body = res.body as PageJson;
    expect(body.data).toHaveLength(50);
    expect(body.meta).toEqual({ total: body.meta.total, page: 1, limit: 50, pages: Math.ceil(body.meta.total / 50) });
    expect(body.meta.total).toBeGreaterThan(150);
    expect(body.links.self).toBe('/api/v1/states?lang=fr&limit=50&page=1');
    expect(body.links.next).toBe('/api/v1/states?lang=fr&limit=50&page=2');
    expect(body.links.prev).toBeUndefined();
    expect(body.links.last).toBe(`/api/v1/states?lang=fr&limit=50&page=${body.meta.pages}`);
  });

  it('when the pages are followed by their next links, then every State comes exactly once', async () => {
    const codes: string[] = [];
    let next: string | undefined = '/api/v1/states?limit=60';
    while (next) {
      const body = (await request(app).get(next).expect(200)).body as PageJson;
      codes.push(...body.data.map((state) => state.code));
      next = body.links.next;
    }
    const all = (await request(app).get('/api/v1/states').query({ limit: 200 }).expect(200)).body as PageJson;
    expect(codes).toHaveLength(all.meta.total);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('when a page past the last is asked, then the data is empty and the meta true', async () => {
    const body = (await request(app).get('/api/v1/authorities').query({ page: 999, limit: 10 }).expect(200)).body as PageJson;
    expect(body.data).toEqual([]);
    expect(body.meta.page).toBe(999);
    expect(body.meta.total).toBeGreaterThan(0);
    expect(body.links.prev).toBe(`/api/v1/authorities?limit=10&page=${body.meta.pages}`);
    expect(body.links.next).toBeUndefined();
  });

  it.each([['0'], ['201'], ['ten'], ['1.5'], ['']])('when the limit is "%s", then 400 names the parameter', async (limit) => {
    const res = await request(app).get('/api/v1/states').query({ limit }).expect(400);
    expect(res.body.error.fields).toHaveProperty('limit');
  });

  it('when the page is given empty, then 400 names it, as the document declares a whole number', async () => {
    const res = await request(app).get('/api/v1/authorities?page=&q=justice').expect(400);
    expect(res.body.error.fields).toHaveProperty('page');
  });

  it('when a paged answer is checked against the document, then it validates', async () => {
    const res = await request(app).get('/api/v1/authorities').query({ limit: 5, page: 2 }).expect(200);
    expect((res.body as PageJson).data).toHaveLength(5);
    expect(openApiErrors(res, '/authorities')).toEqual([]);
  });
});
