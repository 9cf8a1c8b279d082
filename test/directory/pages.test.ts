import request from 'supertest';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

describe('public pages', () => {
  useTestDatabase();
  const app = testApp();

  it('when the home page is opened, then every State is listed with the sample-data notice', async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('All States (198)');
    expect(page(res.text).linkTo('Bolivia (Plurinational State of)')).toBe('/states/BOL');
    expect(res.text).toContain('Sample data.');
    expect(res.text).toContain('Not updated for over 12 months');
  });

  it('when a State page is read in French, then its head names the version in each of the six languages by an absolute address', async () => {
    const res = await request(app).get('/states/FRA?lang=fr');
    const alternates = page(res.text).attrs('link[rel="alternate"][hreflang]', 'href');
    expect(page(res.text).attrs('link[rel="alternate"][hreflang]', 'hreflang')).toEqual(['ar', 'zh', 'en', 'fr', 'ru', 'es']);
    expect(alternates).toContain('http://localhost/states/FRA?lang=fr');
    expect(alternates).toContain('http://localhost/states/FRA?lang=ar');
    for (const href of alternates) expect(new URL(href).origin).toBe('http://localhost');
  });

  it('when the home page is shown by regional group, then each group has its heading', async () => {
    const res = await request(app).get('/?view=region');
    for (const group of ['African Group', 'Asia-Pacific Group', 'Eastern European Group', 'Latin American and Caribbean Group', 'Western European and other States Group']) {
      expect(res.text).toContain(group);
    }
  });

  it('when ?lang=ru is given, then the page is in Russian, States sort in Russian, and the choice is remembered in a cookie', async () => {
    const res = await request(app).get('/?lang=ru');
    expect(page(res.text).lang()).toBe('ru');
    expect(res.text).toContain('Российская Федерация');
    const cookie = res.headers['set-cookie'];
    expect(String(cookie)).toMatch(/lang=ru/);
    const later = await request(app).get('/states/FRA').set('Cookie', 'lang=ru');
    expect(page(later.text).lang()).toBe('ru');
    expect(page(later.text).text('h1')).toBe('Франция');
    // Cyrillic collation: Австралия comes before Япония
    expect(res.text.indexOf('Австралия')).toBeLessThan(res.text.indexOf('Япония'));
  });

  it('when the browser asks for Russian, then the page is in Russian without any parameter', async () => {
    const res = await request(app).get('/states/DEU').set('Accept-Language', 'ru-RU,ru;q=0.9,en;q=0.5');
    expect(page(res.text).lang()).toBe('ru');
    expect(page(res.text).text('h1')).toBe('Германия');
  });

  it('when a public State page is opened, then its authorities show every contact field and local time', async () => {
    const res = await request(app).get('/states/FRA');
    expect(res.status).toBe(200);
    const statePage = page(res.text);
    expect(statePage.attrs('a[href^="mailto:"]', 'href')).toContain('mailto:entraide@justice.fr.example');
    expect(statePage.attrs('a[href^="tel:"]', 'href')).toContain('tel:+442079460100');
    expect(statePage.texts('.local-time')).toContainEqual(expect.stringMatching(/^Local time now: .+ — (open|closed)$/));
    expect(res.text).toContain('Requirements for mutual legal assistance');
  });

  it('when a State page lists treaties, then their other parties are named in the reader\'s language and linked, not shown as codes', async () => {
    const zh = page((await request(app).get('/states/FRA?lang=zh')).text);
    const parties = zh.$('table.treaties tbody tr').toArray().map((row) => zh.$(row).find('td').eq(1));
    const texts = parties.map((cell) => cell.text());
    expect(texts).toEqual(['巴西', '德国、大不列颠及北爱尔兰联合王国']);
    expect(parties.flatMap((cell) => cell.find('a').toArray().map((link) => zh.$(link).attr('href')))).toEqual(expect.arrayContaining(['/states/BRA', '/states/DEU', '/states/GBR']));
    expect(texts.join(' ')).not.toMatch(/[A-Z]{3}/);
  });

  it('when a State lacks a core designation, then the page says so plainly', async () => {
    const res = await request(app).get('/states/UKR');
    expect(res.text).toContain('No authority recorded under art. 17.');
  });

  it('when a State has submitted nothing, then its page says no authority is recorded for each core designation', async () => {
    const res = await request(app).get('/states/AFG');
    expect(res.status).toBe(200);
    expect(res.text).toContain('No authority recorded under art. 18(13).');
    expect(res.text).toContain('Never updated');
  });

  it('when a State code is typed in lower case, then the address redirects to the canonical one', async () => {
    const res = await request(app).get('/states/fra');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/states/FRA');
  });

  it('when a State code is unknown, then a 404 page in the reader\'s language answers', async () => {
    const res = await request(app).get('/states/XXX');
    expect(res.status).toBe(404);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('Page not found');
  });

  it('when a path is malformed, then the answer is 4xx, never 500', async () => {
    for (const path of ['/states/%ZZ', '/authorities/not-an-id', '/states/1234', '/nowhere']) {
      const res = await request(app).get(path);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('when searching with a query that is too long, then the form comes back with the input kept and the error at the field', async () => {
    const typed = 'x'.repeat(201);
    const res = await request(app).get(`/search?q=${typed}&region=WEOG`);
    expect(res.status).toBe(400);
    const form = page(res.text);
    expect(form.text('.error-summary h2')).toBe('There is a problem');
    expect(form.errorSummaryFields()).toEqual(['q']);
    expect(form.field('q')).toBe(typed);
    expect(form.field('region')).toBe('WEOG');
    expect(form.attr('[name="q"]', 'aria-invalid')).toBe('true');
  });

  it('when a filter has a value that does not exist, then the form comes back with the error at that select and the other choices kept', async () => {
    const res = await request(app).get('/search?region=NOWHERE&instrument=UNTOC');
    expect(res.status).toBe(400);
    const form = page(res.text);
    expect(form.errorSummaryFields()).toEqual(['region']);
    expect(form.fieldErrors()).toEqual(['region']);
    expect(form.attr('#f-region', 'aria-invalid')).toBe('true');
    expect(form.attr('#f-region', 'aria-describedby')).toBe('f-region-error');
    expect(form.text('#f-region-error')).not.toBe('');
    expect(form.field('instrument')).toBe('UNTOC');
  });

  it('when searching by a filter only, then matching States and authorities are listed', async () => {
    const res = await request(app).get('/search?designation=SOM-8-6&region=WEOG');
    expect(res.status).toBe(200);
    const hrefs = page(res.text).hrefs();
    expect(hrefs).toContain('/states/FRA');
    expect(hrefs).not.toContain('/states/UKR');
  });

  it('when searching by channel, then only authorities accepting that channel are listed', async () => {
    const res = await request(app).get('/search?channel=secure-platform');
    expect(res.status).toBe(200);
    const listed = page(res.text)
      .hrefs()
      .filter((href) => href.startsWith('/authorities/'))
      .map((href) => href.slice('/authorities/'.length));
    expect(listed.length).toBeGreaterThan(0);
    for (const id of new Set(listed)) {
      const api = await request(app).get(`/api/v1/authorities/${id}`);
      expect(api.body.data.channels).toContain('secure-platform');
    }
  });

  it('when no filter is set, then the filters are folded under a summary, so the results come first on a phone; a filter set or refused opens them', async () => {
    const sought = page((await request(app).get('/search?q=ministry').expect(200)).text);
    expect(sought.count('details.filters-box:not([open]) select[name="region"]')).toBe(1);
    expect(page((await request(app).get('/search').expect(200)).text).count('details.filters-box:not([open])')).toBe(1);
    const filtered = page((await request(app).get('/search?q=ministry&region=WEOG').expect(200)).text);
    expect(filtered.count('details.filters-box[open] select[name="region"]')).toBe(1);
    expect(filtered.text('details.filters-box > summary .count')).toBe('(1)');
    expect(page((await request(app).get('/search?region=NOWHERE').expect(400)).text).count('details.filters-box[open]')).toBe(1);
  });

  describe('search results page by page', () => {
    const resultLinks = (html: string) => page(html).attrs('ul.results > li > a.result-title', 'href');

    it('when a search finds more than a page holds, then the count is shown and numbered page links keep the filters', async () => {
      const res = await request(app).get('/search?region=AFRICAN');
      expect(res.status).toBe(200);
      const first = page(res.text);
      const [, total, states, authorities] = /^(\d+) results Found (\d+) States and (\d+) authorit/.exec(first.text('.result-count'))!.map(Number);
      expect(total).toBe(states! + authorities!);
      expect(states).toBeGreaterThan(25);
      // one list, States and authorities together
      expect(first.count('ul.results > li')).toBe(25);
      const pages = Math.ceil(total! / 25);
      expect(first.text('.result-count .page-of')).toBe(`Page 1 of ${pages}.`);
      const nav = 'nav.pagination[aria-label="Result pages"]';
      expect(first.count(nav)).toBe(1);
      expect(first.text(`${nav} [aria-current="page"]`)).toBe('1');
      expect(first.count(`${nav} a[rel="prev"]`)).toBe(0);
      expect(first.attr(`${nav} a[rel="next"]`, 'href')).toBe('/search?region=AFRICAN&page=2');
      expect(first.linkTo('2')).toBe('/search?region=AFRICAN&page=2');
      expect(first.linkTo(String(pages))).toBe(`/search?region=AFRICAN&page=${pages}`);
    });

    it('when page 2 is opened, then it shows the next results, marked current, with a link back', async () => {
      const one = await request(app).get('/search?region=AFRICAN');
      const two = await request(app).get('/search?region=AFRICAN&page=2');
      expect(two.status).toBe(200);
      const second = page(two.text);
      expect(second.text('nav.pagination [aria-current="page"]')).toBe('2');
      expect(second.attr('nav.pagination a[rel="prev"]', 'href')).toBe('/search?region=AFRICAN');
      const onOne = resultLinks(one.text);
      const onTwo = resultLinks(two.text);
      expect(onTwo.length).toBeGreaterThan(0);
      expect(onTwo.filter((href) => onOne.includes(href))).toEqual([]);
    });

    it('when anonymous visitors read the pages again, then each page number has its own cached copy', async () => {
      const one = await request(app).get('/search?region=ASIA_PACIFIC');
      const two = await request(app).get('/search?region=ASIA_PACIFIC&page=2');
      const twoAgain = await request(app).get('/search?region=ASIA_PACIFIC&page=2');
      expect(twoAgain.headers['x-cache']).toBe('hit');
      expect(resultLinks(twoAgain.text)).toEqual(resultLinks(two.text));
      expect(resultLinks(twoAgain.text)).not.toEqual(resultLinks(one.text));
      expect(page(twoAgain.text).text('nav.pagination [aria-current="page"]')).toBe('2');
      expect(page(twoAgain.text).attr('nav.pagination a[rel="prev"]', 'href')).toBe('/search?region=ASIA_PACIFIC');
    });

    it('when the same search is asked twice, then the results come in the same order on every page', async () => {
      for (const url of ['/search?region=AFRICAN', '/search?region=AFRICAN&page=2', '/search?q=ministry']) {
        const again = await Promise.all([request(app).get(url), request(app).get(`${url}&lang=en`)]);
        expect(resultLinks(again[1].text)).toEqual(resultLinks(again[0].text));
      }
    });

    it('when the page is not a whole number from 1, then the first page is shown', async () => {
      const first = resultLinks((await request(app).get('/search?region=AFRICAN')).text);
      for (const bad of ['abc', '-1', '0', '2.5', '']) {
        const res = await request(app).get(`/search?region=AFRICAN&page=${bad}`);
        expect(res.status).toBe(200);
        expect(page(res.text).text('nav.pagination [aria-current="page"]')).toBe('1');
        expect(resultLinks(res.text)).toEqual(first);
      }
    });

    it('when the page is past the last one, then the last page is shown with the count', async () => {
      const first = page((await request(app).get('/search?region=AFRICAN')).text);
      const pages = /^Page 1 of (\d+)\.$/.exec(first.text('.result-count .page-of'))![1]!;
      const res = await request(app).get('/search?region=AFRICAN&page=9999');
      expect(res.status).toBe(200);
      const shown = page(res.text);
      expect(shown.text('.result-count .total')).toBe(first.text('.result-count .total'));
      expect(shown.text('nav.pagination [aria-current="page"]')).toBe(pages);
      expect(shown.count('nav.pagination a[rel="next"]')).toBe(0);
      const last = await request(app).get(`/search?region=AFRICAN&page=${pages}`);
      expect(resultLinks(res.text)).toEqual(resultLinks(last.text));
      expect(resultLinks(res.text).length).toBeGreaterThan(0);
    });

    it('when a search fits on one page, then it shows no page links', async () => {
      const res = await request(app).get('/search?q=France');
      expect(page(res.text).count('nav.pagination')).toBe(0);
      expect(page(res.text).text('.result-count .total')).toMatch(/^\d+ results?$/);
    });
  });

  it('when a State page is opened, then each designation is a group that opens and closes without script', async () => {
    const res = await request(app).get('/states/FRA');
    const state = page(res.text);
    const groups = state.$('details.designation').toArray();
    expect(groups.length).toBeGreaterThan(1);
    expect(state.count('section.designation')).toBe(0);
    for (const group of groups) {
      const summary = state.$(group).children('summary');
      expect(summary.find('h2').length).toBe(1);
      const held = state.$(group).find('.authority').length;
      expect(summary.find('.count').text()).toMatch(/^\d+ authorit(y|ies)$/);
      if (held <= 3) expect(state.$(group).attr('open')).toBeDefined();
    }
    expect(state.hrefs()).toContain(`#${groups[0]!.attribs['id']}`);
  });

  describe('a designation shown in full where it is named', () => {
    it('when a State page is opened, then each designation has a readable anchor the page links to, and the older #d-<code> anchor still exists around it', async () => {
      const state = page((await request(app).get('/states/FRA')).text);
      expect(state.attrs('details.designation', 'id')).toEqual(expect.arrayContaining(['mutual-legal-assistance', 'extradition', 'transfer', 'smuggling-at-sea', 'uncac-46-13']));
      expect(state.hrefs()).toEqual(expect.arrayContaining(['#mutual-legal-assistance', '#extradition', '#transfer']));
      expect(state.$('#d-UNTOC-16').children('details#extradition').length).toBe(1);
      expect(state.text('#extradition > summary h2')).toBe('Authority for extradition (UNTOC art. 16)');
    });

    it('when an authority holds several designations, then each section shows its contact details in place, with no "details above" and no id twice', async () => {
      const res = await request(app).get('/states/FRA');
      const state = page(res.text);
      expect(state.count('.see-above')).toBe(0);
      expect(res.text).not.toContain('details above');
      for (const section of ['#mutual-legal-assistance', '#extradition', '#transfer']) {
        expect(state.$(`${section} .authority a[href="mailto:entraide@justice.fr.example"]`).length).toBeGreaterThan(0);
      }
      const ids = state.$('[id]').toArray().map((element) => element.attribs['id']);
      expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    });

    it('when the State has written requirements for a kind of request, then they are shown in that designation’s section', async () => {
      const state = page((await request(app).get('/states/FRA')).text);
      expect(state.text('#mutual-legal-assistance .designation-requirements h3')).toBe('Requirements for mutual legal assistance');
      expect(state.text('#mutual-legal-assistance .designation-requirements .state-text')).toContain('Toute demande d’entraide comporte');
      expect(state.text('#extradition .designation-requirements h3')).toBe('Requirements for extradition');
      expect(state.count('#transfer .designation-requirements')).toBe(0);
      expect(state.count('#smuggling-at-sea .designation-requirements')).toBe(0);
    });

    it('when an authority takes urgent requests in advance, then the page says how in a sentence of the reader’s language, its list joined as that language joins lists', async () => {
      const english = page((await request(app).get('/states/FRA')).text);
      expect(english.texts('#mutual-legal-assistance .urgent strong')).toContain('Urgent requests are accepted in advance of the formal request by e-mail and through INTERPOL.');
      expect(english.texts('#smuggling-at-sea .urgent strong')).toContain('Urgent requests are accepted in advance of the formal request by e-mail and orally by telephone.');
      const french = page((await request(app).get('/states/FRA?lang=fr')).text);
      expect(french.texts('#smuggling-at-sea .urgent strong')).toContain('Les demandes urgentes sont acceptées avant la demande formelle par courriel et oralement par téléphone.');
      const chinese = page((await request(app).get('/states/FRA?lang=zh')).text);
      expect(chinese.texts('#smuggling-at-sea .urgent strong')).toContain('紧急请求可在正式请求之前通过电子邮件和以电话口头方式提出。');
    });

    it('when a restricted State is opened anonymously, then no designation section, requirement or anchor gives its details away', async () => {
      const res = await request(app).get('/states/RUS');
      const state = page(res.text);
      expect(state.count('details.designation')).toBe(0);
      expect(state.count('.designation-requirements')).toBe(0);
      expect(state.count('.authority')).toBe(0);
    });
  });

  it('when the resources page is opened, then curated resources are listed by category', async () => {
    const res = await request(app).get('/resources');
    expect(res.status).toBe(200);
    expect(res.text).toContain('https://www.unodc.org/mla/index.html');
  });

  it('when any page is served, then a strict Content-Security-Policy forbids inline script', async () => {
    const res = await request(app).get('/');
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const scripts = page(res.text).$('script');
    expect(scripts.filter((_, el) => !el.attribs['src']).length).toBe(0);
  });
});
