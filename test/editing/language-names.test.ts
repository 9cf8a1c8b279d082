import { findAuthority } from '../../src/editing/editing.repository';
import { languageCodeOf, languageTexts } from '../../src/shared/languages';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { authorityEditPage, focalPointOf, formFields, postPairs, withValues } from './editing-helpers';

describe('languages chosen by their names', () => {
  useTestDatabase();
  const app = testApp();
  const focal = focalPointOf(app, ['FRA']);

  const editPage = async () => {
    const { authority, page: action } = await authorityEditPage('FRA', 'Ministry of Justice');
    return { authority, action };
  };

  /** Opens the form in the reader's language and posts it with some fields changed. */
  const saveIn = async (lang: string, changes: Record<string, string>) => {
    const { authority, action } = await editPage();
    const form = await focal.agent.get(`${action}?lang=${lang}`);
    return { authority, action, res: await postPairs(focal.agent, `${action}?lang=${lang}`, withValues(formFields(form.text, action), changes)) };
  };

  it('when a name is typed in the reader’s language, in English or as a code, then it is the ISO code', () => {
    expect(languageCodeOf('russe', 'fr')).toBe('ru');
    expect(languageCodeOf('Russian', 'fr')).toBe('ru');
    expect(languageCodeOf('RU', 'fr')).toBe('ru');
    expect(languageCodeOf('  Русский ', 'ru')).toBe('ru');
    expect(languageCodeOf('Español', 'es')).toBe('es');
    expect(languageCodeOf('espanol', 'es')).toBe('es');
    expect(languageCodeOf('俄语', 'zh')).toBe('ru');
    expect(languageCodeOf('الروسية', 'ar')).toBe('ru');
    expect(languageCodeOf('norvégien bokmål', 'fr')).toBe('nb');
    expect(languageCodeOf('Elvish', 'en')).toBeUndefined();
    // a name of several words stays whole; codes separated by spaces, as the field used to take them, are split
    expect(languageTexts('norvégien bokmål, anglais', 'fr')).toEqual(['norvégien bokmål', 'anglais']);
    expect(languageTexts('fr en', 'fr')).toEqual(['fr', 'en']);
    expect(languageTexts('俄语、英语', 'zh')).toEqual(['俄语', '英语']);
  });

  it('when the form is opened in French, then the stored languages are shown by their French names, with suggestions', async () => {
    const { authority, action } = await editPage();
    const res = await focal.agent.get(`${action}?lang=fr`);
    const fields = new Map(formFields(res.text, action));
    const french = new Intl.DisplayNames(['fr'], { type: 'language' });
    expect(fields.get('languages')).toBe(authority.languages.map((code) => french.of(code)).join(', '));
    expect(fields.get('name[originalLanguage]')).toBe(french.of(authority.name.originalLanguage));
    const { $ } = page(res.text);
    const suggestions = $(`datalist#${$('#f-name\\.originalLanguage').attr('list')} option`)
      .toArray()
      .map((option) => $(option).attr('value'));
    expect(suggestions).toEqual(expect.arrayContaining(['russe', 'anglais', 'chinois', 'arabe']));
  });

  it('when languages are saved by their French and English names, then their codes are stored, and the unchanged form saves the same codes', async () => {
    const { authority, res } = await saveIn('fr', { languages: 'russe, English, es', 'name[originalLanguage]': 'français', 'contactPersons[0][languages]': 'chinois; arabe' });
    expect(res.status).toBe(303);
    const stored = await findAuthority(authority.id);
    expect(stored?.languages).toEqual(['ru', 'en', 'es']);
    expect(stored?.name.originalLanguage).toBe('fr');
    expect(stored?.contactPersons[0]?.languages).toEqual(['zh', 'ar']);
    const again = await saveIn('zh', {});
    expect(again.res.status).toBe(303);
    const resaved = await findAuthority(authority.id);
    expect(resaved?.languages).toEqual(['ru', 'en', 'es']);
    expect(resaved?.contactPersons[0]?.languages).toEqual(['zh', 'ar']);
  });

  it('when a language is unknown, then the form comes back in the reader’s language with the text kept and a message naming it at the field', async () => {
    const { authority, action, res } = await saveIn('fr', { languages: 'russe, elfique' });
    expect(res.status).toBe(422);
    expect(page(res.text).fieldError('languages')).toContain('« elfique » n’est pas une langue connue');
    expect(page(res.text).errorSummaryFields()).toContain('languages');
    expect(new Map(formFields(res.text, action)).get('languages')).toBe('russe, elfique');
    expect((await findAuthority(authority.id))?.version).toBe(authority.version);
  });
});
