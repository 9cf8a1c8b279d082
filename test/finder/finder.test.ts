import request from 'supertest';
import { createTestUser, signedInAgent } from '../helpers/accounts';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { openApiErrors } from '../helpers/openapi-validator';

/** Where in the sample data each kind of request goes for Germany: the e-mail of the authority that answers it. */
const DEU_MINISTRY = 'rechtshilfe@justiz.de.example';
const DEU_MARITIME = 'lage@see.de.example';
/** What only someone who may see Russia's details may read. */
const RUS_EMAILS = ['international@prokuratura.ru.example', 'pravovaya-pomoshch@minjust.ru.example', 'mkc@more.ru.example'];

describe('the guided finder', () => {
  useTestDatabase();
  const app = testApp();

  const emailsIn = (html: string) => page(html).attrs('.finder-authority a[href^="mailto:"]', 'href').map((href) => href.slice('mailto:'.length));

  it('when /find is opened without a question, then the form is shown with its kinds grouped and no answer', async () => {
    const res = await request(app).get('/find');
    expect(res.status).toBe(200);
    const html = page(res.text);
    expect(html.attr('form.finder-form', 'method')).toBe('get');
    expect(html.attrs('select[name="need"] optgroup', 'label')).toEqual(['Mutual legal assistance (UNTOC art. 18)', 'Extradition and transfer', 'Under the Protocol and other conventions']);
    // After the fixed kinds, one for each designation type in use that none of them answers (the catalogue's kinds)
    expect(html.options('need')).toEqual(['', 'evidence', 'search-and-seizure', 'freezing-and-confiscation', 'service-of-documents', 'video-hearing', 'extradition', 'transfer', 'vessel', 'corruption', 'drugs', 'DRUGS1988-6', 'DRUGS1988-17-7', 'FIREARMS-13-2']);
    expect(html.options('to')).toContain('DEU');
    expect(html.count('input[type="checkbox"][name="urgent"][value="1"]')).toBe(1);
    expect(html.options('from')).toContain('FRA');
    expect(html.count('.finder-answer')).toBe(0);
  });

  it('when only the State is given, then the form comes back with it chosen and no answer yet', async () => {
    const res = await request(app).get('/find?to=deu');
    expect(res.status).toBe(200);
    expect(page(res.text).field('to')).toBe('DEU');
    expect(page(res.text).count('.finder-answer')).toBe(0);
  });

  it.each([
    ['evidence', 'UNTOC-18-13', DEU_MINISTRY],
    ['search-and-seizure', 'UNTOC-18-13', DEU_MINISTRY],
    ['freezing-and-confiscation', 'UNTOC-18-13', DEU_MINISTRY],
    ['service-of-documents', 'UNTOC-18-13', DEU_MINISTRY],
    ['video-hearing', 'UNTOC-18-13', DEU_MINISTRY],
    ['extradition', 'UNTOC-16', DEU_MINISTRY],
    ['transfer', 'UNTOC-17', DEU_MINISTRY],
    ['vessel', 'SOM-8-6', DEU_MARITIME],
    ['corruption', 'UNCAC-46-13', DEU_MINISTRY],
    ['drugs', 'DRUGS1988-7-8', DEU_MINISTRY],
  ])('when the request to Germany is %s, then %s answers, with its authority prefilled in the form above', async (need, designation, email) => {
    const api = await request(app).get(`/api/v1/find?to=DEU&need=${need}`);
    expect(api.status).toBe(200);
    expect(api.body.data).toMatchObject({ outcome: 'designated', wanted: designation, designation });
    expect(api.body.data.authorities.map((authority: { emails: string[] }) => authority.emails[0])).toEqual([email]);
    const res = await request(app).get(`/find?to=DEU&need=${need}`);
    expect(res.status).toBe(200);
    const html = page(res.text);
    expect(html.field('need')).toBe(need);
    expect(html.field('to')).toBe('DEU');
    expect(html.attr('.finder-answer', 'data-outcome')).toBe('designated');
    expect(emailsIn(res.text)).toContain(email);
  });

  it('when the extradition request is urgent, then the urgent procedure comes before the channels, in the order the authority gives them', async () => {
    const urgent = page((await request(app).get('/find?to=DEU&need=extradition&urgent=1')).text);
    const headings = urgent.texts('.finder-authority h4');
    expect(headings.indexOf('Urgent requests')).toBeLessThan(headings.indexOf('How to send the request, in the order the authority gives'));
    expect(urgent.texts('.finder-authority .channels li')).toEqual(['Post', 'E-mail', 'Diplomatic channel', 'Directly between judicial authorities']);
    expect(urgent.texts('.finder-authority .means li')).toEqual(['e-mail', 'fax', 'INTERPOL']);
    expect(urgent.field('urgent')).toBe('1');
    expect(urgent.count('#f-urgent[checked]')).toBe(1);
    const plain = page((await request(app).get('/find?to=DEU&need=extradition')).text).texts('.finder-authority h4');
    expect(plain.indexOf('Urgent requests')).toBeGreaterThan(plain.indexOf('How to send the request, in the order the authority gives'));
  });

  it('when the request is extradition, then the languages, requirements and art. 16(5) answer are given', async () => {
    const html = page((await request(app).get('/find?to=FRA&need=extradition')).text);
    expect(html.text('.finder-authority .languages')).toBe('French, English');
    expect(html.text('.finder-answer .state-text')).toContain('mandat d’arrêt');
    expect(html.text('.finder-answer .legal-basis')).toBe('The State takes the Convention as the legal basis for cooperation on extradition.');
    // Art. 16(5) is about extradition only
    expect(page((await request(app).get('/find?to=FRA&need=evidence')).text).count('.legal-basis')).toBe(0);
  });

  it('when the request comes from France, then the treaties recorded between the two States are listed, once each', async () => {
    const html = page((await request(app).get('/find?to=DEU&need=extradition&urgent=1&from=FRA')).text);
    expect(html.text('#treaties')).toBe('Treaties between Germany and France');
    expect(html.texts('.treaties-between li')).toEqual([expect.stringContaining('Regional convention on extradition (sample)')]);
    const alone = page((await request(app).get('/find?to=DEU&need=extradition')).text);
    expect(alone.count('.treaties-between')).toBe(0);
    expect(alone.text('.finder-answer .hint')).toBe('Choose your State above to see the treaties recorded between the two.');
  });

  it('when the State has not designated an authority for the request, then another designation of that State is offered with the diplomatic channel', async () => {
    const res = await request(app).get('/find?to=UKR&need=transfer');
    const html = page(res.text);
    expect(html.attr('.finder-answer', 'data-outcome')).toBe('fallback');
    expect(html.text('.fallback')).toContain('No authority of Ukraine is recorded as: Authority for the transfer of sentenced persons (UNTOC art. 17).');
    expect(html.text('.fallback')).toContain('diplomatic channel');
    expect(emailsIn(res.text)).toEqual(['mla@minjust.ua.example']);
    const api = await request(app).get('/api/v1/find?to=UKR&need=transfer');
    expect(api.body.data).toMatchObject({ outcome: 'fallback', wanted: 'UNTOC-17', designation: 'UNTOC-18-13', holderCount: 1 });
  });

  it('when the State has recorded no authority at all, then the answer says so and points to the diplomatic channel', async () => {
    const html = page((await request(app).get('/find?to=AFG&need=evidence')).text);
    expect(html.attr('.finder-answer', 'data-outcome')).toBe('none');
    expect(html.text('.fallback')).toBe('Afghanistan has recorded no authority in the Directory. A request can always be sent through the diplomatic channel, to the State\'s ministry of foreign affairs.');
    expect(html.text('.currency')).toContain('Never updated nor confirmed');
    expect(html.count('.finder-authority')).toBe(0);
  });

  it('when the entry is old, then the answer says how current it is', async () => {
    const html = page((await request(app).get('/find?to=JPN&need=evidence')).text);
    expect(html.attr('.currency', 'data-currency')).toBe('stale');
    expect(html.text('.currency')).toContain('Not updated nor confirmed for over 12 months');
    expect(html.attr('.currency time', 'datetime')).toBe('2023-09-05');
  });

  it('when an anonymous reader asks about a restricted State, then nothing restricted is shown, and sign-in and access are offered', async () => {
    const res = await request(app).get('/find?to=RUS&need=extradition&from=CHN');
    expect(res.status).toBe(200);
    for (const email of RUS_EMAILS) expect(res.text).not.toContain(email);
    const html = page(res.text);
    expect(html.count('.finder-authority')).toBe(0);
    expect(html.count('.state-text, .legal-basis, .treaties-between')).toBe(0);
    expect(html.text('.restricted-notice .designation-line')).toBe('Designated as: Authority for extradition (UNTOC art. 16) (1 authority).');
    expect(html.attr('.restricted-notice a.button', 'href')).toBe(`/sign-in?returnTo=${encodeURIComponent('/find?to=RUS&need=extradition&from=CHN')}`);
    expect(html.hrefs()).toContain('/access/request?for=RUS');
    const api = await request(app).get('/api/v1/find?to=RUS&need=extradition&from=CHN');
    expect(api.body.data).toMatchObject({ authorities: [], requirements: null, legalBasisForExtradition: null, treaties: [], holderCount: 1, to: { detailsRestricted: true } });
    for (const email of RUS_EMAILS) expect(JSON.stringify(api.body)).not.toContain(email);
  });

  it('when a practitioner asks about the restricted State, then the authority is given in full', async () => {
    const agent = await signedInAgent(app, await createTestUser({ role: 'practitioner' }));
    const res = await agent.get('/find?to=RUS&need=extradition');
    // What a signed-in viewer sees never goes to a shared cache
    expect(res.headers['cache-control']).toContain('no-store');
    expect(res.headers['x-cache']).toBeUndefined();
    expect(emailsIn(res.text)).toEqual(['international@prokuratura.ru.example']);
    expect(page(res.text).text('.legal-basis')).toBe('The State takes the Convention as the legal basis for cooperation on extradition.');
  });

  it('when the page is asked for in Arabic, then it is right to left and in Arabic', async () => {
    const html = page((await request(app).get('/find?to=DEU&need=extradition&urgent=1&from=FRA&lang=ar')).text);
    expect(html.lang()).toBe('ar');
    expect(html.attr('html', 'dir')).toBe('rtl');
    expect(html.text('h1')).toBe('البحث عن السلطة التي يُوجَّه إليها الطلب');
    expect(html.text('#answer-heading')).toBe('ألمانيا: تسليم المجرمين عاجل');
    expect(html.text('#treaties')).toBe('المعاهدات بين ألمانيا وفرنسا');
  });

  it('when the page is asked for in Chinese, then the answer is in Chinese with Chinese list punctuation', async () => {
    const html = page((await request(app).get('/find?to=FRA&need=extradition&lang=zh')).text);
    expect(html.lang()).toBe('zh');
    expect(html.text('#answer-heading')).toBe('法国：引渡');
    expect(html.text('.finder-authority .languages')).toBe('法语、英语');
  });

  it('when the query holds bad values, then the form comes back with 400, what was typed and a message at each field', async () => {
    const res = await request(app).get('/find?to=XX1&need=piracy&urgent=yes&from=FRA');
    expect(res.status).toBe(400);
    const html = page(res.text);
    expect(html.errorSummaryFields().sort()).toEqual(['need', 'to', 'urgent']);
    expect(html.fieldErrors().sort()).toEqual(['need', 'to', 'urgent']);
    expect(html.text('#f-to-error')).toBe('Choose a State from the list.');
    expect(html.field('from')).toBe('FRA');
    expect(html.count('.finder-answer')).toBe(0);
  });

  it('when the State code is well formed but no State has it, or both States are the same, then the field says so with 400', async () => {
    const unknown = await request(app).get('/find?to=XYZ&need=extradition');
    expect(unknown.status).toBe(400);
    expect(page(unknown.text).fieldErrors()).toEqual(['to']);
    const same = await request(app).get('/find?to=FRA&need=extradition&from=FRA');
    expect(same.status).toBe(400);
    expect(page(same.text).text('#f-from-error')).toBe('Choose a State other than the one the request goes to.');
  });

  it('when the API is asked badly, then it answers 400 with a JSON error naming the fields', async () => {
    const res = await request(app).get('/api/v1/find?to=XYZ1&urgent=2&extra=1');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_parameters');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['need', 'to', 'urgent', 'extra'].sort());
    expect(openApiErrors(res, '/find')).toEqual([]);
    // a well-formed code of no State is a State not found, as /api/v1/states/XYZ is
    for (const url of ['/api/v1/find?to=XYZ&need=extradition', '/api/v1/find?to=FRA&need=extradition&from=XYZ']) {
      const unknown = await request(app).get(url);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ code: 'not_found', message: 'No State or participant with code XYZ' });
      expect(openApiErrors(unknown, '/find')).toEqual([]);
    }
  });

  it('when the API is asked with the same State twice, then it answers without the requesting State: no treaty binds a State to itself', async () => {
    const res = await request(app).get('/api/v1/find?to=FRA&need=extradition&from=FRA').expect(200);
    expect(res.body.data.question.from).toBeNull();
    expect(res.body.data.from).toBeNull();
    expect(res.body.data.treaties).toEqual([]);
  });

  it('when the API answers, then the answer matches the OpenAPI document', async () => {
    for (const url of ['/api/v1/find?to=DEU&need=extradition&urgent=1&from=FRA', '/api/v1/find?to=RUS&need=vessel', '/api/v1/find?to=AFG&need=drugs&lang=zh', '/api/v1/find?to=UKR&need=transfer']) {
      const res = await request(app).get(url);
      expect({ url, status: res.status, errors: openApiErrors(res, '/find') }).toEqual({ url, status: 200, errors: [] });
    }
  });

  it('when an anonymous reader asks twice, then the second answer comes from the public cache', async () => {
    for (const url of ['/find?to=GBR&need=extradition', '/api/v1/find?to=GBR&need=extradition']) {
      const first = await request(app).get(url);
      expect(first.headers['x-cache']).toBe('miss');
      const second = await request(app).get(url);
      expect(second.headers['x-cache']).toBe('hit');
      expect(second.text).toBe(first.text);
    }
  });

  it('when the home page is opened, then it asks the finder\'s question near the top and the navigation links to it', async () => {
    const html = page((await request(app).get('/')).text);
    expect(html.attr('form.finder-quick', 'action')).toBe('/find');
    expect(html.options('need')).toContain('extradition');
    expect(html.options('to')).toContain('DEU');
    expect(html.linkTo('Find an authority')).toBe('/find');
  });
});
