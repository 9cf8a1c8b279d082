import request from 'supertest';
import { authorityEditPage, focalPointOf, submitForm } from '../editing/editing-helpers';
import { postImport } from '../exchange/exchange-helpers';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

/** The page's one autofocused element: the error summary, which a keyboard or a screen reader then starts from, with no script. */
function focusedOnLoad(html: string) {
  const { $ } = page(html);
  const focused = $('[autofocus]');
  return { count: focused.length, summary: focused.is('.error-summary'), tabindex: focused.attr('tabindex'), role: focused.attr('role') };
}

const SUMMARY_FOCUSED = { count: 1, summary: true, tabindex: '-1', role: 'alert' };

describe('the error summary takes the focus', () => {
  useTestDatabase();
  const app = testApp();
  const focal = focalPointOf(app, ['FRA']);

  it('when the authority form is refused, then its summary is focused as the page loads, and the form opened afresh focuses nothing', async () => {
    const { page: action } = await authorityEditPage('FRA', 'Ministry of Justice');
    const refused = await submitForm(focal.agent, action, action, { 'emails[0]': 'not-an-address' });
    expect(refused.status).toBe(422);
    expect(focusedOnLoad(refused.text)).toEqual(SUMMARY_FOCUSED);
    expect(focusedOnLoad((await focal.agent.get(action)).text).count).toBe(0);
  });

  it('when an anonymous report is refused, then its summary is focused', async () => {
    const refused = await submitForm(request.agent(app), '/report?state=FRA', '/report', { kind: 'address-wrong', description: ' ', email: 'not-an-address' });
    expect(refused.status).toBe(422);
    expect(focusedOnLoad(refused.text)).toEqual(SUMMARY_FOCUSED);
  });

  it('when a search or a finder question is refused, then its summary is focused', async () => {
    const search = await request(app).get(`/search?q=${'x'.repeat(201)}`);
    expect(search.status).toBe(400);
    expect(focusedOnLoad(search.text)).toEqual(SUMMARY_FOCUSED);
    const finder = await request(app).get('/find?to=DEU&need=nothing-such');
    expect(finder.status).toBe(400);
    expect(focusedOnLoad(finder.text)).toEqual(SUMMARY_FOCUSED);
  });

  it('when an import has problems, then the summary of its problems is focused', async () => {
    const res = await postImport(focal.agent, { content: 'state,name_en\r\nFRA,\r\n', fileName: 'authorities.csv', json: false });
    expect(res.status).toBe(422);
    expect(focusedOnLoad(res.text)).toEqual(SUMMARY_FOCUSED);
  });
});
