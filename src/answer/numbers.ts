// Numbers in Chinese report text: finding them, and checking that an answer's figures come from its sources.

/** A number as written, with its decimal part: `12.82`, `5`, `1500`. */
const NUMBER = /\d+(?:\.\d+)?/g;

export function findNumbers(text: string): string[] {
  return text.match(NUMBER) ?? [];
}

/** Text with whitespace and thousands separators removed, so `1,500` and `1500` compare alike. */
export function normalizeForNumbers(text: string): string {
  return text.replace(/\s+/g, '').replace(/(\d),(?=\d{3})/g, '$1').replace(/\*\*/g, '');
}

/** Whether `number` occurs in `text` as a whole number (not as part of a longer one). */
export function containsNumber(text: string, number: string): boolean {
  const escaped = number.replace('.', '\\.');
  return new RegExp(`(?<![\\d.])${escaped}(?![\\d]|\\.\\d)`).test(normalizeForNumbers(text));
}

/** A figure with a unit that a question may ask for: `39218元`, `2.45万亿元`. */
export function hasAmountIn(text: string, unit: string): boolean {
  return new RegExp(`\\d(?:[\\d.]*)\\s*(?:万|亿|万亿|千)?${unit}`).test(text);
}
