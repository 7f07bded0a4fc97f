// Placing the sentences an answer quoted (offsets into the source's text) onto the passage text the panel shows.
import type { QuoteSpan } from './answer-types.ts';

/**
 * Spans into `shown` for the `quotes` given against `quotedText`. When both texts are the same the offsets are
 * used as they are; otherwise each quoted sentence is looked up in `shown`, in order, and dropped when absent.
 * The result is sorted, clipped, and free of overlaps.
 */
export function locateQuotes(shown: string, quotedText: string | undefined, quotes: QuoteSpan[] | undefined): QuoteSpan[] {
  if (!quotes || quotes.length === 0) return [];
  const base = quotedText ?? shown;
  const sorted = quotes
    .map((span) => ({ start: Math.max(0, Math.floor(span.start)), end: Math.min(base.length, Math.floor(span.end)) }))
    .filter((span) => span.end > span.start)
    .sort((left, right) => left.start - right.start);
  let spans: QuoteSpan[];
  if (base === shown) {
    spans = sorted;
  } else {
    spans = [];
    let from = 0;
    for (const span of sorted) {
      const sentence = base.slice(span.start, span.end).trim();
      if (!sentence) continue;
      const at = shown.indexOf(sentence, from);
      if (at < 0) continue;
      spans.push({ start: at, end: at + sentence.length });
      from = at + sentence.length;
    }
  }
  const merged: QuoteSpan[] = [];
  for (const span of spans) {
    const previous = merged.at(-1);
    if (previous && span.start <= previous.end) previous.end = Math.max(previous.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}
