import type { i18n, TFunction } from 'i18next';
import { getState, listDesignationTypes } from '../directory/directory.service';
import type { UnLanguage } from '../directory/directory.types';
import { createI18n } from '../shared/i18n';
import type { OutgoingMail } from '../shared/mail';
import { linkViewer } from './reminders.policy';
import type { DeliveryStage } from './reminders.types';
import { absoluteUrl } from '../shared/public-url';

/** What the reminders need to write e-mails with links: the Directory's public address. */
export interface MailLinks {
  publicUrl: string;
}

let translations: i18n | undefined;

/** The reminders namespace in one language, outside any request: a reminder goes out in its recipient's language. */
export function reminderTranslator(lang: UnLanguage): TFunction {
  translations ??= createI18n();
  return translations.getFixedT(lang, 'reminders');
}

export function absoluteLink(links: MailLinks, path: string): string {
  return absoluteUrl(links.publicUrl, path);
}

export interface ReminderMailInput {
  state: string;
  to: string;
  name?: string;
  language: UnLanguage;
  stage: DeliveryStage;
  /** The still-accurate link, or undefined in a test message (which must confirm nothing). */
  confirmUrl?: string;
  confirmUntil?: Date;
  /** The secondary contact's role, e.g. 'permanent mission'. */
  role?: string;
  firstSentAt?: Date;
  test?: boolean;
}

/**
 * A reminder in the recipient's language: the State's entry as it stands now (its authorities,
 * their designations and contacts, the last-updated and last-confirmed dates), a link to edit it
 * and the one-click 'still accurate' link.
 */
export async function composeReminder(links: MailLinks, input: ReminderMailInput): Promise<OutgoingMail> {
  const lang = input.language;
  const t = reminderTranslator(lang);
  const date = (value: Date | undefined) => (value ? new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(value) : t('mail.never'));
  const state = await getState(linkViewer({ id: 'preview', state: input.state }), input.state, lang);
  const designationTitles = new Map((await listDesignationTypes()).map((type) => [type.code, type.titles[lang]]));
  const values = { state: state.name, name: input.name || input.to, role: input.role || t('mail.secondaryRole'), date: date(input.firstSentAt) };

  // Without a name (a preview, an account that never gave one) the salutation is the one used for a function, not "Dear ,"
  const lines: string[] = [input.name?.trim() ? t('mail.greeting', values) : t('mail.greetingNoName'), '', t(`mail.intro.${input.stage}`, values), ''];
  if (input.test) lines.push(t('mail.testNote'), '');
  lines.push(t('mail.entryHeading', values), t('mail.lastUpdated', { date: date(state.lastUpdatedAt) }), t('mail.lastConfirmed', { date: date(state.lastConfirmedAt) }), '');
  if (state.authorities.length === 0) lines.push(t('mail.noAuthorities'));
  for (const authority of state.authorities) {
    lines.push(`- ${authority.restricted ? authority.designations.join(', ') : authority.name.en === authority.name.original ? authority.name.en : `${authority.name.original} (${authority.name.en})`}`);
    lines.push(`  ${t('mail.designations')}: ${authority.designations.map((code) => designationTitles.get(code) ?? code).join('; ')}`);
    if (!authority.restricted) {
      if (authority.emails.length) lines.push(`  ${t('mail.emails')}: ${authority.emails.join(', ')}`);
      if (authority.phones.length) lines.push(`  ${t('mail.phones')}: ${authority.phones.map((phone) => phone.number).join(', ')}`);
      lines.push(`  ${t('mail.address')}: ${[...authority.address.lines, authority.address.city, authority.address.country].filter(Boolean).join(', ')}`);
    }
  }
  if (state.missingCore.length) lines.push('', t('mail.missing', { designations: state.missingCore.map((code) => designationTitles.get(code) ?? code).join('; ') }));
  lines.push('', t('mail.editLink'), absoluteLink(links, `/states/${state.code}/edit`), '');
  if (input.confirmUrl) lines.push(t('mail.confirmLink', { date: date(input.confirmUntil) }), input.confirmUrl, '');
  else lines.push(t('mail.confirmLinkTest'), '');
  lines.push('-- ', t('mail.signature'));

  const subject = `${input.test ? `${t('mail.testPrefix')} ` : ''}${t(`mail.subject.${input.stage}`, values)}`;
  return { to: input.to, subject, text: `${lines.join('\n')}\n`, language: lang };
}
