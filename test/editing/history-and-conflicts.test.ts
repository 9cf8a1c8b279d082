import request from 'supertest';
import { findAuthority, findState } from '../../src/editing/editing.repository';
import { RevisionModel } from '../../src/editing/revision.model';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page as parse } from '../helpers/html';
import { authorityOf, editor, formFields, postPairs, submitForm, todayAsShown, withValues } from './editing-helpers';

/** Each row of the history's change tables: the field's label, and each side written [-struck out-] and {+added+}, list items joined by "; ". */
function historyDiffs(html: string): Array<{ field: string; before: string; after: string }> {
  const { $ } = parse(html);
  const side = (cell: ReturnType<typeof $>) => {
    const marked = cell.clone();
    for (const struck of marked.find('del').toArray()) $(struck).text(`[-${$(struck).text()}-]`);
    for (const added of marked.find('ins').toArray()) $(added).text(`{+${$(added).text()}+}`);
    const items = marked.find('li').toArray();
    return (items.length > 0 ? items.map((item) => $(item).text()).join('; ') : marked.text()).trim();
  };
  return $('ol.revisions table.diff tbody tr')
    .toArray()
    .map((row) => {
      const [before, after] = $(row).children('td').toArray().map((cell) => side($(cell)));
      return { field: $(row).children('th').text().trim(), before: before ?? '', after: after ?? '' };
    });
}

