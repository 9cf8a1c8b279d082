import request from 'supertest';
import { findAuthoritiesOfState, findState } from '../../src/editing/editing.repository';
import { setAccess } from '../../src/editing/editing.service';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { changeEmails, parseAtom, secretariatContext } from './following-helpers';

describe('Atom feeds of public changes', () => {
  useTestDatabase();
  const app = testApp();

  it('when nothing was changed yet, then the Directory feed is a valid, empty Atom feed with its own address', async () => {
    const res = await request(app).get('/feed.atom');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const feed = parseAtom(res.text);
    expect(feed.title).toBe('Central Authorities Directory: latest changes');
    expect(feed.selfLink).toBe('http://localhost/feed.atom');
    expect(feed.entries).toEqual([]);
  });

  it('when a public State’s authority is changed through the editing service, then both feeds name the authority and the field, and link to the State', async () => {
    const changed = await changeEmails('DEU', 'feed-test@justice.de.example');
    for (const path of ['/states/DEU/feed.atom', '/feed.atom']) {
      const feed = parseAtom((await request(app).get(path)).text);
      const entry = feed.entries[0]!;
      expect(entry.title).toBe(`Germany, ${changed.name.original} (${changed.name.en}): changed`);
      expect(entry.summary).toBe('Fields changed: E-mail addresses.');
      expect(entry.link).toBe('http://localhost/states/DEU');
      expect(entry.id).toMatch(/^tag:localhost,2024:revision:[a-f0-9]{24}$/);
      // what changed, never the values
      expect(JSON.stringify(feed)).not.toContain('feed-test@justice.de.example');
    }
  });

  it('when a restricted State’s authority is changed, then the feeds say only that its entry changed: no name, no field, no contact', async () => {
    const rus = (await findAuthoritiesOfState('RUS'))[0]!;
    await changeEmails('RUS', 'hidden-change@prosecutor.ru.example');
    for (const path of ['/states/RUS/feed.atom', '/feed.atom']) {
      const res = await request(app).get(path);
      const entry = parseAtom(res.text).entries[0]!;
      expect(entry.title).toBe('Russian Federation: its entry changed');
      expect(entry.summary).toBe('The details of this entry are for authorized users.');
      for (const hidden of [rus.name.en, rus.name.original, 'hidden-change@prosecutor.ru.example', ...rus.emails]) expect(res.text).not.toContain(hidden);
    }
  });

  it('when a State is opened to the public, then a change made while it was restricted still shows without details, and a later one in full', async () => {
    await changeEmails('MEX', 'before-opening@mex.example');
    const state = await findState('MEX');
    await setAccess(secretariatContext, 'MEX', state!.version, 'public');
    const after = await changeEmails('MEX', 'after-opening@mex.example');
    const titles = parseAtom((await request(app).get('/states/MEX/feed.atom')).text).entries.map((entry) => entry.title);
    expect(titles).toEqual([`Mexico, ${after.name.original} (${after.name.en}): changed`, "Mexico, the State's own fields: changed", 'Mexico: its entry changed']);
  });

  it('when the reader asks for French with ?lang= or Russian with Accept-Language, then the feed is in that language', async () => {
    const french = parseAtom((await request(app).get('/states/DEU/feed.atom?lang=fr')).text);
    expect(french.title).toBe('Allemagne : modifications de sa fiche');
    expect(french.entries[0]!.summary).toBe('Champs modifiés : Adresses électroniques.');
    const russian = await request(app).get('/states/DEU/feed.atom').set('Accept-Language', 'ru');
    expect(russian.headers['content-language']).toBe('ru');
    expect(parseAtom(russian.text).entries[0]!.summary).toBe('Изменённые поля: Адреса электронной почты.');
  });

  it('when an anonymous reader asks again with the ETag, then the answer is 304, and the feed may be kept by caches that revalidate', async () => {
    const first = await request(app).get('/feed.atom');
    expect(first.headers['cache-control']).toBe('public, no-cache');
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await request(app).get('/feed.atom').set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
  });

  it('when an unknown State’s feed is asked for, then the answer is 404', async () => {
    expect((await request(app).get('/states/XYZ/feed.atom')).status).toBe(404);
    expect((await request(app).get('/states/12/feed.atom')).status).toBe(404);
  });

  it('when the home page or a State page is read, then it announces its feed and shows a Subscribe (Atom) link', async () => {
    const home = page((await request(app).get('/')).text);
    expect(home.attr('link[rel="alternate"][type="application/atom+xml"]', 'href')).toBe('/feed.atom');
    expect(home.linkTo('Subscribe (Atom)')).toBe('/feed.atom');
    const state = page((await request(app).get('/states/DEU')).text);
    expect(state.attr('link[rel="alternate"][type="application/atom+xml"]', 'href')).toBe('/states/DEU/feed.atom');
    expect(state.linkTo('Subscribe (Atom)')).toBe('/states/DEU/feed.atom');
  });
});
