// The answer shapes the page keeps, exports and restores, including the optional fields the server is gaining
// (`quotes` on a source, `refusal` on the end event): coded against now, harmless while absent.
import type { AnswerMode, FlaggedSentence, Source } from '../../src/types.ts';

/** Character offsets into `source.text` of a sentence the answer quoted (end exclusive). */
export interface QuoteSpan {
  start: number;
  end: number;
}

export type QuotedSource = Source & { quotes?: QuoteSpan[] };

/** Why the reports do not answer: a code such as `region_not_in_corpus`, and the server's plain statement. */
export interface Refusal {
  reason: string;
  message?: string;
}

export type SavedState = 'done' | 'stopped' | 'error';

/** One finished exchange as kept in the browser and written to an export. */
export interface SavedExchange {
  id: string;
  question: string;
  askedAt: number;
  state: SavedState;
  answer: string;
  mode: AnswerMode | null;
  regions: string[] | null;
  sources: QuotedSource[];
  citations: number[];
  grounded: boolean;
  flagged: FlaggedSentence[];
  notices: string[];
  refusal?: Refusal;
  failure?: string;
  /** The region(s) the picker pinned the question to (several comma-separated). */
  pinned?: string;
}

export interface SavedConversation {
  id: string;
  title: string;
  /** True once the reader renamed it: the title no longer follows the first question. */
  renamed: boolean;
  createdAt: number;
  updatedAt: number;
  exchanges: SavedExchange[];
}

/** The quoted sentences of a source, in order, clipped to its text; empty when the server sent none. */
export function quotedSpans(source: QuotedSource): QuoteSpan[] {
  const length = source.text.length;
  return (source.quotes ?? [])
    .map((span) => ({ start: Math.max(0, Math.floor(span.start)), end: Math.min(length, Math.floor(span.end)) }))
    .filter((span) => span.end > span.start)
    .sort((left, right) => left.start - right.start);
}

/** The quoted sentences of a source as text, or the whole passage when no sentence is marked. */
export function quotedPassage(source: QuotedSource): string {
  const spans = quotedSpans(source);
  const text = spans.length > 0 ? spans.map((span) => source.text.slice(span.start, span.end).trim()).join(' … ') : source.text;
  return text.replace(/\s+/g, ' ').trim();
}

/** Where a sentence of report text ends. */
const sentenceEnd = /[。！？；!?\n]/;

/**
 * The whole sentence(s) around the quoted spans, when the answer quoted only part of a sentence; '' when the
 * quotes are whole sentences already, or there are none.
 */
export function quotedSentences(source: QuotedSource): string {
  const spans = quotedSpans(source);
  if (spans.length === 0) return '';
  const text = source.text;
  const sentences: string[] = [];
  let covered = -1;
  for (const span of spans) {
    if (span.start < covered) continue;
    let start = span.start;
    while (start > 0 && !sentenceEnd.test(text[start - 1] ?? '')) start -= 1;
    let end = Math.max(span.end, start);
    while (end < text.length && !sentenceEnd.test(text[end - 1] ?? '')) end += 1;
    sentences.push(text.slice(start, end).trim());
    covered = end;
  }
  const whole = sentences.join(' ').replace(/\s+/g, ' ').trim();
  return whole === quotedPassage(source).replace(/ … /g, ' ') ? '' : whole;
}

/** Citation numbers in order of first use, without repeats (the server may list one twice). */
export function uniqueNumbers(numbers: readonly number[]): number[] {
  return [...new Set(numbers)];
}
