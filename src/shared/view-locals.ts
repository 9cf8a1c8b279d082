import type { Request, RequestHandler } from 'express';
import { errorSummary } from './forms/form-errors';
import { formField } from './forms/form-field';
import { INTERFACE_LANGUAGES, isInterfaceLanguage, RTL_LANGUAGES } from './i18n';
import type { UnLanguage } from './vocabulary';

/** The interface language of a request, as i18next resolved it. */
export function requestLanguage(req: Request): UnLanguage {
  const lang = (req.language ?? 'en').slice(0, 2).toLowerCase();
  return isInterfaceLanguage(lang) ? lang : 'en';
}

const nativeNames = Object.fromEntries(
  INTERFACE_LANGUAGES.map((lang) => [lang, new Intl.DisplayNames([lang], { type: 'language' }).of(lang) ?? lang]),
);

/** The same page in another language: the current path and query with `lang` replaced. */
function urlWithLanguage(req: Request, lang: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query)) {
    if (key !== 'lang' && typeof value === 'string') params.set(key, value);
  }
  params.set('lang', lang);
  return `${req.path}?${params.toString()}`;
}

/** An instrument as views name it: its short name and full title by language. */
interface NamedInstrument {
  code: string;
  shortNames: Record<UnLanguage, string>;
  titles: Record<UnLanguage, string>;
}

/**
 * Formatting helpers every view gets, bound to the reader's language; `directoryStaleSince` says
 * since when the directory shown is a copy the database could not confirm, and `instruments` is
 * the instrument catalogue in memory (both from the directory's cache).
 */
export const viewLocals = (directoryStaleSince: () => Date | undefined, instruments: () => readonly NamedInstrument[]): RequestHandler => (req, res, next) => {
  const lang = requestLanguage(req);
  const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' });
  const languageNames = new Intl.DisplayNames([lang], { type: 'language', fallback: 'code' });
  res.locals.t = req.t;
  res.locals.lang = lang;
  res.locals.dir = RTL_LANGUAGES.has(lang) ? 'rtl' : 'ltr';
  res.locals.path = req.path;
  res.locals.interfaceLanguages = INTERFACE_LANGUAGES.map((code) => ({
    code,
    name: nativeNames[code],
    url: urlWithLanguage(req, code),
    current: code === lang,
  }));
  res.locals.formatDate = (date: Date | string | undefined) => (date ? dateFormat.format(new Date(date)) : '');
  res.locals.isoDate = (date: Date | string | undefined) => (date ? new Date(date).toISOString().slice(0, 10) : '');
  res.locals.languageName = (code: string) => languageNames.of(code) ?? code;
  res.locals.formField = formField;
  // Instruments are data: a code the catalogue does not know (yet) is shown as it is
  res.locals.instrumentName = (code: string, form: 'short' | 'title' = 'short') => {
    const found = instruments().find((candidate) => candidate.code === code);
    return found ? (form === 'title' ? found.titles : found.shortNames)[lang] : code;
  };
  // A designation type's label where room is short; one stored without a short title shows its article
  res.locals.shortTitleOf = (type: { shortTitles?: Record<UnLanguage, string>; article: string }) => type.shortTitles?.[lang] ?? type.article;
  // Lists read as the reader's language writes them ("a, b and c", "a、b和c", "a وb")
  const lists = { conjunction: new Intl.ListFormat(lang, { type: 'conjunction' }), unit: new Intl.ListFormat(lang, { type: 'unit' }) };
  res.locals.formatList = (items: string[], type: keyof typeof lists = 'conjunction') => lists[type].format(items);
  const timeFormat = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
  // A function, read while the page renders: after the route has read the directory for it
  res.locals.directoryStale = () => {
    const since = directoryStaleSince();
    return since ? { iso: since.toISOString(), time: timeFormat.format(since) } : undefined;
  };
  res.locals.errorSummary = errorSummary;
  res.locals.query = req.query;
  res.locals.currentUser = req.user;
  next();
};
