// Tokenizing Chinese (and English) text for BM25 and LSA: jieba words, numbers kept whole, and character
// bigrams where jieba falls back to single characters (words it does not know).
import { jieba } from '../corpus/jieba.ts';
import { STOPWORDS } from './stopwords.ts';


const RUN = /(\d+(?:\.\d+)?%?)|([a-z][a-z0-9&-]*)|([\u3400-\u9fff\uf900-\ufaff]+)/g;

/** Words of a Chinese run: jieba's search-mode words plus bigrams over runs of single characters. */
function tokenizeHanzi(run: string, tokens: string[]): void {
  for (const word of jieba.cutForSearch(run, true)) if (!STOPWORDS.has(word)) tokens.push(word);
  let singles = '';
  const flush = (): void => {
    for (let index = 0; index + 1 < singles.length; index++) tokens.push(singles.slice(index, index + 2));
    singles = '';
  };
  for (const word of jieba.cut(run, true)) {
    if (word.length === 1) singles += word;
    else flush();
  }
  flush();
}

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.toLowerCase().matchAll(RUN)) {
    const [, number, latin, hanzi] = match;
    if (number) tokens.push(number);
    else if (latin) {
      if (!STOPWORDS.has(latin)) tokens.push(latin);
    } else if (hanzi) tokenizeHanzi(hanzi, tokens);
  }
  return tokens;
}

/** All character bigrams of the Chinese runs: the extra features the dense (LSA) model sees. */
export function hanziBigrams(text: string): string[] {
  const bigrams: string[] = [];
  for (const match of text.matchAll(/[\u3400-\u9fff\uf900-\ufaff]+/g)) {
    const run = match[0];
    for (let index = 0; index + 1 < run.length; index++) bigrams.push(`~${run.slice(index, index + 2)}`);
  }
  return bigrams;
}

/** jieba's search-mode words of a text, without the fallback bigrams: the words a question's topic is made of. */
export function words(text: string): string[] {
  const found: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[\u3400-\u9fff\uf900-\ufaff]+/g)) for (const word of jieba.cutForSearch(match[0], true)) if (!STOPWORDS.has(word)) found.push(word);
  return found;
}
