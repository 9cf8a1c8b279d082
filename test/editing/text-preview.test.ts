import { findState } from '../../src/editing/editing.repository';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { focalPointOf, formFields, postPairs, withValues } from './editing-helpers';

const ACTION = '/states/FRA/optional/edit';
const MARKDOWN = '**Dual criminality** is required.\n\n- a request in French\n- a [copy](https://example.org/law) of the law\n\n<script>alert(1)</script><img src="https://tracker.example/x.png">';

describe('a preview of the State’s texts', () => {
  useTestDatabase();
  const app = testApp();
  const focal = focalPointOf(app, ['FRA']);

  /** The optional form opened and posted with the given changes, pressing the Preview button of `key`. */
  const preview = async (key: string, changes: Record<string, string>, lang = 'en') => {
    const form = await focal.agent.get(`${ACTION}?lang=${lang}`);
    const pairs = withValues(formFields(form.text, ACTION), changes);
    return postPairs(focal.agent, `${ACTION}?lang=${lang}`, [...pairs, ['preview', key]]);
  };

  it('when Preview is pressed under a Markdown text, then the form comes back with the text rendered and sanitised beside it, the input kept and nothing saved', async () => {
    const before = (await findState('FRA'))!;
    const res = await preview('requirements.mla', { 'requirements[mla][text]': MARKDOWN, 'requirements[mla][format]': 'markdown', 'requirements[mla][language]': 'en' });
    expect(res.status).toBe(200);
    const { $ } = page(res.text);
    const shown = $('[id="preview-requirements.mla"] .state-text');
    expect(shown.attr('lang')).toBe('en');
    expect(shown.find('strong').text()).toBe('Dual criminality');
    expect(shown.find('li').length).toBe(2);
    expect(shown.find('a').attr('href')).toBe('https://example.org/law');
    expect(shown.find('script, img').length).toBe(0);
    // the field's own block holds the preview, next to the text it shows
    expect($('[id="preview-requirements.mla"]').closest('fieldset').find('textarea').attr('name')).toBe('requirements[mla][text]');
    const kept = new Map(formFields(res.text, ACTION));
    expect(kept.get('requirements[mla][text]')?.replace(/^\n/, '')).toBe(MARKDOWN);
    expect(kept.get('requirements[mla][format]')).toBe('markdown');
    expect(kept.get('version')).toBe(String(before.version));
    const after = (await findState('FRA'))!;
    expect(after.version).toBe(before.version);
    expect(after.optional.requirements.mla?.text).toBe(before.optional.requirements.mla?.text);
  });

  it('when the previewed form is then saved, then the text is stored as previewed', async () => {
    const res = await preview('alternativeArrangements', { 'alternativeArrangements[text]': 'Through *INTERPOL* channels.', 'alternativeArrangements[format]': 'markdown', 'alternativeArrangements[language]': 'en' });
    expect(page(res.text).$('[id="preview-alternativeArrangements"] .state-text em').text()).toBe('INTERPOL');
    const saved = await postPairs(focal.agent, ACTION, formFields(res.text, ACTION));
    expect(saved.status).toBe(303);
    expect((await findState('FRA'))?.optional.alternativeArrangements).toMatchObject({ text: 'Through *INTERPOL* channels.', format: 'markdown' });
  });

  it('when the form is read in Arabic, then the preview is titled in Arabic, and Enter in a field saves rather than previews', async () => {
    const res = await preview('requirements.extradition', { 'requirements[extradition][text]': 'نص **مهم**', 'requirements[extradition][format]': 'markdown', 'requirements[extradition][language]': 'ar' }, 'ar');
    const { $ } = page(res.text);
    expect($('html').attr('dir')).toBe('rtl');
    expect($('[id="preview-requirements.extradition"] h3').text()).toBe('معاينة: كما سيراه القراء');
    expect($('[id="preview-requirements.extradition"] .state-text strong').text()).toBe('مهم');
    // a browser submits a form on Enter with its first submit button: the Save, which has no name
    expect($(`form[action="${ACTION}"] button[type="submit"]`).first().attr('name')).toBeUndefined();
  });
});
