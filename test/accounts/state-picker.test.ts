import type { CheerioAPI } from 'cheerio';
import type request from 'supertest';
import { InvitationModel } from '../../src/accounts/invitation.model';
import { listStates } from '../../src/directory/directory.service';
import { testApp } from '../helpers/app';
import { createTestUser, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { submitForm } from './account-test-helpers';

/** The State picker's groups as a person sees them: the summary's words, whether open, and the boxes ticked. */
function groupsOf($: CheerioAPI, picker = 'fieldset.state-picker') {
  return $(picker)
    .find('details')
    .toArray()
    .map((details) => ({
      summary: $(details).children('summary').text().trim(),
      open: $(details).attr('open') !== undefined,
      boxes: $(details).find('input[type="checkbox"]').length,
      ticked: $(details)
        .find('input[type="checkbox"][checked]')
        .toArray()
        .map((box) => $(box).attr('value')),
    }));
}

describe('State pickers of the secretariat’s forms', () => {
  useTestDatabase();
  const app = testApp();
  let secretariat: request.Agent;

  beforeAll(async () => {
    secretariat = await signedInAgent(app, await createTestUser({ role: 'secretariat' }));
  });

  it('when the invitation form is opened, then every State is a checkbox once, in closed groups of its UN regional group', async () => {
    const { $ } = page((await secretariat.get('/admin/invitations')).text);
    const picker = $('fieldset.state-picker');
    const groups = groupsOf($);
    expect(groups.map((group) => group.summary.replace(/ \(.*$/, ''))).toEqual(['African Group', 'Asia-Pacific Group', 'Eastern European Group', 'Latin American and Caribbean Group', 'Western European and other States Group', 'Not in a regional group'].slice(0, groups.length));
    expect(groups.every((group) => !group.open)).toBe(true);
    const values = picker.find('input[type="checkbox"]').toArray().map((box) => $(box).attr('value'));
    const states = await listStates({}, 'en');
    expect(values.sort()).toEqual(states.map((state) => state.code).sort());
    expect(groups.reduce((sum, group) => sum + group.boxes, 0)).toBe(states.length);
    expect($('select[multiple]').length).toBe(0);
    // the error summary links to the first box
    expect(picker.find('input[type="checkbox"]').first().attr('id')).toBe('f-states');
  });

  it('when the invitation is refused, then the groups holding the chosen States are open with them ticked, and the others stay closed', async () => {
    const res = await submitForm(secretariat, '/admin/invitations', '/admin/invitations', { email: 'not-an-address', name: 'Ирина', language: 'ru', states: ['RUS', 'CHN', 'UKR'] });
    expect(res.status).toBe(422);
    const { $ } = page(res.text);
    const groups = groupsOf($);
    const eastern = groups.find((group) => group.summary.startsWith('Eastern European Group'))!;
    expect(eastern).toMatchObject({ open: true, ticked: expect.arrayContaining(['RUS', 'UKR']) });
    expect(eastern.summary).toBe(`Eastern European Group (2 chosen of ${eastern.boxes})`);
    expect(groups.find((group) => group.summary.startsWith('Asia-Pacific Group'))).toMatchObject({ open: true, ticked: ['CHN'] });
    expect(groups.filter((group) => group.open)).toHaveLength(2);
  });

  it('when a focal point’s account is opened in French, then their State is ticked in its open group, named in French', async () => {
    const focal = await createTestUser({ role: 'focal-point', states: ['FRA'] });
    const { $ } = page((await secretariat.get(`/admin/users/${focal.user.id}?lang=fr`)).text);
    const open = groupsOf($).filter((group) => group.open);
    expect(open).toHaveLength(1);
    expect(open[0]!.summary).toMatch(/^Groupe des États d’Europe occidentale et autres États \(1 choisi sur \d+\)$/);
    expect(open[0]!.ticked).toEqual(['FRA']);
  });
  it('when a name is typed in the picker’s filter and Find is pressed, then the form comes back unsaved with the input kept, listing the States found by any of their names and those chosen', async () => {
    const before = await InvitationModel.countDocuments();
    // The reader's language is English again (the test before read a page in French)
    const res = await submitForm(secretariat, '/admin/invitations?lang=en', '/admin/invitations', { email: 'focal@example.org', name: 'Anna', language: 'en', states: ['FRA'], stateFilter: 'Deutschland', findStates: '1' });
    expect(res.status).toBe(200);
    expect(await InvitationModel.countDocuments()).toBe(before);
    const found = page(res.text);
    expect(found.field('email')).toBe('focal@example.org');
    expect(found.field('stateFilter')).toBe('Deutschland');
    const listed = found.attrs('fieldset.state-picker input[type="checkbox"]', 'value');
    expect(listed.sort()).toEqual(['DEU', 'FRA']);
    expect(found.chosen('states')).toEqual(['FRA']);
    expect(groupsOf(found.$).every((group) => group.open)).toBe(true);
    expect(found.text('fieldset.state-picker [role="status"]')).toBe('States found for “Deutschland”, and those already chosen:');
    // A typo and another script find too; nothing found keeps the chosen ones
    const cyrillic = await submitForm(secretariat, '/admin/invitations', '/admin/invitations', { email: '', name: '', language: 'en', stateFilter: 'Гремания', findStates: '1' });
    expect(page(cyrillic.text).attrs('fieldset.state-picker input[type="checkbox"]', 'value')).toContain('DEU');
    const none = await submitForm(secretariat, '/admin/invitations', '/admin/invitations', { email: '', name: '', language: 'en', states: ['FRA'], stateFilter: 'zzqqxx', findStates: '1' });
    expect(page(none.text).attrs('fieldset.state-picker input[type="checkbox"]', 'value')).toEqual(['FRA']);
    // The form's own button (the first submit button, which Enter uses) still sends the invitation
    expect(page(res.text).$('form[action="/admin/invitations"] button[type="submit"]').first().attr('name')).toBeUndefined();
  });
});
