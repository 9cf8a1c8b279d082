import { requirementsChecklist } from '../../src/directory/directory.presenter';
import type { StructuredRequirements, UnLanguage } from '../../src/directory/directory.types';
import { createI18n } from '../../src/shared/i18n';

describe('a requirements checklist', () => {
  const i18n = createI18n();
  const checklist = (facts: Partial<StructuredRequirements>, lang: UnLanguage = 'en') =>
    requirementsChecklist({ requestLanguages: [], attachmentLanguages: [], formalChannels: [], legalBases: [], ...facts }, i18n.getFixedT(lang), lang);
  const texts = (facts: Partial<StructuredRequirements>, lang: UnLanguage = 'en') => checklist(facts, lang).map((line) => line.text);

  const everything: Partial<StructuredRequirements> = {
    requestLanguages: ['es', 'en'],
    attachmentLanguages: ['es'],
    translationRequired: true,
    formalChannels: ['diplomatic'],
    advanceCopyByEmail: true,
    originalWithinDays: 30,
    dualCriminality: 'yes',
    authentication: 'apostille',
    legalBases: ['treaty', 'reciprocity', 'untoc'],
  };

  it('when every fact is stated, then each gives its line, languages by name and alternatives joined with "or"', () => {
    expect(texts(everything)).toEqual([
      'Request written in or translated into: Spanish or English',
      'Attachments written in or translated into: Spanish',
      'Send the formal request by: diplomatic channel',
      'Advance copy by e-mail accepted; original within 30 days',
      'Dual criminality required for coercive measures',
      'Apostille needed',
      'Legal bases accepted: treaty, reciprocity, UNTOC',
    ]);
    expect(checklist(everything).map((line) => line.topic)).toEqual(['requestLanguages', 'attachmentLanguages', 'channels', 'advanceCopy', 'dualCriminality', 'authentication', 'legalBases']);
  });

  it('when nothing is stated, or there are no facts at all, then there is no line', () => {
    expect(texts({})).toEqual([]);
    expect(requirementsChecklist(undefined, i18n.getFixedT('en'), 'en')).toEqual([]);
  });

  it('when no translation is needed, then the languages are those the documents must already be in', () => {
    expect(texts({ requestLanguages: ['fr'], attachmentLanguages: ['fr', 'en'], translationRequired: false })).toEqual([
      'Request written in: French',
      'Attachments written in: French or English',
    ]);
    expect(texts({ translationRequired: true })).toEqual(['A translation of the request is needed']);
    expect(texts({ translationRequired: false })).toEqual(['No translation needed']);
  });

  it('when the advance copy or the delay differs, then the line says so, with the number of days in the right plural form', () => {
    expect(texts({ advanceCopyByEmail: true, originalWithinDays: 1 })).toEqual(['Advance copy by e-mail accepted; original within 1 day']);
    expect(texts({ advanceCopyByEmail: true })).toEqual(['Advance copy by e-mail accepted; the original must follow']);
    expect(texts({ advanceCopyByEmail: false })).toEqual(['No advance copy by e-mail: send the original']);
    expect(texts({ advanceCopyByEmail: true, originalWithinDays: 21 }, 'ru')).toEqual(['Предварительная копия по электронной почте принимается; оригинал — в течение 21 дня']);
    expect(texts({ advanceCopyByEmail: true, originalWithinDays: 25 }, 'ru')).toEqual(['Предварительная копия по электронной почте принимается; оригинал — в течение 25 дней']);
    expect(texts({ advanceCopyByEmail: true, originalWithinDays: 2 }, 'ar')).toEqual(['تُقبل نسخة مسبقة بالبريد الإلكتروني؛ ويُرسَل الأصل في غضون يومين']);
  });

  it.each(['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const)('when read in %s, then every line is a sentence of that language, never a key', (lang) => {
    for (const authentication of ['none', 'certification', 'apostille', 'legalisation'] as const) {
      for (const dualCriminality of ['yes', 'no', 'unknown'] as const) {
        const lines = texts({ ...everything, authentication, dualCriminality, formalChannels: ['post', 'diplomatic', 'email', 'fax', 'interpol', 'direct-judicial', 'secure-platform'] }, lang);
        expect(lines).toHaveLength(7);
        for (const line of lines) expect(line).not.toMatch(/checklist\.|\{\{/);
      }
    }
  });

  it('when read in French, then the languages are named in French', () => {
    expect(texts({ requestLanguages: ['es', 'en'], translationRequired: true }, 'fr')).toEqual(['Demande rédigée ou traduite en\u00a0: espagnol ou anglais']);
  });
});
