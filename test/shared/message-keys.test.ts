/**
 * Every message key the code names exists in all six locales: keys passed to `t('…')` in src/ and
 * views/ (a literal key; a key built at run time is checked where its parts are listed), and the
 * `errors.*` keys that the accounts and console schemas and services give as messages.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const LANGUAGES = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function files(dir: string, ending: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full, ending) : ending.test(entry.name) ? [full] : [];
  });
}

/** The keys of one locale, plural suffixes taken off, as `namespace:dotted.key`. */
function localeKeys(lang: string): Set<string> {
  const keys = new Set<string>();
  for (const file of fs.readdirSync(path.join(ROOT, 'locales', lang))) {
    const namespace = file.replace(/\.json$/, '');
    const walk = (tree: Record<string, unknown>, prefix: string) => {
      for (const [key, value] of Object.entries(tree)) {
        if (value && typeof value === 'object') walk(value as Record<string, unknown>, `${prefix}${key}.`);
        else keys.add(`${namespace}:${prefix}${key}`.replace(PLURAL_SUFFIX, ''));
      }
    };
    walk(JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', lang, file), 'utf8')) as Record<string, unknown>, '');
  }
  return keys;
}

/** Keys named in the code, each with the file that names it. */
export function usedKeys(): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of [...files(path.join(ROOT, 'src'), /\.ts$/), ...files(path.join(ROOT, 'views'), /\.ejs$/)]) {
    const text = fs.readFileSync(file, 'utf8');
    // A file that translates with getFixedT(lang, 'ns'), or with the accounts mails' translator, reads its bare keys in that namespace
    const namespace = /getFixedT\([^,()]+,\s*'(\w+)'\)/.exec(text)?.[1] ?? (text.includes('mailTranslator(') ? 'accounts' : 'translation');
    const add = (key: string, from: string) => used.set(key.includes(':') ? key : `${namespace}:${key}`, path.relative(ROOT, from));
    // t('key'), req.t('key'), t("key"); a key ending in a dot or colon is a prefix completed at run time
    for (const match of text.matchAll(/\bt\(\s*(['"])([A-Za-z][\w.:-]*)\1/g)) if (!/[.:]$/.test(match[2]!)) add(match[2]!, file);
    const component = /src[/\\](accounts|console|depositary)[/\\]/.exec(file)?.[1];
    if (component) for (const match of text.matchAll(/(['"])(errors\.[A-Za-z][\w.-]*)\1/g)) add(`${component}:${match[2]}`, file);
  }
  return used;
}

describe('message keys', () => {
  const used = usedKeys();

  it('when the code is scanned, then it finds the keys of every component, sign-in errors among them', () => {
    expect(used.size).toBeGreaterThan(200);
    expect(used.has('accounts:errors.signIn.codeShape')).toBe(true);
    expect(used.has('console:errors.tooLong')).toBe(true);
  });

  it.each(LANGUAGES)('when a key is used in src/ or views/, then locales/%s has it', (lang) => {
    const known = localeKeys(lang);
    const missing = [...used].filter(([key]) => !known.has(key)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });
});
