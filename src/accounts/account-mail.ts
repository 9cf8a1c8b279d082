import type { i18n, TFunction } from 'i18next';
import type { UnLanguage } from '../directory/directory.types';
import { createI18n } from '../shared/i18n';
import type { Mailer } from '../shared/mail';
import { absoluteUrl } from '../shared/public-url';

/** What the accounts component needs to e-mail links: the transport and the Directory's public address. */
export interface MailContext {
  mailer: Mailer;
  /** e.g. https://directory.example.org, without a trailing slash or with one */
  publicUrl: string;
}

export type AccountMailKind = 'passwordReset' | 'setPassword' | 'accessReceived' | 'accessRejected' | 'invitation';

let translations: i18n | undefined;

/** The accounts namespace in one language, outside any request (a mail goes out in the recipient's language). */
export function mailTranslator(lang: UnLanguage): TFunction {
  translations ??= createI18n();
  return translations.getFixedT(lang, 'accounts');
}

/** An absolute link on the Directory, e.g. link(context, '/password/reset/abc'). */
export function link(context: MailContext, path: string): string {
  return absoluteUrl(context.publicUrl, path);
}

/** Sends one of the accounts e-mails: subject and body from `accounts:mail.<kind>`, in `lang`. */
export async function sendAccountMail(context: MailContext, kind: AccountMailKind, to: string, lang: UnLanguage, values: Record<string, string | number>): Promise<void> {
  const t = mailTranslator(lang);
  const subject = t(`mail.${kind}.subject`, values);
  const body = t(`mail.${kind}.body`, values);
  const signature = t('mail.signature');
  await context.mailer.send({ to, subject, text: `${body}\n\n-- \n${signature}\n`, language: lang });
}
