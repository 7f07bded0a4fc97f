// Sentence splitting for Chinese report text: on 。！？；, keeping closing quotes with their sentence.

export interface Span {
  text: string;
  /** Offsets into the text that was split. */
  start: number;
  end: number;
}

const TERMINATORS = new Set(['。', '！', '？', '!', '?', '；', ';', '\n']);
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '》', '"']);
const LEADING_NOISE = /^[\s，,、。；;：:！!？?]+/;

/**
 * Splits text into sentences. A sentence ends at a terminator and any closing quotes after it; it never
 * starts with punctuation or whitespace. Offsets are exact, so `text.slice(start, end) === span.text`.
 */
export function splitSentences(text: string, offset = 0): Span[] {
  const spans: Span[] = [];
  let start = 0;
  const push = (end: number): void => {
    const piece = text.slice(start, end);
    const lead = LEADING_NOISE.exec(piece)?.[0].length ?? 0;
    const trimmedEnd = end - (piece.length - piece.trimEnd().length);
    if (trimmedEnd > start + lead) {
      spans.push({ text: text.slice(start + lead, trimmedEnd), start: offset + start + lead, end: offset + trimmedEnd });
    }
    start = end;
  };
  for (let index = 0; index < text.length; index++) {
    if (!TERMINATORS.has(text[index]!)) continue;
    let end = index + 1;
    while (end < text.length && CLOSERS.has(text[end]!)) end++;
    push(end);
    index = end - 1;
  }
  push(text.length);
  return spans;
}

/**
 * Splits an over-long sentence into clauses of at most `maxChars`, at commas where possible and never
 * inside a number with its unit.
 */
export function splitLongSentence(span: Span, maxChars: number): Span[] {
  if (span.text.length <= maxChars) return [span];
  const pieces: Span[] = [];
  let from = 0;
  const text = span.text;
  while (text.length - from > maxChars) {
    const window = text.slice(from, from + maxChars);
    let cut = Math.max(window.lastIndexOf('，'), window.lastIndexOf('、'), window.lastIndexOf(','), window.lastIndexOf('：'));
    if (cut < maxChars / 3) {
      cut = maxChars - 1;
      // Never cut inside a number with its unit: between two digits, at a decimal point, or before 万/%/元….
      const inside = (at: number): boolean => /[0-9.]/.test(text[from + at] ?? '') && /[0-9.%％万亿千百元人个家项吨斤亩所]/.test(text[from + at + 1] ?? '');
      while (cut > 1 && inside(cut)) cut--;
      if (inside(cut)) cut = maxChars - 1;
    }
    const end = from + cut + 1;
    pieces.push({ text: text.slice(from, end), start: span.start + from, end: span.start + end });
    from = end;
    while (from < text.length && LEADING_NOISE.test(text[from]!)) from++;
  }
  if (from < text.length) pieces.push({ text: text.slice(from), start: span.start + from, end: span.end });
  return pieces;
}
