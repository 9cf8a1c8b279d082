/** Text folding shared by the search index and its queries, so both sides compare like with like. */

const APOSTROPHES = /['’‘`´ʼʻ′＇]/g;
const COMBINING_MARKS = /\p{M}/gu;
const TATWEEL = /\u0640/g;

const ARABIC_LETTER_FOLDS: Record<string, string> = {
  'أ': 'ا',
  'إ': 'ا',
  'آ': 'ا',
  'ٱ': 'ا',
  'ى': 'ي',
  'ة': 'ه',
  'ؤ': 'و',
  'ئ': 'ي',
};
const ARABIC_FOLDABLE = new RegExp(`[${Object.keys(ARABIC_LETTER_FOLDS).join('')}]`, 'g');

/**
 * Lower-cases, drops diacritics (é→e, ё→е, Arabic harakat) and apostrophes, and folds Arabic letter
 * variants (hamza forms of alef, taa marbuta, alef maqsura) that writers use interchangeably.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(ARABIC_FOLDABLE, (letter) => ARABIC_LETTER_FOLDS[letter] ?? letter)
    .replace(TATWEEL, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .normalize('NFC');
}

const segmenter = new Intl.Segmenter('und', { granularity: 'word' });

/** Spaces and line breaks: no word runs across one (Unicode's word boundaries), so the pieces between them are split apart. */
const SEPARATORS = /[\p{Zs}\t-\r\u0085\u2028\u2029]+/u;

/** `compute` remembered for up to `kept` different arguments, all forgotten at once when full. */
export function remembered<T>(compute: (key: string) => T, kept: number): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    if (known.has(key)) return known.get(key)!;
    const value = compute(key);
    if (known.size >= kept) known.clear();
    known.set(key, value);
    return value;
  };
}

/**
 * The words of a piece of text with no space in it. The names of a directory repeat the same few
 * thousand pieces ("Ministry", "Justice", a State's name), and ICU's splitting is most of what an
 * index's build costs, so each piece is split once.
 */
const wordsOfPiece = remembered((piece) => {
  const found: string[] = [];
  for (const segment of segmenter.segment(piece)) {
    if (segment.isWordLike) found.push(segment.segment);
  }
  return found;
}, 20_000);

/** Words of a text in any script; Chinese is split by ICU's dictionary, the same way for index and query. */
export function words(text: string): string[] {
  const result: string[] = [];
  const pieces = text.split(SEPARATORS);
  // Split on apostrophes too, so "d'Ivoire" is found by "Ivoire" as well as by "dIvoire"
  const withoutApostrophes = APOSTROPHES.test(text) ? pieces.flatMap((piece) => piece.replace(APOSTROPHES, ' ').split(SEPARATORS)) : [];
  APOSTROPHES.lastIndex = 0;
  for (const piece of [...pieces, ...withoutApostrophes]) {
    if (piece) result.push(...wordsOfPiece(piece));
  }
  return [...new Set(result)];
}
