/**
 * Checks every interface translation (locales/<lang>/<namespace>.json) against the English one:
 * the same keys, plural keys compared without their _zero/_one/_two/_few/_many/_other suffix; the
 * plural forms each language needs, as Intl.PluralRules gives them; and every {{placeholder}} of
 * the English string kept, with none invented.
 */
import fs from 'node:fs';
import path from 'node:path';

const LOCALES_DIR = path.join(__dirname, '..', '..', 'locales');
const REFERENCE = 'en';
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
/** {{count}}, {{ name }}, {{value, number}}: the name is what must survive translation. */
const PLACEHOLDER = /{{\s*([^{}\s,]+)[^{}]*}}/g;

type Tree = { [key: string]: unknown };

/** One translation key with the plural suffix taken off, and its strings by plural form ('' when not plural). */
type Entries = Map<string, Map<string, string>>;

function languages(): string[] {
  return fs
    .readdirSync(LOCALES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== REFERENCE)
    .map((entry) => entry.name)
    .sort();
}

/** One JSON file per component (translation.json is the shared one), as src/shared/i18n.ts loads them. */
function namespaces(): string[] {
  return fs
    .readdirSync(path.join(LOCALES_DIR, REFERENCE))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''))
    .sort();
}

function load(lang: string, namespace: string): Tree {
  const file = path.join(LOCALES_DIR, lang, `${namespace}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Tree) : {};
}

/** Leaves as dotted paths; anything that is neither an object nor a non-empty string is listed in `bad`. */
function flatten(tree: Tree, prefix = '', leaves = new Map<string, string>(), bad: string[] = []): { leaves: Map<string, string>; bad: string[] } {
  for (const [key, value] of Object.entries(tree)) {
    const dotted = prefix + key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value as Tree, `${dotted}.`, leaves, bad);
    else if (typeof value === 'string' && value.trim() !== '') leaves.set(dotted, value);
    else bad.push(dotted);
  }
  return { leaves, bad };
}

function entries(tree: Tree): Entries {
  const grouped: Entries = new Map();
  for (const [key, text] of flatten(tree).leaves) {
    const match = PLURAL_SUFFIX.exec(key);
    const base = match ? key.slice(0, match.index) : key;
    const forms = grouped.get(base) ?? new Map<string, string>();
    forms.set(match?.[1] ?? '', text);
    grouped.set(base, forms);
  }
  return grouped;
}

function placeholders(text: string): Set<string> {
  return new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string));
}

/** Plural forms of a language that stand for one number only (Arabic _zero, _one, _two), which may say it in words. */
function singleNumberForms(lang: string): Set<string> {
  const rules = new Intl.PluralRules(lang);
  const numbers = new Map<string, number>();
  for (let n = 0; n <= 1000; n += 1) numbers.set(rules.select(n), (numbers.get(rules.select(n)) ?? 0) + 1);
  return new Set([...numbers].filter(([, count]) => count === 1).map(([form]) => form));
}

const cases = languages().flatMap((lang) => namespaces().map((namespace) => [`${lang}/${namespace}`, lang, namespace] as const));

describe.each(cases)('locales/%s.json', (_file, lang, namespace) => {
  const english = entries(load(REFERENCE, namespace));
  const tree = load(lang, namespace);
  const translated = entries(tree);

  it('when a translation is loaded, then every value is a non-empty string', () => {
    expect(flatten(tree).bad).toEqual([]);
  });

  it('when a translation is loaded, then it has every English key', () => {
    const missing = [...english.keys()].filter((key) => !translated.has(key));
    expect(missing).toEqual([]);
  });

  it('when a translation is loaded, then it has no key that English lacks', () => {
    const extra = [...translated.keys()].filter((key) => !english.has(key));
    expect(extra).toEqual([]);
  });

  it('when a key is plural in English, then the translation has exactly the plural forms of its language', () => {
    const needed = [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
    const problems: string[] = [];
    for (const [key, forms] of translated) {
      const reference = english.get(key);
      if (!reference) continue;
      const plural = !reference.has('');
      const have = [...forms.keys()].sort();
      if (plural && have.join() !== needed.join()) problems.push(`${key}: has ${have.map((f) => f || '(no suffix)').join(', ')}; needs ${needed.join(', ')}`);
      if (!plural && (forms.size !== 1 || !forms.has(''))) problems.push(`${key}: is not plural in English, so takes no plural suffix`);
    }
    expect(problems).toEqual([]);
  });

  it('when a translation is loaded, then it keeps every placeholder of the English string and invents none', () => {
    const wordedForms = singleNumberForms(lang);
    const problems: string[] = [];
    for (const [key, forms] of translated) {
      const reference = english.get(key);
      if (!reference) continue;
      const expected = new Set([...reference.values()].flatMap((text) => [...placeholders(text)]));
      for (const [form, text] of forms) {
        const found = placeholders(text);
        const label = form ? `${key}_${form}` : key;
        for (const name of expected) {
          if (found.has(name)) continue;
          if (name === 'count' && wordedForms.has(form)) continue;
          problems.push(`${label}: lost {{${name}}}`);
        }
        for (const name of found) if (!expected.has(name)) problems.push(`${label}: has {{${name}}}, which English lacks`);
      }
    }
    expect(problems).toEqual([]);
  });
});
