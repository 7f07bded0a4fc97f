// Reading target values such as `5.5%以上`: the number, its unit and its qualifier.

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
