// Citation checking, for both answerers: every [n] must name a given source, and every number in a cited
// sentence must appear in a passage it cites. Pure.
import type { FlaggedSentence } from '../types.ts';
import { containsNumber, findNumbers, normalizeForNumbers } from './numbers.ts';

const MARKER = /\s?\[(\d{1,3})\]/g;
/** `[1,2]`, `[1、2]` or `[1, 2]` as models sometimes write them; rewritten to `[1][2]`. */
const GROUPED_MARKER = /\[(\d{1,3}(?:\s*[,，、]\s*\d{1,3})+)\]/g;

function splitGroupedMarkers(text: string): string {
  return text.replace(GROUPED_MARKER, (_marker, list: string) => list.split(/\s*[,，、]\s*/).map((n) => `[${n}]`).join(''));
}


export interface CheckedSentence {
  text: string;
  citations: number[];
  /** Numbers the cited passages do not contain. */
  unsupported: string[];
}

/** Splits an answer into sentences, keeping each sentence's trailing markers and newline with it. */
export function splitAnswerSentences(answer: string): string[] {
  const sentences: string[] = [];
  let current = '';
  for (let index = 0; index < answer.length; index++) {
    const char = answer[index]!;
    current += char;
    const atEnd = /[。！？!?\n]/.test(char) || (char === '.' && /\s|$/.test(answer[index + 1] ?? '') && !/\d/.test(answer[index - 1] ?? ''));
    // A quotation goes on past its own sentence ends (“…3%左右。确定以上目标…” [1]): its marker follows the quote.
    const quoting = (current.match(/“/g) ?? []).length > (current.match(/”/g) ?? []).length;
    if (!atEnd || (quoting && char !== '\n')) continue;
    // Markers written after the terminator (`…。[1]`) still belong to this sentence.
    const trailing = /^(\s?\[\d{1,3}\])+/.exec(answer.slice(index + 1));
    if (trailing) {
      current += trailing[0];
      index += trailing[0].length;
    }
    sentences.push(current);
    current = '';
  }
  if (current) sentences.push(current);
  return sentences;
}

/**
 * `given`: numbers that are no claim needing a source — those the question itself states, the report years of the
 * corpus and the years they review (the pipeline passes them), conversions the English framing made.
 */
/** A source as the check reads it: its text, and the report it is of (its year is context, not a claim). */
export interface CheckedSource {
  text: string;
  title?: string;
  year?: number;
}

/** The report years of the sources and the years they review: context, not claims (2024年…, 2023年…). */
function reportYears(sources: readonly CheckedSource[]): string[] {
  const years = new Set<string>();
  for (const source of sources) {
    const year = source.year ?? Number(/(\d{4})年/.exec(source.title ?? '')?.[1] ?? Number.NaN);
    if (Number.isFinite(year)) for (const value of [year, year - 1]) years.add(String(value));
  }
  return [...years];
}

export function checkSentence(sentence: string, sources: readonly CheckedSource[], given: readonly string[] = []): CheckedSentence {
  const citations: number[] = [];
  let text = splitGroupedMarkers(sentence).replace(MARKER, (marker, digits: string) => {
    const n = Number(digits);
    if (n < 1 || n > sources.length) return '';
    if (!citations.includes(n)) citations.push(n);
    return marker;
  });
  text = text.replace(/ {2,}/g, ' ');
  const claim = text.replace(MARKER, '');
  const cited = citations.map((n) => sources[n - 1]!.text);
  const context = reportYears(sources);
  const unsupported = findNumbers(normalizeForNumbers(claim)).filter(
    (number) => !given.includes(number) && !context.includes(number) && !cited.some((passage) => containsNumber(passage, number)),
  );
  return { text, citations, unsupported };
}

/** For a sentence whose numbers its markers do not support: the one source that holds all of them. */
export function findSupportingSource(numbers: readonly string[], sources: readonly CheckedSource[]): number | undefined {
  const index = sources.findIndex((source) => numbers.every((number) => containsNumber(source.text, number)));
  return index >= 0 ? index + 1 : undefined;
}

export interface CheckedAnswer {
  answer: string;
  citations: number[];
  flagged: FlaggedSentence[];
}

/**
 * Checks a whole answer. Invalid markers are removed. With `repair`, a sentence whose numbers are not in
 * the passages it cites is re-cited to the source that holds them, or dropped; without, it is flagged.
 */
export function checkAnswer(answer: string, sources: readonly CheckedSource[], options: { repair: boolean; given?: readonly string[] }): CheckedAnswer {
  const kept: string[] = [];
  const flagged: FlaggedSentence[] = [];
  for (const sentence of splitAnswerSentences(answer)) {
    const checked = checkSentence(sentence, sources, options.given);
    if (checked.unsupported.length === 0) {
      kept.push(checked.text);
      continue;
    }
    if (!options.repair) {
      flagged.push({ sentence: checked.text.trim(), numbers: checked.unsupported });
      kept.push(checked.text);
      continue;
    }
    const context = reportYears(sources);
    const claimNumbers = findNumbers(normalizeForNumbers(checked.text.replace(MARKER, ''))).filter((number) => !options.given?.includes(number) && !context.includes(number));
    const support = findSupportingSource(claimNumbers, sources);
    flagged.push({ sentence: checked.text.trim(), numbers: checked.unsupported });
    if (support !== undefined) {
      const bare = checked.text.replace(MARKER, '');
      const end = /[。！？!?.\n]*$/.exec(bare)?.[0] ?? '';
      kept.push(`${bare.slice(0, bare.length - end.length)} [${support}]${end}`);
    }
  }
  const text = kept.join('').trim();
  return { answer: text, citations: citationsIn(text), flagged };
}

/** The distinct markers of a text, in order of first use. */
export function citationsIn(text: string): number[] {
  const seen: number[] = [];
  for (const match of text.matchAll(MARKER)) {
    const n = Number(match[1]);
    if (!seen.includes(n)) seen.push(n);
  }
  return seen;
}
