import type { TFunction } from 'i18next';
import type { OutgoingMail } from '../shared/mail';
import type { UnLanguage } from '../shared/vocabulary';
import type { ChangeInWords } from './following.changes';
import { absoluteUrl } from '../shared/public-url';

export interface DigestState {
  code: string;
  name: string;
  changes: ChangeInWords[];
  /** The signed one-click link that stops following this State only. */
  unfollowUrl: string;
}

export interface DigestInput {
  to: string;
  name?: string;
  lang: UnLanguage;
  t: TFunction;
  day: Date;
  states: DigestState[];
  unsubscribeUrl: string;
  summaryOf: (change: ChangeInWords) => string;
}

/**
 * The daily digest in its reader's language: per followed State, each change with its date, what it
 * was and which fields, and the State's page; then the account page and the one-click unsubscribe
 * link, also given in `List-Unsubscribe` (RFC 2369) with `List-Unsubscribe-Post` (RFC 8058) so a
 * mail client can offer it as a button.
 */
export function composeDigest(links: { publicUrl: string }, input: DigestInput): OutgoingMail {
  const { t, lang } = input;
  const base = absoluteUrl(links.publicUrl, '');
  const date = (value: Date) => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(value);
  const count = input.states.reduce((sum, state) => sum + state.changes.length, 0);
  const lines: string[] = [input.name?.trim() ? t('following:digest.greeting', { name: input.name }) : t('following:digest.greetingNoName'), '', t('following:digest.intro', { count }), ''];
  for (const state of input.states) {
    lines.push(state.name, '='.repeat(Math.max(3, state.name.length)));
    for (const change of state.changes) {
      lines.push(`- ${date(change.at)}: ${change.title}`, `  ${input.summaryOf(change)}`);
    }
    lines.push(`${t('following:digest.statePage')} ${base}/states/${state.code}`, `${t('following:digest.stopState', { state: state.name })} ${state.unfollowUrl}`, '');
  }
  lines.push(t('following:digest.manage'), `${base}/account`, '', t('following:digest.unsubscribe'), input.unsubscribeUrl, '', '-- ', t('site.name'));
  return {
    to: input.to,
    subject: t('following:digest.subject', { date: date(input.day), count }),
    text: `${lines.join('\n')}\n`,
    language: lang,
    headers: { 'List-Unsubscribe': `<${input.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
