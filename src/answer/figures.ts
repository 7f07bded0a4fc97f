// Figures as the reports write them — a number with its scale, unit and qualifier (`12.82万亿元`,
// `5%左右`, `120万人以上`, `3%以内`, `第9位`) — read with the units table of lexicon/units.json, so that
// a figure is kept whole from the report to the answer, compared across units (万吨 and 亿斤), and said in
// English with the conversion recorded. Pure.
import { escapeRegExp } from '../corpus/normalize-text.ts';
import { UNITS, type UnitEntry } from '../lexicon/lexicon.ts';

export interface Figure {
  /** As written, with its qualifier and a lead word such as 约 or 突破 left out: `5%左右`, `1.39万亿斤`. */
  text: string;
  /** Offset of `text` in the text read. */
  index: number;
  /** The number as written (5 for `5%左右`, 1.39 for `1.39万亿斤`). */
  number: number;
  /** 万, 亿, 万亿 … or ''. */
  scale: string;
  /** The unit as written (%, 元, 万人's 人 …), or '' for a bare number. */
  unit: string;
  /** What the unit measures (rate, currency, mass, people, count …; '' for a bare number; `rank` for 第9位). */
  dimension: string;
  /** 左右, 以上, 以内, 以下 or ''. */
  qualifier: string;
  /** The value in the dimension's base unit (tonnes of grain in kg, 亿元 in 元): comparable across units. */
  value: number;
}

const SCALES = Object.keys(UNITS.scales).sort((left, right) => right.length - left.length);
const UNIT_BY_TEXT = new Map<string, UnitEntry>(UNITS.units.map((entry) => [entry.unit, entry]));
const QUALIFIERS = UNITS.qualifiers.map((entry) => entry.qualifier);
// 6600多万, 2000余家: 多 and 余 (more than) between a number and its scale or unit stay in the figure as written.
const FIGURE = new RegExp(
  `(\\d+(?:\\.\\d+)?)(?:多|余)?\\s*(${SCALES.map(escapeRegExp).join('|')})?\\s*(${UNITS.units.map((entry) => escapeRegExp(entry.unit)).join('|')})?\\s*(${QUALIFIERS.map(escapeRegExp).join('|')})?`,
  'g',
);
const RANK = new RegExp(UNITS.ranks.pattern.source, 'g');

/** Every figure of a text, in order. Years (2023年) and section numbers are not figures. */
export function readFigures(text: string): Figure[] {
  const figures: Figure[] = [];
  for (const match of text.matchAll(FIGURE)) {
    const [whole, digits, scale = '', unit = '', qualifier = ''] = match;
    const index = match.index ?? 0;
    const number = Number(digits);
    // A year (2023年, 2023) or a date is no figure; nor is the number of a name (5G, 14五 …) or a rank (read below).
    if (/^(?:19|20)\d{2}$/.test(digits!) && (unit === '年' || unit === '' || unit === '位') && !scale) continue;
    if (/[A-Za-z]/.test(text[index + whole.length] ?? '') && !unit) continue;
    if (text[index - 1] === '第') continue;
    const entry = unit ? UNIT_BY_TEXT.get(unit) : undefined;
    if (entry?.dimension === 'rank') continue;
    const factor = (UNITS.scales[scale] ?? 1) * (entry?.factor ?? 1);
    figures.push({ text: whole.trim(), index, number, scale, unit, dimension: entry?.dimension ?? (scale ? 'count' : ''), qualifier, value: number * factor });
  }
  for (const match of text.matchAll(new RegExp(UNITS.scaleOnly.pattern.source, 'g'))) {
    const scale = match[1]!;
    const index = match.index ?? 0;
    const unit = UNITS.units.find((entry) => text.startsWith(entry.unit, index + scale.length));
    const written = `${scale}${unit?.unit ?? ''}`;
    figures.push({ text: written, index, number: 1, scale, unit: unit?.unit ?? '', dimension: unit?.dimension ?? 'count', qualifier: '', value: (UNITS.scales[scale] ?? 1) * (unit?.factor ?? 1) });
  }
  for (const match of text.matchAll(RANK)) {
    const number = Number(/\d+/.exec(match[0])?.[0] ?? (match[0].includes('一') || /首位|榜首|居首|前列/.test(match[0]) ? 1 : Number.NaN));
    figures.push({ text: match[0], index: match.index ?? 0, number, scale: '', unit: '', dimension: 'rank', qualifier: '', value: number });
  }
  return figures.sort((left, right) => left.index - right.index);
}

/** Whether a figure is a rate: a percentage or percentage points. */
export const isRate = (figure: Figure): boolean => figure.dimension === 'rate' || figure.dimension === 'points';

/** The dimensions of the units a list of written units names (`斤`, `吨` → mass). */
export function dimensionsOf(units: readonly string[]): Set<string> {
  return new Set(units.map((unit) => (unit === '%' ? 'rate' : (UNIT_BY_TEXT.get(unit)?.dimension ?? unit))));
}

/** Whether a figure in a written unit answers a question asked in a dimension: its own, or one its unit answers too (人次 for 人). */
export function answersDimension(unit: string, dimension: string): boolean {
  const entry = UNIT_BY_TEXT.get(unit);
  return (entry?.dimension ?? unit) === dimension || entry?.answers?.includes(dimension) === true;
}

/** The dimension of a written unit (`元` → currency), or the unit itself when the table lacks it. */
export function dimensionOf(unit: string): string {
  return UNIT_BY_TEXT.get(unit)?.dimension ?? unit;
}

const ENGLISH_QUALIFIER = new Map(UNITS.qualifiers.map((entry) => [entry.qualifier, entry]));

/** A number in English words at the scale that reads best: 1.2 million, 13.57 trillion, 6,000. */
function englishNumber(value: number): string {
  const round = (number: number): string => `${+number.toFixed(3)}`;
  if (value >= 1e12) return `${round(value / 1e12)} trillion`;
  if (value >= 1e9) return `${round(value / 1e9)} billion`;
  if (value >= 1e6) return `${round(value / 1e6)} million`;
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/**
 * A figure said in English (`5%以上` → `5% or more`; `120万人以上` → `1.2 million people or more`;
 * `约4.4万亿元` → `4.4 trillion yuan`), with the numbers it wrote that the report writes otherwise, for the
 * number check (1.2 stands for 120万).
 */
export function englishFigure(figure: Figure): { text: string; converted: string[] } {
  const qualifier = ENGLISH_QUALIFIER.get(figure.qualifier);
  const unit = figure.unit ? UNIT_BY_TEXT.get(figure.unit) : undefined;
  let core: string;
  const converted: string[] = [];
  if (figure.scale && figure.dimension !== 'rate') {
    const written = englishNumber(figure.number * (UNITS.scales[figure.scale] ?? 1));
    core = `${written}${unit?.english ? ` ${unit.english}` : ''}`;
    const number = /^[\d.,]+/.exec(written)?.[0];
    // As the number check reads it: without thousands separators (50,000 → 50000).
    const plain = number?.replace(/,/g, '');
    if (plain && plain !== String(figure.number)) converted.push(plain);
  } else {
    core = `${figure.number}${unit ? (unit.english === '%' ? '%' : unit.english ? ` ${unit.english}` : '') : ''}`;
  }
  if (!qualifier) return { text: core, converted };
  return { text: qualifier.position === 'before' ? `${qualifier.english} ${core}` : `${core} ${qualifier.english}`, converted };
}
