// Normalizing the text of a question before anything reads it: compatibility forms (full-width letters
// and digits) folded by NFKC, invisible characters (zero-width, direction marks, soft hyphens) removed,
// traditional characters converted to simplified with OpenCC's tables.
import * as OpenCC from 'opencc-js/t2cn';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/** Zero-width spaces and joiners, direction marks and embeddings, word joiners, BOM, soft hyphen. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Full-width punctuation that NFKC would fold to ASCII, kept as the reports write it. */
const CHINESE_PUNCTUATION = /[，？！：；（）]/;

export function normalizeQuestionText(text: string): string {
  const withoutInvisible = text.replace(INVISIBLE, '');
  const folded = [...withoutInvisible].map((char) => (CHINESE_PUNCTUATION.test(char) ? char : char.normalize('NFKC'))).join('');
  return toSimplified(folded).replace(/\u3000/g, ' ');
}

/** Whether the text converts (it was written in traditional characters, at least in part). */
export function isTraditional(text: string): boolean {
  return toSimplified(text) !== text;
}

/** How many characters of two words of one length differ (苏洲 / 苏州: 1): a word written one character off. */
export function differingCharacters(left: string, right: string): number {
  return [...left].filter((char, position) => char !== right[position]).length;
}

/** A text as a regular expression that matches it literally (for building patterns from lexicon words). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
