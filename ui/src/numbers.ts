// Finding the figures in report text (to emphasise them) and reading target values such as `5.5%以上`.

export interface TextSegment {
  text: string;
  isNumber: boolean;
}

// A figure with its unit (5.2%, 1.39万亿斤, 1244万人, 0.3个百分点); dates (2024年, 1月23日) are not figures.
const figurePattern =
  /\d+(?:[.,]\d+)*(?:个百分点|%|％|‰|万亿|亿|万|千)?(?:元|人次|人|户|亩|吨|斤|辆|套|个|家|项|座|所|公里|千瓦时|千瓦|倍)?(?![\d.,])(?!\s*[年月日号时])/g;

/** Split `text` into plain runs and figures, in order; joining the texts gives back `text`. */
export function splitFigures(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(figurePattern)) {
    const start = match.index;
    if (start > last) segments.push({ text: text.slice(last, start), isNumber: false });
    segments.push({ text: match[0], isNumber: true });
    last = start + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), isNumber: false });
  return segments;
}

export interface TargetValue {
  /** The leading number as written, e.g. 5.5 for `5.5%以上`. */
  value: number;
  /** What follows the number, e.g. `%`, `万人`. */
  unit: string;
  /** The qualifier, e.g. `以上`, `左右`, `以内`; empty when the target is exact. */
  qualifier: string;
}

const qualifiers = ['左右', '以上', '以内', '以下', '上下', '高于', '低于', '力争', '不低于', '不高于'];

/** Read the leading number of a target value; null when it has none (`与经济增长同步`). */
export function parseTargetValue(text: string): TargetValue | null {
  const match = /(-?\d+(?:\.\d+)?)\s*([^\d\s]*)/.exec(text.replace(/,/g, ''));
  if (!match?.[1]) return null;
  const rest = match[2] ?? '';
  const qualifier = qualifiers.find((word) => text.includes(word)) ?? '';
  const unit = qualifier && rest.includes(qualifier) ? rest.slice(0, rest.indexOf(qualifier)) : rest;
  return { value: Number(match[1]), unit, qualifier };
}
