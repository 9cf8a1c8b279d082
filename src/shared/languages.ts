import ISO6391 from 'iso-639-1';
import { foldText } from './text';
import { validators } from './validators';

/**
 * Languages as people name them: an ISO 639-1 language from its code or from its name in the
 * reader's language or in English ("russe", "Russian", "ru"), and back to a name in the reader's
 * language. Names are CLDR's (Intl.DisplayNames), so they read as the rest of the interface.
 */

const ISO_639_1_CODES: readonly string[] = ISO6391.getAllCodes();

const namers = new Map<string, Intl.DisplayNames>();
function namerIn(lang: string): Intl.DisplayNames {
  let namer = namers.get(lang);
  if (!namer) namers.set(lang, (namer = new Intl.DisplayNames([lang], { type: 'language', fallback: 'none' })));
  return namer;
}

/** A language's name in the reader's language ("russe" for ru in French); the code itself when CLDR names none. */
export function languageName(code: string, lang: string): string {
  return namerIn(lang).of(code) ?? code;
}

const comparable = (text: string): string => foldText(text.trim()).replace(/\s+/g, ' ');

const codesByName = new Map<string, Map<string, string>>();
/** Every ISO 639-1 language's name in `lang`, made comparable, to its code; the first code wins where two share a name (Akan). */
function codesByNameIn(lang: string): Map<string, string> {
  let codes = codesByName.get(lang);
  if (!codes) {
    codes = new Map();
    for (const code of ISO_639_1_CODES) {
      const name = namerIn(lang).of(code);
      if (name && !codes.has(comparable(name))) codes.set(comparable(name), code);
    }
    codesByName.set(lang, codes);
  }
  return codes;
}

/** The code of a language given by its code, or by its name in the reader's language or in English; undefined when it is none. */
export function languageCodeOf(text: string, lang = 'en'): string | undefined {
  const code = text.trim().toLowerCase();
  if (validators.language(code)) return code;
  const name = comparable(text);
  return codesByNameIn(lang).get(name) ?? codesByNameIn('en').get(name);
}

/** Commas and semicolons as each of the six languages writes them, and line breaks, but never spaces: a name may have several words. */
const LIST_SEPARATORS = /[,;\n\u060c\u061b\u3001\uff0c\uff1b]+/;

/**
 * The languages typed in one field, one text each: "russe, anglais", "Russian; English", or codes
 * separated by spaces as the field used to take them ("fr en").
 */
export function languageTexts(text: string, lang = 'en'): string[] {
  return text
    .split(LIST_SEPARATORS)
    .map((part) => part.trim())
    .filter(Boolean)
    .flatMap((part) => {
      const words = part.split(/\s+/);
      const allCodes = words.length > 1 && languageCodeOf(part, lang) === undefined && words.every((word) => validators.language(word.toLowerCase()));
      return allCodes ? words : [part];
    });
}

const LIST_JOINERS: Record<string, string> = { zh: '、', ar: '، ' };

/** A stored code as a field shows it: its name, or the code itself where the name would not read back as it (a 639-3 code, two languages of one name). */
export function languageFieldText(code: string, lang: string): string {
  const name = languageName(code, lang);
  return languageCodeOf(name, lang) === code ? name : code;
}

/** Stored codes as a field shows them: their names in the reader's language, joined as that language writes a list. */
export function languageNamesText(codes: readonly string[], lang: string): string {
  return codes.map((code) => languageFieldText(code, lang)).join(LIST_JOINERS[lang] ?? ', ');
}

/** Every ISO 639-1 language's name in the reader's language, in its alphabetical order: a language field's suggestions. */
export function languageSuggestions(lang: string): string[] {
  const collator = new Intl.Collator(lang);
  return ISO_639_1_CODES.map((code) => languageName(code, lang)).sort(collator.compare);
}
