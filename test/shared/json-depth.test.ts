import request from 'supertest';
import { isBlank } from '../../src/shared/forms/form-body';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../../src/shared/json-body';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { apiToken, authorityOf, editor } from '../editing/editing-helpers';
import { postImport } from '../exchange/exchange-helpers';

/** About 80 KB of brackets: `[[[...]]]` nested 40,000 levels deep. */
const deepList = (levels = 40_000) => '['.repeat(levels) + ']'.repeat(levels);

describe('JSON nesting depth', () => {
  it('when a JSON text nests exactly the maximum, then it passes; one level more, then it is too deep', () => {
    const nested = (levels: number) => '{"a":'.repeat(levels - 1) + '[1]' + '}'.repeat(levels - 1);
    expect(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it('when brackets are inside strings, escaped quotes included, then they do not count', () => {
    expect(jsonNestsDeeperThan(JSON.stringify({ notes: '[{'.repeat(100), other: 'a\\"[[[[' + '['.repeat(100) }))).toBe(false);
  });

  it('when isBlank is given a value nested 100,000 levels deep, then it answers without overflowing the stack', () => {
    let deep: unknown = '';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(isBlank(deep)).toBe(true);
    expect(isBlank([deep, [[['x']]]])).toBe(false);
  });

  describe('on the API and the import', () => {
    useTestDatabase();
    const app = testApp();
    let token: string;

    beforeAll(async () => {
      token = (await apiToken('focal-point', ['FRA'])).token;
    });

    const expectJsonTooDeep = (res: request.Response) => {
      expect({ status: res.status, type: res.type }).toEqual({ status: 400, type: 'application/json' });
      expect(res.body).toEqual({ error: { code: 'bad_request', message: expect.stringContaining(String(MAX_JSON_DEPTH)) } });
    };

    it('when an 80 KB {"fax":[[[...]]]} is PUT on an authority with a focal point’s token, then the answer is a 400 JSON error, not a 500', async () => {
      const authority = await authorityOf('FRA');
      const body = `{"fax":${deepList()}}`;
      expect(body.length).toBeGreaterThan(80_000);
      const res = await request(app)
        .put(`/api/v1/authorities/${authority.id}`)
        .set('Authorization', `Bearer ${token}`)
        .set('If-Match', `"${authority.version}"`)
        .type('json')
        .send(body);
      expectJsonTooDeep(res);
    });

    it('when the optional section is PUT nested 40,000 levels deep, then the answer is a 400 JSON error', async () => {
      const res = await request(app)
        .put('/api/v1/states/FRA/optional')
        .set('Authorization', `Bearer ${token}`)
        .set('If-Match', '"0"')
        .type('json')
        .send(`{"laws":${deepList()}}`);
      expectJsonTooDeep(res);
    });

    it('when a new authority is POSTed with a body 33 levels deep, then it is refused with 400 before anything walks it', async () => {
      const res = await request(app)
        .post('/api/v1/states/FRA/authorities')
        .set('Authorization', `Bearer ${token}`)
        .type('json')
        .send(`{"contactPersons":${deepList(MAX_JSON_DEPTH)}}`);
      expectJsonTooDeep(res);
    });

    it('when a JSON import nests 40,000 levels deep, then the dry run reports the file as too deep, not a 500', async () => {
      const { agent } = await editor(app, 'focal-point', ['FRA']);
      const res = await postImport(agent, { content: `[{"state":"FRA","fax":${deepList()}}]`, format: 'json' });
      expect(res.status).toBe(422);
      expect(res.body.data.problems).toEqual([expect.objectContaining({ row: 0, field: '_file', code: 'jsonTooDeep', message: expect.stringContaining(String(MAX_JSON_DEPTH)) })]);
    });
  });
});
