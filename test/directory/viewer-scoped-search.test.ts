import request from 'supertest';
import { AuthorityModel } from '../../src/directory/directory.models';
import { invalidateDirectory } from '../../src/directory/directory-cache';
import sample from '../../seed/data/sample.json';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { editor } from '../editing/editing-helpers';

/**
 * What a viewer may not see must not shape what they are shown: filter options, the ranking of
 * search results and the order of restricted stubs are computed from visible data only.
 */

const RESTRICTED = sample.states.filter((state) => state.access === 'restricted').map((state) => state.code);
const languagesOf = (codes: (code: string) => boolean) => new Set(sample.authorities.filter((authority) => codes(authority.state)).flatMap((authority) => authority.languages));
const publicLanguages = languagesOf((code) => !RESTRICTED.includes(code));
/** Languages only authorities of restricted States accept (Russian, Chinese, Hindi in the sample). */
const hiddenLanguages = [...languagesOf((code) => RESTRICTED.includes(code))].filter((language) => !publicLanguages.has(language)).sort();

/** The values of the search page's language filter. */
function languageOptions(html: string): string[] {
  return page(html).options('language').filter(Boolean);
}

/** Renames every authority of the restricted States; the directory is reloaded. */
async function renameHidden(words: string): Promise<void> {
  const hidden = await AuthorityModel.find({ state: { $in: RESTRICTED } }).lean();
  for (const [index, authority] of hidden.entries()) {
    const name = `${words} ${index}`;
    await AuthorityModel.updateOne({ _id: authority._id }, { $set: { 'name.original': name, 'name.en': name } });
  }
  invalidateDirectory();
}

describe('what a viewer may not see shapes nothing they are shown', () => {
  useTestDatabase();
  const app = testApp();

  describe('the search page’s language filter', () => {
    it('the sample has languages that only restricted States’ authorities accept', () => {
      expect(hiddenLanguages).toEqual(['hi', 'ru', 'zh']);
    });

    it('when an anonymous reader opens the search page, then its language filter lists no language only restricted authorities accept', async () => {
      const res = await request(app).get('/search');
      expect(res.status).toBe(200);
      const options = languageOptions(res.text);
      expect(options).toEqual(expect.arrayContaining([...publicLanguages]));
      expect(options.filter((language) => hiddenLanguages.includes(language))).toEqual([]);
    });

    it('when a signed-in practitioner opens the search page, then its language filter lists those languages too', async () => {
      const { agent } = await editor(app, 'practitioner');
      const options = languageOptions((await agent.get('/search')).text);
      expect(options).toEqual(expect.arrayContaining([...publicLanguages, ...hiddenLanguages]));
    });

    it('when the focal point of the Russian Federation opens the search page, then Russian is listed but not Chinese or Hindi', async () => {
      const { agent } = await editor(app, 'focal-point', ['RUS']);
      const options = languageOptions((await agent.get('/search')).text);
      expect(options).toContain('ru');
      expect(options).not.toContain('zh');
      expect(options).not.toContain('hi');
    });
  });

  describe('ranking and order for an anonymous reader', () => {
    // "justice maritime": no authority's name holds both words, so every answer is a ranking of
    // the two groups by how rare each word is, which hidden names would tip one way or the other.
    const queries = ['justice maritime', 'maritime justice', 'ministry', 'centre', 'office', 'sample', 'coordination', 'federal', 'justice', 'marit'];
    const anonymousAnswers = async () => {
      const answers: string[] = [];
      for (const q of queries) {
        answers.push((await request(app).get('/api/v1/authorities').query({ q })).text);
        answers.push((await request(app).get('/api/v1/states').query({ q })).text);
        answers.push((await request(app).get('/search').query({ q })).text);
      }
      for (const code of RESTRICTED) answers.push((await request(app).get(`/api/v1/states/${code}`)).text);
      answers.push((await request(app).get('/export/directory.csv')).text);
      const json = (await request(app).get('/export/directory.json')).body as { states: unknown[] };
      answers.push(JSON.stringify(json.states));
      return answers;
    };

    it('when restricted authorities are renamed, then no anonymous answer (API, search page, State pages, exports) changes by a byte', async () => {
      await renameHidden('Maritime Maritime Centre');
      const before = await anonymousAnswers();
      await renameHidden('Justice Justice Ministry');
      const after = await anonymousAnswers();
      const changed = queries.flatMap((q, index) => ['api authorities', 'api states', 'search page'].filter((_, kind) => before[index * 3 + kind] !== after[index * 3 + kind]).map((kind) => `${kind} q=${q}`));
      expect(changed).toEqual([]);
      expect(after).toEqual(before);
    });

    it('when a practitioner searches for "justice maritime", then restricted authorities rank with the rest, so the check above can fail', async () => {
      await renameHidden('Justice Justice Ministry');
      const { agent } = await editor(app, 'practitioner');
      const res = await agent.get('/api/v1/authorities').query({ q: 'justice maritime' });
      expect((res.body.data as Array<{ state: string }>).some((authority) => RESTRICTED.includes(authority.state))).toBe(true);
    });

    it('when an anonymous reader asks for a restricted State, then its stubs come in designation order, then by id', async () => {
      const designationOrder = ((await request(app).get('/api/v1/designations')).body.data as Array<{ code: string }>).map((type) => type.code);
      for (const code of RESTRICTED) {
        const stubs = (await request(app).get(`/api/v1/states/${code}`)).body.data.authorities as Array<{ id: string; designations: string[] }>;
        const first = (stub: { designations: string[] }) => Math.min(...stub.designations.map((designation) => designationOrder.indexOf(designation)));
        const sorted = [...stubs].sort((a, b) => first(a) - first(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        expect(stubs.map((stub) => stub.id)).toEqual(sorted.map((stub) => stub.id));
      }
    });

    it('when the names of two restricted authorities that share their first designation are swapped in order, then their stubs keep their order, in the API and the exports', async () => {
      // Russian Federation: the Prosecutor General's office and the Ministry of Justice both hold UNTOC-18-13 first.
      const stubOrder = async () => {
        const api = ((await request(app).get('/api/v1/states/RUS')).body.data.authorities as Array<{ id: string }>).map((stub) => stub.id);
        const json = ((await request(app).get('/export/directory.json')).body.states as Array<{ code: string; authorities: Array<{ id: string }> }>)
          .find((state) => state.code === 'RUS')!
          .authorities.map((stub) => stub.id);
        const csv = (await request(app).get('/export/directory.csv')).text.split('\r\n').filter((line) => /,"?RUS"?,/.test(line)).map((line) => line.split(',')[0]!.replace(/"/g, ''));
        return { api, json, csv };
      };
      const rus = await AuthorityModel.find({ state: 'RUS', designations: 'UNTOC-18-13' }).sort({ _id: 1 }).lean();
      expect(rus).toHaveLength(2);
      const name = (value: string) => ({ $set: { 'name.original': value, 'name.en': value } });
      await AuthorityModel.updateOne({ _id: rus[0]!._id }, name('Aaa'));
      await AuthorityModel.updateOne({ _id: rus[1]!._id }, name('Zzz'));
      invalidateDirectory();
      const before = await stubOrder();
      await AuthorityModel.updateOne({ _id: rus[0]!._id }, name('Zzz'));
      await AuthorityModel.updateOne({ _id: rus[1]!._id }, name('Aaa'));
      invalidateDirectory();
      const after = await stubOrder();
      expect(before.api).toHaveLength(3);
      expect(before.csv).toEqual(before.api);
      expect(before.json).toEqual(before.api);
      expect(after).toEqual(before);
    });
  });
});
