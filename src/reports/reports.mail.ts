import type { i18n, TFunction } from 'i18next';
import { createI18n } from '../shared/i18n';
import type { Mailer, OutgoingMail } from '../shared/mail';
import type { UnLanguage } from '../shared/vocabulary';
import type { ProblemReport } from './reports.repository';
import { absoluteUrl } from '../shared/public-url';

/** What the reports need to send e-mails with links: the transport and the Directory's public address. */
export interface ReportMailContext {
  mailer: Mailer;
  publicUrl: string;
}

let translations: i18n | undefined;

/** The reports namespace in one language, outside any request: each recipient reads in their own. */
export function reportTranslator(lang: UnLanguage): TFunction {
  translations ??= createI18n();
  return translations.getFixedT(lang, 'reports');
}

const absolute = (context: ReportMailContext, path: string): string => absoluteUrl(context.publicUrl, path);

export interface ReportedEntry {
  stateName: string;
  /** The authority's name as the recipients may see it, when the report is about one. */
  authorityName?: string;
}

/** The notice of a new report to one of its followers, in their language, with a link to it in the console. */
export function composeReportNotice(context: ReportMailContext, report: ProblemReport, entry: ReportedEntry, recipient: { email: string; language: UnLanguage; consolePath: string }): OutgoingMail {
  const t = reportTranslator(recipient.language);
  const lines = [
    t('mail.notice.intro', { state: entry.stateName }),
    '',
    `${t('form.kind')}: ${t(`kinds.${report.kind}`)}`,
    ...(entry.authorityName ? [`${t('form.authority')}: ${entry.authorityName}`] : []),
    ...(report.field ? [`${t('form.field')}: ${t(`fields.${report.field}`)}`] : []),
    `${t('form.email')}: ${report.email ?? t('mail.notice.noEmail')}`,
    '',
    `${t('form.description')}:`,
    report.description,
    '',
    t('mail.notice.link'),
    absolute(context, recipient.consolePath),
    '',
    '-- ',
    t('mail.signature'),
  ];
  return { to: recipient.email, subject: t('mail.notice.subject', { state: entry.stateName }), text: `${lines.join('\n')}\n`, language: recipient.language };
}

/** The reply note to the reporter, in the language they reported in. */
export function composeReply(report: ProblemReport & { email: string }, entry: ReportedEntry, note: string): OutgoingMail {
  const t = reportTranslator(report.language);
  const lines = [t('mail.reply.intro', { state: entry.stateName }), '', note, '', `${t('form.description')}:`, report.description, '', '-- ', t('mail.signature')];
  return { to: report.email, subject: t('mail.reply.subject', { state: entry.stateName }), text: `${lines.join('\n')}\n`, language: report.language };
}
