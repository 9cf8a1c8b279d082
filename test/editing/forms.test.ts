import request from 'supertest';
import { AuditEventModel } from '../../src/audit/audit.model';
import { findAuthority, findState } from '../../src/editing/editing.repository';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { authorityEditPage, authorityOf, editor, formFields, postPairs, submitForm, todayAsShown, withValues } from './editing-helpers';
import { page as parsePage } from '../helpers/html';

describe('editing forms', () => {
  useTestDatabase();
  const app = testApp();
  let focal: Awaited<ReturnType<typeof editor>>;

  beforeAll(async () => {
    focal = await editor(app, 'focal-point', ['FRA']);
  });

  const editPage = () => authorityEditPage('FRA', 'Ministry of Justice');

  it('when a focal point opens the overview of their State, then it links every form, and the State page offers edit, history and confirm', async () => {
    const overview = await focal.agent.get('/states/FRA/edit');
    expect(overview.status).toBe(200);
    expect(overview.headers['cache-control']).toBe('no-store');
    for (const link of ['/states/FRA/authorities/new', '/states/FRA/optional/edit', '/states/FRA/access', '/states/FRA/history']) {
      expect(parsePage(overview.text).hrefs()).toContain(link);
    }
    // counts as labelled figures, never "1 laws and links"
    const fra = (await findState('FRA'))!;
    expect(overview.text).toContain(`Requirement summaries: ${Object.keys(fra.optional.requirements).length}; laws and links: ${fra.optional.laws.length}; treaties: ${fra.optional.treaties.length}.`);
    const statePage = await focal.agent.get('/states/FRA');
    expect(parsePage(statePage.text).hrefs()).toContain('/states/FRA/edit');
    expect(parsePage(statePage.text).hrefs()).toContain('/states/FRA/history');
    expect(statePage.text).toContain('action="/states/FRA/confirm"');
    const other = await focal.agent.get('/states/RUS');
    expect(parsePage(other.text).hrefs()).not.toContain('/states/RUS/edit');
    expect((await request(app).get('/states/FRA')).text).not.toContain('/states/FRA/edit');
  });

  it('when the authority form is opened, then it is filled with the stored values and offers spare rows', async () => {
    const { authority, page } = await editPage();
    const res = await focal.agent.get(page);
    expect(res.status).toBe(200);
    const fields = new Map(formFields(res.text, page));
    expect(fields.get('name[original]')).toBe(authority.name.original);
    expect(fields.get('emails[0]')).toBe(authority.emails[0]);
    expect(fields.get('version')).toBe(String(authority.version));
    // the stored phones, then two blank rows
    expect(fields.get(`phones[${authority.phones.length}][number]`)).toBe('');
    expect(fields.get(`phones[${authority.phones.length + 1}][number]`)).toBe('');
    expect(fields.has(`phones[${authority.phones.length + 2}][number]`)).toBe(false);
    expect(res.text).toContain('for="f-officeHours.timeZone"');
  });

  it.each([
    ['a bad e-mail', 'emails[0]', 'not-an-address', 'emails.0', 'Enter an e-mail address such as name@example.org.'],
    ['a phone number valid nowhere', 'phones[0][number]', '0123 456', 'phones.0.number', 'This is not a valid telephone number.'],
    ['a bad web address', 'website', 'javascript:alert(1)', 'website', 'Enter a web address starting with https://'],
    ['an unknown time zone', 'officeHours[timeZone]', 'Europe/Atlantis', 'officeHours.timeZone', 'Enter an IANA time zone such as Europe/Paris.'],
    ['an unknown language', 'languages', 'fr, xx', 'languages', '“xx” is not a language we know'],
    ['a language name that is none', 'name[originalLanguage]', 'Elvish', 'name.originalLanguage', 'Enter a language by its name, such as Russian'],
    ['a name too long', 'name[en]', 'x'.repeat(301), 'name.en', 'Enter at most 300 characters.'],
  ])('when the authority form is posted with %s, then it comes back with 422, the input kept, a summary and the message at the field', async (_what, name, value, key, message) => {
    const { authority, page } = await editPage();
    const res = await submitForm(focal.agent, page, page, { [name]: value });
    expect(res.status).toBe(422);
    expect(res.text).toContain('There is a problem');
    expect(parsePage(res.text).errorSummaryFields()).toContain(key);
    expect(parsePage(res.text).fieldErrors()).toContain(key);
    expect(res.text).toContain(message);
    const kept = new Map(formFields(res.text, page));
    expect(kept.get(name)).toBe(value);
    // nothing was written
    expect((await findAuthority(authority.id))?.version).toBe(authority.version);
  });

  it('when a text is posted in Russian, then the messages are in Russian', async () => {
    const { page } = await editPage();
    const form = await focal.agent.get(page);
    const res = await postPairs(focal.agent, `${page}?lang=ru`, withValues(formFields(form.text, page), { 'emails[0]': 'x' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('Введите адрес электронной почты');
  });

  it('when a good change is saved, then the public State page shows it at once with today as last-updated date', async () => {
    const { authority, page } = await editPage();
    const res = await submitForm(focal.agent, page, page, {
      'emails[0]': 'Nouvelle.Adresse@justice.fr.example',
      'phones[0][number]': '+44 20 7946 0199',
      'contactPersons[1][name]': 'Dominique Exemple',
      'contactPersons[1][emails][0]': 'dominique@justice.fr.example',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/states/FRA/edit?done=saved');
    const stored = await findAuthority(authority.id);
    expect(stored?.emails[0]).toBe('nouvelle.adresse@justice.fr.example');
    expect(stored?.phones[0]?.number).toBe('+442079460199');
    expect(stored?.contactPersons.map((person) => person.name)).toEqual([authority.contactPersons[0]!.name, 'Dominique Exemple']);
    expect(stored?.version).toBe(authority.version + 1);
    const publicPage = await request(app).get('/states/FRA');
    expect(publicPage.text).toContain('mailto:nouvelle.adresse@justice.fr.example');
    expect(publicPage.text).toContain('Dominique Exemple');
    expect(parsePage(publicPage.text).text(`time[datetime="${new Date().toISOString().slice(0, 10)}"]`)).toBe(todayAsShown());
  });

  it('when an authority is added and then removed, then it appears on the public page and disappears again', async () => {
    const add = await submitForm(focal.agent, '/states/FRA/authorities/new', '/states/FRA/authorities/new', {
      designations: 'UNTOC-18-13',
      'name[original]': 'Parquet national (exemple)',
      'name[originalLanguage]': 'fr',
      'name[en]': 'National prosecution office (sample)',
      kind: 'prosecution-service',
      'address[lines]': '2, rue de l’Exemple',
      'address[city]': 'Paris',
      'emails[0]': 'parquet@justice.fr.example',
      languages: 'fr',
    });
    expect(add.status).toBe(303);
    expect(add.headers.location).toBe('/states/FRA/edit?done=created');
    expect((await request(app).get('/states/FRA')).text).toContain('Parquet national (exemple)');
    const created = await authorityOf('FRA', 'National prosecution office');
    const removePage = `/states/FRA/authorities/${created.id}/remove`;
    const removed = await submitForm(focal.agent, removePage, removePage);
    expect(removed.status).toBe(303);
    expect(await findAuthority(created.id)).toBeUndefined();
    expect((await request(app).get('/states/FRA')).text).not.toContain('Parquet national (exemple)');
  });

  it('when the new-authority form is posted with nothing filled in, then each required field says so', async () => {
    const res = await submitForm(focal.agent, '/states/FRA/authorities/new', '/states/FRA/authorities/new');
    expect(res.status).toBe(422);
    for (const key of ['designations', 'name.original', 'name.originalLanguage', 'name.en', 'kind', 'address.city']) {
      expect(parsePage(res.text).fieldErrors()).toContain(key);
    }
  });

  it('when the optional section is saved with a bad law link and a bad treaty date, then 422 names those rows; fixed, it shows on the public page', async () => {
    const page = '/states/FRA/optional/edit';
    const form = await focal.agent.get(page);
    expect(form.status).toBe(200);
    const pairs = formFields(form.text, page);
    const lawRow = pairs.filter(([name]) => /^laws\[\d+\]\[title\]$/.test(name)).length - 2;
    const bad = await postPairs(
      focal.agent,
      page,
      withValues(pairs, {
        [`laws[${lawRow}][title]`]: 'Loi d’exemple',
        [`laws[${lawRow}][url]`]: 'not a url',
        [`laws[${lawRow}][language]`]: 'fr',
        'treaties[0][signed]': '2003-13-45',
        'requirements[transfer][text]': 'Résumé des exigences (exemple).',
        'requirements[transfer][language]': 'fr',
      }),
    );
    expect(bad.status).toBe(422);
    expect(parsePage(bad.text).fieldErrors()).toContain(`laws.${lawRow}.url`);
    expect(parsePage(bad.text).fieldErrors()).toContain('treaties.0.signed');
    expect(bad.text).toContain('Résumé des exigences (exemple).');
    const good = await postPairs(
      focal.agent,
      page,
      withValues(formFields(bad.text, page), { [`laws[${lawRow}][url]`]: 'https://laws.fr.example/loi', 'treaties[0][signed]': '2003-05-14' }),
    );
    expect(good.status).toBe(303);
    const publicPage = (await request(app).get('/states/FRA')).text;
    expect(parsePage(publicPage).hrefs()).toContain('https://laws.fr.example/loi');
    expect(publicPage).toContain('Résumé des exigences (exemple).');
    expect((await findState('FRA'))?.optional.requirements.transfer?.language).toBe('fr');
  });

  it('when a State goes from public to restricted, then anonymous readers lose its contacts at once and the change is audited', async () => {
    const before = await request(app).get('/states/FRA');
    expect(before.text).toContain('mailto:');
    const res = await submitForm(focal.agent, '/states/FRA/access', '/states/FRA/access', { access: 'restricted' });
    expect(res.status).toBe(303);
    const after = await request(app).get('/states/FRA');
    expect(after.text).not.toContain('mailto:');
    expect((await request(app).get('/api/v1/states/FRA')).body.data.detailsRestricted).toBe(true);
    expect((await focal.agent.get('/states/FRA')).text).toContain('mailto:');
    const events = await AuditEventModel.find({ type: 'access-setting-changed', subject: 'FRA' }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: focal.user.user.id, actorEmail: focal.user.user.email, details: { from: 'public', to: 'restricted' } });
    await submitForm(focal.agent, '/states/FRA/access', '/states/FRA/access', { access: 'public' });
    expect((await request(app).get('/states/FRA')).text).toContain('mailto:');
  });

  it('when the access form is posted without a choice, then it comes back with 422 and the message at the field', async () => {
    const res = await submitForm(focal.agent, '/states/FRA/access', '/states/FRA/access', { access: null });
    expect(res.status).toBe(422);
    expect(parsePage(res.text).errorSummaryFields()).toContain('access');
    expect(parsePage(res.text).fieldErrors()).toContain('access');
  });

  it('when a form is posted without its CSRF token, then it is refused with 403 and nothing changes', async () => {
    const { authority, page } = await editPage();
    const form = await focal.agent.get(page);
    const res = await postPairs(focal.agent, page, withValues(formFields(form.text, page), { _csrf: null, 'emails[0]': 'csrf@justice.fr.example' }));
    expect(res.status).toBe(403);
    expect((await findAuthority(authority.id))?.emails).not.toContain('csrf@justice.fr.example');
  });
});
