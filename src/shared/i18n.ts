import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import i18next, { type i18n } from 'i18next';
import FsBackend from 'i18next-fs-backend';
import { LanguageDetector } from 'i18next-http-middleware';
import { PROJECT_ROOT } from './paths';
import { UN_LANGUAGES, type UnLanguage } from './vocabulary';

export const LOCALES_DIR = path.join(PROJECT_ROOT, 'locales');

/** Interface languages: the UN languages for which a translation file exists, English first. */
export const INTERFACE_LANGUAGES: UnLanguage[] = UN_LANGUAGES.filter((lang) =>
  fs.existsSync(path.join(LOCALES_DIR, lang, 'translation.json')),
);

/** Namespaces: one JSON file per component in each language folder (translation.json is the shared one). */
export const NAMESPACES: string[] = fs
  .readdirSync(path.join(LOCALES_DIR, 'en'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''));

export const RTL_LANGUAGES = new Set(['ar']);

export function isInterfaceLanguage(value: unknown): value is UnLanguage {
  return typeof value === 'string' && (INTERFACE_LANGUAGES as string[]).includes(value);
}

/**
 * One i18next instance, loaded synchronously at start-up. The language comes from `?lang=`, then
 * the `lang` cookie (which `?lang=` sets, so a choice is remembered), then Accept-Language.
 */
export function createI18n(): i18n {
  const instance = i18next.createInstance();
  instance
    .use(FsBackend)
    .use(LanguageDetector)
    .init({
      initAsync: false,
      fallbackLng: 'en',
      supportedLngs: INTERFACE_LANGUAGES,
      nonExplicitSupportedLngs: true,
      load: 'languageOnly',
      preload: INTERFACE_LANGUAGES,
      ns: NAMESPACES,
      defaultNS: 'translation',
      backend: { loadPath: path.join(LOCALES_DIR, '{{lng}}', '{{ns}}.json') },
      interpolation: { escapeValue: false },
      returnNull: false,
      detection: {
        order: ['querystring', 'cookie', 'header'],
        lookupQuerystring: 'lang',
        lookupCookie: 'lang',
        // No cookie on every response (that would defeat caching): rememberLanguageChoice sets it
        // only when the reader picks a language.
        caches: [],
        ignoreCase: true,
      },
    });
  return instance;
}

/** Remembers a language chosen with `?lang=` for a year, so later pages come in that language. */
export const rememberLanguageChoice: RequestHandler = (req, res, next) => {
  const chosen = typeof req.query.lang === 'string' ? req.query.lang.toLowerCase() : undefined;
  if (isInterfaceLanguage(chosen) && req.cookies?.lang !== chosen) {
    res.cookie('lang', chosen, { maxAge: 365 * 24 * 3600 * 1000, sameSite: 'lax', httpOnly: true, secure: req.secure });
  }
  next();
};
