import { designationAnchor, formatPhone, localTimeAt, renderStateText, requirementTopicOf, weekdayNames } from '../../src/directory/directory.presenter';
import { page } from '../helpers/html';

describe('directory presenter', () => {
  const hours = { timeZone: 'Europe/Paris', days: [1, 2, 3, 4, 5], opens: '09:00', closes: '18:00' };

  it('when a designation has a readable anchor, then it is used, and any other takes its code in lower case', () => {
    expect(['UNTOC-18-13', 'UNTOC-16', 'UNTOC-17', 'SOM-8-6', 'UNCAC-46-13', 'DRUGS1988-17-7'].map(designationAnchor)).toEqual([
      'mutual-legal-assistance',
      'extradition',
      'transfer',
      'smuggling-at-sea',
      'uncac-46-13',
      'drugs1988-17-7',
    ]);
  });

  it('when a designation’s role is a kind of request with requirements, then that summary applies; otherwise none', () => {
    expect((['mla', 'extradition', 'transfer', 'migrant-smuggling', 'firearms'] as const).map((role) => requirementTopicOf({ role }))).toEqual(['mla', 'extradition', 'transfer', undefined, undefined]);
  });

  it('when it is a weekday morning in Paris, then the office is open', () => {
    // Tuesday 2026-11-24 09:30 UTC is 10:30 in Paris
    expect(localTimeAt(hours, 'en', new Date('2026-11-24T09:30:00Z')).open).toBe(true);
  });

  it('when it is evening or Sunday in Paris, then the office is closed', () => {
    expect(localTimeAt(hours, 'en', new Date('2026-11-24T18:30:00Z')).open).toBe(false);
    expect(localTimeAt(hours, 'en', new Date('2026-11-29T10:00:00Z')).open).toBe(false);
  });

  it('when shown in Russian, then the local time label is in Russian', () => {
    expect(localTimeAt(hours, 'ru', new Date('2026-11-24T09:30:00Z')).label).toMatch(/вторник/);
  });

  it('when weekdays are named, then Monday is day 1', () => {
    expect(weekdayNames([1, 7], 'en')).toEqual(['Monday', 'Sunday']);
  });

  it('when a phone is in E.164, then it is shown grouped for reading', () => {
    expect(formatPhone('+442079460123')).toBe('+44 20 7946 0123');
  });

  it('when a State writes Markdown with script or remote images, then only safe markup remains', () => {
    const html = renderStateText({
      text: '**Bold**\n\n<script>alert(1)</script>\n\n![x](https://evil.example/x.png) [law](javascript:alert(1)) [ok](https://laws.example/a)',
      language: 'en',
      format: 'markdown',
    });
    const fragment = page(html);
    expect(fragment.texts('strong')).toEqual(['Bold']);
    expect(fragment.count('script, img')).toBe(0);
    expect(fragment.attrs('a', 'href')).toEqual(['https://laws.example/a']);
    const attributeValues = fragment.$('*').toArray().flatMap((el) => Object.values(fragment.$(el).attr() ?? {}));
    expect(attributeValues.filter((value) => value.toLowerCase().includes('javascript:'))).toEqual([]);
  });

  it('when plain text has markup characters, then they are escaped', () => {
    expect(renderStateText({ text: 'a < b & <b>c</b>', language: 'en', format: 'plain' })).toBe('<p>a &lt; b &amp; &lt;b&gt;c&lt;/b&gt;</p>');
  });
});
