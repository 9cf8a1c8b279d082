import type { CheerioAPI } from 'cheerio';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { authorityEditPage, focalPointOf, submitForm } from './editing-helpers';

const FOCUSABLE = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';

/** The controls the Tab key stops at, in the page's order: what is disabled, or inside a closed <details> (but its summary), is skipped. */
function tabStops($: CheerioAPI) {
  return $(FOCUSABLE)
    .toArray()
    .filter((el) => $(el).attr('disabled') === undefined)
    .filter((el) => $(el).parents('details:not([open])').toArray().every((details) => el.tagName === 'summary' && $(el).parent().is(details)));
}

/** How many Tab presses reach the form's first Save button from the top of the page. */
function tabStopsToSave(html: string, action: string): number {
  const { $ } = page(html);
  const stops = tabStops($);
  const save = $(`form[action="${action}"] button[type="submit"]`).first().get(0);
  if (!save) throw new Error('no Save button');
  return stops.indexOf(save) + 1;
}

describe('the authority form within reach of Save', () => {
  useTestDatabase();
  const app = testApp();
  const focal = focalPointOf(app, ['FRA']);

  it('when the form is opened, then Save is reached in few Tab presses, a skip link leads to it, and one follows each section', async () => {
    const { page: action } = await authorityEditPage('FRA', 'Ministry of Justice');
    const res = await focal.agent.get(action);
    // 103 Tab presses before the form had sections, each followed by a Save button
    expect(tabStopsToSave(res.text, action)).toBeLessThanOrEqual(20);
    const { $ } = page(res.text);
    const stops = tabStops($);
    // the second stop, after "Skip to main content", leads to the first Save button
    expect($(stops[1]).attr('href')).toBe('#save-top');
    expect($(`form[action="${action}"] button[type="submit"]`).first().attr('id')).toBe('save-top');
    // from any field, the next Save button is at most this many Tab presses away
    const saves = stops.map((el, index) => ($(el).is(`form[action="${action}"] button[type="submit"]`) ? index : -1)).filter((index) => index >= 0);
    const gaps = saves.slice(1).map((index, at) => index - saves[at]!);
    expect(saves.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30);
  });

  it('when a Save button in the middle of the form is pressed, then the whole form is saved', async () => {
    const { authority, page: action } = await authorityEditPage('FRA', 'Ministry of Justice');
    // a browser posts no name for these buttons: whichever is pressed, the form's fields are posted alike
    const res = await submitForm(focal.agent, action, action, { notes: 'Saved from the middle', 'address[city]': 'Paris Cedex 07' });
    expect(res.status).toBe(303);
    const { $ } = page((await focal.agent.get(action)).text);
    expect($(`form[action="${action}"] button[type="submit"][name]`).length).toBe(0);
    expect($('[id="f-notes"]').text().trim()).toBe('Saved from the middle');
    expect($('[id="f-address.city"]').attr('value')).toBe('Paris Cedex 07');
    expect(authority.address.city).not.toBe('Paris Cedex 07');
  });
});
