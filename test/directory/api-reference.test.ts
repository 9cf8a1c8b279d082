import request from 'supertest';
import { apiReference, typeHtml, typeText } from '../../src/directory/api-reference';
import { openApiDocument } from '../../src/directory/openapi';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

useTestDatabase();

const app = testApp();
const operationIds = Object.values(openApiDocument.paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId));

describe('types in words', () => {
  it('when a schema names a component, a list, an enumeration or a nullable format, then it reads as such', () => {
    expect(typeText({ $ref: '#/components/schemas/Phone' })).toEqual({ text: 'Phone', ref: 'Phone' });
    expect(typeText({ type: 'array', items: { $ref: '#/components/schemas/Treaty' } })).toEqual({ text: 'list of Treaty', ref: 'Treaty' });
    expect(typeText({ type: 'string', enum: ['en', 'fr', ''] }).text).toBe('one of `en`, `fr`');
    expect(typeText({ type: ['string', 'null'], format: 'date-time' }).text).toBe('string (date-time) or null');
    expect(typeText({ type: 'integer', minimum: 1, maximum: 200 }).text).toBe('integer from 1 to 200');
    expect(typeText({ anyOf: [{ $ref: '#/components/schemas/StateText' }, { type: 'null' }] })).toEqual({ text: 'StateText or null', ref: 'StateText' });
  });

  it('when a type is written as HTML, then markup in it is escaped and the component it names is a link', () => {
    expect(typeHtml({ text: 'list of Phone', ref: 'Phone' })).toBe('list of <a href="#schema-Phone">Phone</a>');
    expect(typeHtml({ text: 'string matching `^<b>$`' })).toBe('string matching <code>^&lt;b&gt;$</code>');
  });

  it('when the reference is made from the document, then every operation is under its tag, once', () => {
    const reference = apiReference(openApiDocument);
    expect(reference.tags.flatMap((tag) => tag.operations.map((operation) => operation.id)).sort()).toEqual([...operationIds].sort());
    const find = reference.tags.flatMap((tag) => tag.operations).find((operation) => operation.id === 'findAuthority')!;
    expect(find.parameters.find((parameter) => parameter.name === 'to')).toMatchObject({ in: 'query', required: true });
    expect(find.answers.map((answer) => answer.status)).toEqual(['200', '400', '404']);
  });
});

describe('the API reference at /api', () => {
  it('when a reader opens it, then every operation and schema of the document is described, without a script', async () => {
    const res = await request(app).get('/api').expect(200);
    const html = page(res.text);
    expect(html.attrs('article.api-operation', 'id').sort()).toEqual([...operationIds].sort());
    expect(html.attrs('.api-schemas article', 'id')).toEqual(Object.keys(openApiDocument.components.schemas).map((name) => `schema-${name}`));
    // every type that names a schema links to a schema on the page
    const targets = html.attrs('a[href^="#schema-"]', 'href');
    expect(targets.length).toBeGreaterThan(20);
    for (const target of new Set(targets)) expect(html.count(target)).toBe(1);
    expect(html.text('#listAuthorities h3')).toBe('GET /api/v1/authorities');
    expect(html.texts('#listAuthorities th[scope="row"] code')).toEqual(expect.arrayContaining(['q', 'page', 'limit']));
    expect(html.attr('[data-testid="openapi-link"]', 'href')).toBe('/api/v1/openapi.json');
    expect(html.count('script')).toBe(0);
  });

  it('when it is read in Arabic, then the page is right-to-left and the English descriptions say they are English', async () => {
    const html = page((await request(app).get('/api?lang=ar').expect(200)).text);
    expect(html.attr('html', 'dir')).toBe('rtl');
    expect(html.text('h1')).toBe('واجهة برمجة التطبيقات للبيانات المفتوحة');
    expect(html.attr('#listAuthorities p', 'lang')).toBe('en');
  });

  it("when someone opens the API's root or the footer link, then they reach the reference", async () => {
    const root = await request(app).get('/api/v1').expect(301);
    expect(root.headers.location).toBe('/api');
    const home = page((await request(app).get('/').expect(200)).text);
    expect(home.attrs('footer a', 'href')).toContain('/api');
  });
});
