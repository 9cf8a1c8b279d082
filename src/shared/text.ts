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

/** Words of a text in any script; Chinese is split by ICU's dictionary, the same way for index and query. */
export function words(text: string): string[] {
  const result: string[] = [];
  // Split on apostrophes too, so "d'Ivoire" is found by "Ivoire" as well as by "dIvoire"
  for (const piece of [text, ...(APOSTROPHES.test(text) ? [text.replace(APOSTROPHES, ' ')] : [])]) {
    for (const segment of segmenter.segment(piece)) {
      if (segment.isWordLike) result.push(segment.segment);
    }
  }
  APOSTROPHES.lastIndex = 0;
  return [...new Set(result)];
}