describe('no lost updates, history and restore, still accurate', () => {
  useTestDatabase();
  const app = testApp();
  let first: Awaited<ReturnType<typeof editor>>;
  let second: Awaited<ReturnType<typeof editor>>;
  let secretariat: Awaited<ReturnType<typeof editor>>;

  beforeAll(async () => {
    first = await editor(app, 'focal-point', ['FRA']);
    second = await editor(app, 'focal-point', ['FRA']);
    secretariat = await editor(app, 'secretariat');
  });

  it('when two focal points load the same form and both save, then the second gets 409 naming the changed field and who changed it, with their input kept, and only the first save is stored', async () => {
    const authority = await authorityOf('FRA', 'Maritime');
    const page = `/states/FRA/authorities/${authority.id}/edit`;
    const [formA, formB] = await Promise.all([first.agent.get(page), second.agent.get(page)]);
    const saveA = await postPairs(first.agent, page, withValues(formFields(formA.text, page), { 'emails[0]': 'first@mer.fr.example' }));
    expect(saveA.status).toBe(303);
    const saveB = await postPairs(second.agent, page, withValues(formFields(formB.text, page), { 'name[en]': 'Second editor’s name' }));
    expect(saveB.status).toBe(409);
    const conflict = parse(saveB.text).$('.conflict[role="alert"]');
    expect(conflict.children('h2').text()).toBe('Someone else saved this entry while you were editing it');
    expect(conflict.children('p').first().text()).toContain(`${first.user.user.email} saved changes on`);
    const emailChange = conflict.find('ul > li').filter((_, item) => conflict.find(item).children('strong').text() === 'E-mail addresses');
    expect(emailChange.text()).toMatch(/^E-mail addresses: first@mer\.fr\.example/);
    const kept = new Map(formFields(saveB.text, page));
    expect(kept.get('name[en]')).toBe('Second editor’s name');
    expect(kept.get('version')).toBe(String(authority.version + 1));
    const stored = await findAuthority(authority.id);
    expect(stored?.emails[0]).toBe('first@mer.fr.example');
    expect(stored?.name.en).toBe(authority.name.en);
    // having seen what changed, the second editor saves again on purpose
    const again = await postPairs(second.agent, page, formFields(saveB.text, page));
    expect(again.status).toBe(303);
    expect((await findAuthority(authority.id))?.name.en).toBe('Second editor’s name');
  });

  it('when an authority is removed while someone edits it, then their save is refused with 409 saying it was removed', async () => {
    const add = await submitForm(first.agent, '/states/FRA/authorities/new', '/states/FRA/authorities/new', {
      designations: 'UNTOC-17',
      'name[original]': 'Bureau des transfèrements (exemple)',
      'name[originalLanguage]': 'fr',
      'name[en]': 'Transfer office (sample)',
      kind: 'ministry-of-justice',
      'address[city]': 'Paris',
    });
    expect(add.status).toBe(303);
    const created = await authorityOf('FRA', 'Transfer office');
    const page = `/states/FRA/authorities/${created.id}/edit`;
    const form = await second.agent.get(page);
    await submitForm(first.agent, `/states/FRA/authorities/${created.id}/remove`, `/states/FRA/authorities/${created.id}/remove`);
    const save = await postPairs(second.agent, page, withValues(formFields(form.text, page), { 'address[city]': 'Lyon' }));
    expect(save.status).toBe(409);
    expect(save.text).toContain(first.user.user.email);
    expect(new Map(formFields(save.text, page)).get('address[city]')).toBe('Lyon');
    expect(await findAuthority(created.id)).toBeUndefined();
    const removeAgain = await postPairs(second.agent, `/states/FRA/authorities/${created.id}/remove`, formFields(form.text, page).filter(([name]) => name === '_csrf' || name === 'version'));
    expect(removeAgain.status).toBe(409);
    expect(removeAgain.text).toContain(first.user.user.email);
  });

  it('when two people change the optional section from the same version, then the second is refused with the changed part listed', async () => {
    const page = '/states/FRA/optional/edit';
    const [formA, formB] = await Promise.all([first.agent.get(page), second.agent.get(page)]);
    const saveA = await postPairs(first.agent, page, withValues(formFields(formA.text, page), { untocLegalBasisForExtradition: 'no' }));
    expect(saveA.status).toBe(303);
    const saveB = await postPairs(second.agent, page, withValues(formFields(formB.text, page), { 'requirements[mla][format]': 'plain' }));
    expect(saveB.status).toBe(409);
    expect(saveB.text).toContain('The Convention as legal basis for extradition');
    expect((await findState('FRA'))?.optional.untocLegalBasisForExtradition).toBe('no');
  });

  it('when a change is saved, then the history shows who, when, and the old value struck out beside the new one', async () => {
    const authority = await authorityOf('FRA', 'Ministry of Justice');
    const page = `/states/FRA/authorities/${authority.id}/edit`;
    const oldEmail = authority.emails[0]!;
    await submitForm(first.agent, page, page, { 'emails[0]': 'history@justice.fr.example', 'name[en]': 'Ministry of Justice, renamed (sample)' });
    const history = await second.agent.get('/states/FRA/history');
    expect(history.status).toBe(200);
    expect(parse(history.text).text('ol.revisions > li.revision .meta')).toContain(first.user.user.email);
    const diffs = historyDiffs(history.text);
    expect(diffs).toContainEqual({ field: expect.any(String), before: expect.stringContaining(`[-${oldEmail}-]`), after: expect.stringContaining('{+history@justice.fr.example+}') });
    expect(diffs).toContainEqual({ field: expect.any(String), before: 'Ministry of[- Justice-] (sample)', after: 'Ministry of{+ Justice, renamed+} (sample)' });
    const revision = await RevisionModel.findOne({ entityId: authority.id, action: 'update' }).sort({ at: -1 }).lean();
    expect(revision).toMatchObject({ state: 'FRA', actorId: first.user.user.id, actorEmail: first.user.user.email, actorRole: 'focal-point' });
    expect(revision?.fields).toEqual(expect.arrayContaining(['emails', 'name.en']));
    expect((revision?.before as { emails: string[] }).emails[0]).toBe(oldEmail);
    expect((revision?.after as { emails: string[] }).emails[0]).toBe('history@justice.fr.example');
    // stored codes are shown as words: languages by name
    await submitForm(first.agent, page, page, { languages: 'fr, es' });
    const worded = await second.agent.get('/states/FRA/history');
    const wordedDiffs = historyDiffs(worded.text);
    expect(wordedDiffs.some((diff) => diff.after.includes('{+Spanish+}'))).toBe(true);
    expect(wordedDiffs.filter((diff) => diff.after.includes('{+es+}') || diff.before.includes('[-en-]'))).toEqual([]);
  });

  it('when an earlier version is restored, then the old values come back, the restore is a revision, and a stale restore is refused', async () => {
    const authority = await authorityOf('FRA', 'Ministry of Justice');
    const revision = await RevisionModel.findOne({ entityId: authority.id, action: 'update', fields: 'emails' }).sort({ at: -1 }).lean();
    const before = revision!.before as { emails: string[]; name: { en: string } };
    const history = await first.agent.get('/states/FRA/history');
    const action = `/states/FRA/history/${String(revision!._id)}/restore`;
    const pairs = formFields(history.text, action);
    // someone saves meanwhile: the restore, made from the page as it was, must not undo that silently
    await submitForm(second.agent, `/states/FRA/authorities/${authority.id}/edit`, `/states/FRA/authorities/${authority.id}/edit`, { notes: 'Saved meanwhile' });
    const stale = await postPairs(first.agent, action, pairs);
    expect(stale.status).toBe(409);
    expect((await findAuthority(authority.id))?.notes).toBe('Saved meanwhile');
    const fresh = await first.agent.get('/states/FRA/history');
    const restored = await postPairs(first.agent, action, formFields(fresh.text, action));
    expect(restored.status).toBe(303);
    const now = await findAuthority(authority.id);
    expect(now?.emails).toEqual(before.emails);
    expect(now?.name.en).toBe(before.name.en);
    const latest = await RevisionModel.findOne({ entityId: authority.id }).sort({ at: -1, _id: -1 }).lean();
    expect(latest).toMatchObject({ action: 'restore', restoredFrom: String(revision!._id), actorId: first.user.user.id });
    expect(parse((await request(app).get('/states/FRA')).text).attrs('a[href^="mailto:"]', 'href')).toContain(`mailto:${before.emails[0]}`);
  });

  it('when a removal is undone from the history, then the authority comes back at its old address', async () => {
    const authority = await authorityOf('FRA', 'Central Firearms');
    await submitForm(first.agent, `/states/FRA/authorities/${authority.id}/remove`, `/states/FRA/authorities/${authority.id}/remove`);
    expect(await findAuthority(authority.id)).toBeUndefined();
    const removal = await RevisionModel.findOne({ entityId: authority.id, action: 'remove' }).lean();
    const action = `/states/FRA/history/${String(removal!._id)}/restore`;
    const history = await secretariat.agent.get('/states/FRA/history');
    expect(parse(history.text).$(`form[action="${action}"] button[type="submit"]`).text()).toBe('Bring this authority back');
    const res = await postPairs(secretariat.agent, action, formFields(history.text, action));
    expect(res.status).toBe(303);
    const back = await findAuthority(authority.id);
    expect(back?.name).toEqual(authority.name);
    expect(back?.emails).toEqual(authority.emails);
    expect((await request(app).get(`/authorities/${authority.id}`)).status).toBe(200);
    const latest = await RevisionModel.findOne({ entityId: authority.id }).sort({ at: -1, _id: -1 }).lean();
    expect(latest).toMatchObject({ action: 'restore', actorRole: 'secretariat', state: 'FRA' });
  });

  it('when a focal point confirms the entries are still accurate, then the last-confirmed date is today, beside the last-updated date, and it is recorded', async () => {
    const state = await findState('FRA');
    const page = await first.agent.get('/states/FRA');
    const res = await postPairs(first.agent, '/states/FRA/confirm', formFields(page.text, '/states/FRA/confirm'));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/states/FRA?done=confirmed');
    const stored = await findState('FRA');
    expect(stored?.lastConfirmedAt?.toISOString().slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
    expect(stored?.lastUpdatedAt).toEqual(state?.lastUpdatedAt);
    expect(stored?.version).toBe(state?.version);
    const publicPage = (await request(app).get('/states/FRA')).text;
    const currency = parse(publicPage);
    expect(currency.texts('dd > .stamp')).toEqual([expect.stringMatching(/^Updated \S/), `confirmed ${todayAsShown()}`]);
    expect(currency.attrs('dd > .stamp > time', 'datetime')).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), new Date().toISOString().slice(0, 10)]);
    expect((await request(app).get('/api/v1/states/FRA')).body.data.lastConfirmed.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
    expect(await RevisionModel.countDocuments({ state: 'FRA', action: 'confirm', actorId: first.user.user.id })).toBe(1);
    expect(parse((await first.agent.get('/states/FRA/history')).text).texts('ol.revisions h2.revision-title')).toContainEqual(expect.stringMatching(/ — confirmed as still accurate$/));
  });

  it('when the secretariat edits a State, then the history records it as acting for that State', async () => {
    const authority = await authorityOf('RUS');
    const page = `/states/RUS/authorities/${authority.id}/edit`;
    const res = await submitForm(secretariat.agent, page, page, { notes: 'Checked by the secretariat' });
    expect(res.status).toBe(303);
    const history = await secretariat.agent.get('/states/RUS/history');
    expect(history.text).toContain('Secretariat, acting for Russian Federation');
  });
});
