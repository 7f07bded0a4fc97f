// Questions across regions answered from the targets table, in Chinese and English: rankings
// (最高 / 最低 / 前N), thresholds (6%及以上, above 5.5%), listings (各省, 东北三省 分别), comparisons with a
// verdict, and "which regions set X". Each line cites the passage its value comes from and quotes the value
// as written; ordering uses the numbers, and regions that set no such target are named as such. Pure.
import { getRegion, listRegions } from '../corpus/regions.ts';
import { getIndicator } from '../lexicon/lexicon.ts';
import type { Across, AcrossAsk, Intent } from '../understand/intent.ts';
import type { Passage, RegionTargets, TargetRow } from '../types.ts';
import { describeValue } from './extract-targets.ts';
import type { NumberedPassage } from './extractive-answer.ts';
import { englishFigure, isRate, readFigures } from './figures.ts';

export type { AcrossAsk };

export interface TargetComparison {
  ask: AcrossAsk;
  indicator: string;
  sources: NumberedPassage[];
  /** Per source number: the clauses quoted from it, as offsets into its text (for `Source.quotes`). */
  quotes: Map<number, { start: number; end: number }[]>;
  answer: string;
}

const NATIONAL = '全国';
const MAX_LINES = 40;

/** The regions the question is about: its group, the regions it names, or every province / region / city. */
function populationOf(intent: Intent, across: Across, table: readonly RegionTargets[]): { regions: string[]; name?: string } {
  if (intent.group) return { regions: [...intent.group.members], name: intent.group.name };
  const named = intent.subjects.map((entry) => entry.name).filter((name) => name !== NATIONAL || intent.subjects.length >= 2);
  if (named.length >= 2) return { regions: [...named] };
  const inTable = new Set(table.map((entry) => entry.region));
  const corpus = listRegions().filter((entry) => inTable.has(entry.name) && entry.level !== 'national');
  if (across.population === 'cities') return { regions: corpus.filter((entry) => entry.level === 'city').map((entry) => entry.name) };
  if (across.population === 'provinces') return { regions: corpus.filter((entry) => entry.level === 'province').map((entry) => entry.name) };
  return { regions: corpus.map((entry) => entry.name) };
}

/** The number a row ranks by: absolute amounts in one unit (grain in 万吨), rates as written. */
export function rankNumber(row: TargetRow): number | undefined {
  if (row.comparable) return row.comparable.number;
  if (row.number !== undefined) return row.number;
  const described = describeValue(row.value);
  return described.comparable?.number ?? described.number;
}

/** A row's qualifier, read from its value when the row does not carry it. */
const qualifierOf = (row: TargetRow): string => row.qualifier ?? describeValue(row.value).qualifier ?? '';

interface RegionRows {
  region: string;
  rows: TargetRow[];
}

/**
 * The answer to a question across regions from the targets table (rankings, thresholds, listings, a
 * comparison), or undefined when the table cannot answer it (a named region sets no such target in its main
 * targets, or the threshold is the national target and there is none): the passages then answer.
 */
export function answerAcross(intent: Intent, table: readonly RegionTargets[], passage: (id: string) => Passage | undefined): TargetComparison | undefined {
  const across = intent.across;
  if (!across) return undefined;
  const indicator = across.indicator.id;
  const english = intent.language === 'en';
  const named = intent.group ? [] : intent.subjects.map((entry) => entry.name).filter((region) => region !== NATIONAL || intent.subjects.length >= 2);
  let ask = across.ask;
  const byRegionRows = new Map(table.map((entry) => [entry.region, entry.targets]));
  // Named regions whose main targets lack the indicator may still set it elsewhere in the report (南通's 新增城镇就业).
  // So may the members of a small group asked side by side (川渝: 重庆's 城镇新增就业60万人以上 is outside its main targets).
  const members = named.length >= 2 ? named : intent.group && (ask.kind === 'compare' || ask.kind === 'list') && intent.group.members.length <= 4 ? intent.group.members : [];
  if (members.length >= 2 && !members.every((region) => (byRegionRows.get(region) ?? []).some((row) => row.indicator === indicator))) return undefined;
  const nationalRow = (byRegionRows.get(NATIONAL) ?? []).find((row) => row.indicator === indicator && (row.scope ?? 'all') === 'all');
  if (ask.kind === 'threshold' && ask.versusNational) {
    const number = nationalRow ? rankNumber(nationalRow) : undefined;
    // No national target of this indicator: the comparison has nothing to stand on.
    if (number === undefined) return undefined;
    ask = { ...ask, number };
  }
  const scope = across.scope;
  const population = populationOf(intent, across, table);
  const groupName = intent.group ? (english ? (intent.group.english[0] ?? intent.group.name) : intent.group.name) : undefined;
  const regionRows: RegionRows[] = population.regions.map((region) => {
    const rows = (byRegionRows.get(region) ?? []).filter((row) => row.indicator === indicator);
    const scoped = rows.filter((row) => (row.scope ?? 'all') === scope);
    // Income asked for everyone: a region that set only urban and rural targets shows both.
    return { region, rows: scoped.length > 0 || scope !== 'all' ? scoped : rows };
  });
  const years = [...new Set(table.filter((entry) => population.regions.includes(entry.region)).map((entry) => entry.year).filter((year): year is number => year !== undefined))].sort();
  const writer = new AnswerWriter(english, passage);
  const label = labelOf(indicator, scope, english);
  const names = named.length >= 2 ? named.map((region) => regionName(region, english)).join(english ? ', ' : '、') : undefined;
  const versus = ask.kind === 'threshold' && ask.versusNational && nationalRow ? nationalRow : undefined;
  const answer = compose(ask, label, regionRows, groupName, writer, english, years.join(english ? ' and ' : '、'), names, versus);
  return { ask, indicator, sources: writer.sources, quotes: writer.quotes, answer };
}

function labelOf(indicator: string, scope: 'all' | 'urban' | 'rural', english: boolean): string {
  const entry = getIndicator(indicator);
  if (english) return `${entry?.english ?? indicator}${scope === 'all' ? '' : ` (${scope} residents)`}`;
  return scope !== 'all' && entry?.scopeLabels ? entry.scopeLabels[scope] : (entry?.label ?? indicator);
}


/** Numbers the sources, one per passage, and writes cited lines. */
class AnswerWriter {
  readonly sources: NumberedPassage[] = [];
  readonly quotes = new Map<number, { start: number; end: number }[]>();
  constructor(
    private readonly english: boolean,
    private readonly passage: (id: string) => Passage | undefined,
  ) {}

  cite(row: TargetRow): string {
    const found = this.passage(row.passageId);
    if (!found) return '';
    let numbered = this.sources.find((source) => source.passage.id === found.id);
    if (!numbered) {
      numbered = { n: this.sources.length + 1, passage: found };
      this.sources.push(numbered);
    }
    if (row.quoteSpan) {
      const spans = this.quotes.get(numbered.n) ?? [];
      if (!spans.some((span) => span.start === row.quoteSpan!.start)) spans.push({ ...row.quoteSpan });
      this.quotes.set(numbered.n, spans.sort((left, right) => left.start - right.start));
    }
    return ` [${numbered.n}]`;
  }

  /** `**吉林省**：地区生产总值增长6%左右 [1]` — the label per row when a region has urban and rural rows. */
  line(entry: RegionRows, label: string): string {
    // In Chinese, a row is said in the report's own words where its quote holds its value (一般公共预算收入、城乡居民收入
    // 与经济增长同步; 城镇、农村居民人均可支配收入分别增长6.5%、7.5%), once for rows that share it.
    const quoted = new Set<number>();
    // In English, the value with the report's words beside it, as a single answer gives them (6%左右 (地区生产总值增长6%左右)).
    const parts = entry.rows.flatMap((row) => {
      const quote = row.quoteSpan ? this.passage(row.passageId)?.text.slice(row.quoteSpan.start, row.quoteSpan.end).replace(/[，；。、,;]+$/, '') : undefined;
      const scoped = entry.rows.length > 1 || (row.scope ?? 'all') !== 'all';
      if (this.english) {
        const said = quote && quote.includes(row.value) && quote !== row.value ? ` (${quote})` : '';
        return [`${scoped ? `${row.scope ?? 'all'} ` : ''}${englishRate(row.value)}${said}${this.cite(row)}`];
      }
      if (quote && quote.includes(row.value)) {
        if (quoted.has(row.quoteSpan!.start)) return [];
        quoted.add(row.quoteSpan!.start);
        return [`${quote}${this.cite(row)}`];
      }
      const rowLabel = scoped ? (this.english ? `${row.scope ?? 'all'} ` : row.label) : this.english ? '' : label;
      // `进出口总额` + `6%` reads as an amount: a rate of an amount is its growth.
      if (!this.english && row.unit === '%' && /总额$|外资$/.test(rowLabel)) return [`${rowLabel}增长${row.value}${this.cite(row)}`];
      return [`${rowLabel}${row.value}${this.cite(row)}`];
    });
    return `- **${regionName(entry.region, this.english)}**${this.english ? ': ' : '：'}${parts.join(this.english ? '; ' : '，')}${this.english ? '' : '。'}`;
  }
}

/** A rate said in English (8%左右 → about 8%), the report's words beside it; other values as written (no conversion to check). */
function englishRate(value: string): string {
  const figures = readFigures(value);
  const figure = figures[0];
  return figures.length === 1 && figure && figure.text === value && isRate(figure) ? englishFigure(figure).text : value;
}

function regionName(region: string, english: boolean): string {
  if (!english) return region;
  const entry = getRegion(region);
  return entry?.english[0] ? `${entry.english[0]} (${region})` : region;
}

/** A named group of at most this many regions is ranked in full when its top is asked. */
const GROUP_IN_FULL = 6;

const numbered = (entry: RegionRows): number | undefined => (entry.rows.length === 1 ? rankNumber(entry.rows[0]!) : undefined);

function compose(ask: AcrossAsk, label: string, all: RegionRows[], groupName: string | undefined, writer: AnswerWriter, english: boolean, year: string, names?: string, versus?: TargetRow): string {
  const withNumber = all.filter((entry) => numbered(entry) !== undefined);
  const worded = all.filter((entry) => entry.rows.length > 0 && numbered(entry) === undefined);
  const absent = all.filter((entry) => entry.rows.length === 0);
  const lines: string[] = [];
  const where = groupName ?? (english ? 'the regions' : '');
  const noun = all.every((entry) => getRegion(entry.region)?.level === 'province') && !groupName ? '省份' : '地区';
  let lead: string;
  let shown: RegionRows[];
  let note = '';
  let others: RegionRows[] = [];
  switch (ask.kind) {
    case 'rank': {
      const sorted = [...withNumber].sort((left, right) => (ask.order === 'desc' ? numbered(right)! - numbered(left)! : numbered(left)! - numbered(right)!));
      if (ask.count === undefined) shown = sorted;
      else {
        // Ties at the cut are kept: equal numbers rank together.
        const cut = sorted[Math.min(ask.count, sorted.length) - 1];
        shown = cut ? sorted.filter((entry, position) => position < ask.count! || numbered(entry) === numbered(cut)) : [];
      }
      // In a named group of a few regions (长三角三省一市), or among regions named one by one (青海、新疆、西藏…哪个最高),
      // the others follow in order: the top is read against them.
      if ((groupName || names) && all.length <= GROUP_IN_FULL) others = sorted.filter((entry) => !shown.includes(entry));
      const high = ask.order === 'desc';
      lead = english
        ? `${high ? 'Highest' : 'Lowest'} ${year} ${label} targets${groupName ? ` in ${groupName}` : ''}, by the number:`
        : `${groupName ?? ''}${year}年${label}目标${ask.count === undefined ? (high ? '从高到低' : '从低到高') : `${high ? '最高' : '最低'}的`}${ask.count && ask.count > 1 ? `${chineseCount(ask.count)}个` : ''}${ask.count === undefined ? '' : noun}（按数字排序）：`;
      note = english
        ? 'Ordered by the number alone: qualifiers such as 以上 (at least) and 左右 (about) do not change the order, and equal numbers tie.'
        : '排序只看数字：“以上”“左右”“以内”等限定词不改变名次，数字相同即并列。';
      break;
    }
    case 'threshold': {
      const passes = (number: number): boolean =>
        ask.operator === '>=' ? number >= ask.number : ask.operator === '>' ? number > ask.number : ask.operator === '<=' ? number <= ask.number : number < ask.number;
      shown = withNumber.filter((entry) => passes(numbered(entry)!)).sort((left, right) => numbered(right)! - numbered(left)!);
      const operatorWords = english
        ? { '>=': 'at or above', '>': 'above', '<=': 'at or below', '<': 'below' }[ask.operator]
        : { '>=': '及以上', '>': '以上（不含）', '<=': '及以下', '<': '以下（不含）' }[ask.operator];
      if (versus) {
        const national = `${versus.value}${writer.cite(versus)}`;
        const relation = english
          ? { '>=': 'at or above', '>': 'above', '<=': 'at or below', '<': 'below' }[ask.operator]
          : { '>=': '不低于', '>': '高于', '<=': '不高于', '<': '低于' }[ask.operator];
        lead = english
          ? `Regions${groupName ? ` in ${groupName}` : ''} whose ${year} ${label} target is ${relation} the national target (${national}):`
          : `${groupName ?? ''}${year}年${label}目标${relation}全国目标（${national}）的${noun}：`;
      } else {
        lead = english
          ? `Regions${groupName ? ` in ${groupName}` : ''} whose ${year} ${label} target is ${operatorWords} ${ask.number}${unitOf(all)}:`
          : `${groupName ?? ''}${year}年${label}目标在${ask.number}${unitOf(all)}${operatorWords}的${noun}：`;
      }
      note = english
        ? 'Judged by the number alone: a target written 以上 (at least) or 左右 (about) counts as its number.'
        : '按数字判断：写作“以上”“左右”的目标按其数字计。';
      break;
    }
    case 'value': {
      shown = withNumber.filter((entry) => {
        const row = entry.rows[0]!;
        return (row.number ?? describeValue(row.value).number) === ask.number && (!ask.qualifier || qualifierOf(row) === ask.qualifier);
      });
      const what = `${label}${ask.number}%${ask.qualifier ?? ''}`;
      lead = english ? `Regions whose ${year} main targets include ${what}:` : `${year}年主要预期目标中提出${what}的${noun}：`;
      break;
    }
    case 'compare':
    case 'list': {
      shown = all.filter((entry) => entry.rows.length > 0);
      const whose = groupName ?? names;
      lead = english ? `${year} ${label} targets${whose ? ` of ${whose}` : ''}:` : `${whose ?? '各地区'}${year}年${label}目标：`;
      break;
    }
  }
  if (shown.length === 0) {
    const none = english ? `None of ${where || 'the regions'} has a ${year} ${label} target that matches.` : `${groupName ?? ''}没有符合条件的地区（现有报告中未找到这样的${year}年${label}目标）。`;
    lines.push(none);
  } else {
    lines.push(lead);
    for (const entry of shown.slice(0, MAX_LINES)) lines.push(writer.line(entry, label));
    if (shown.length > MAX_LINES) lines.push(english ? '(More regions: see the targets table.)' : '（更多地区见“目标一览”。）');
    if (others.length > 0) {
      lines.push(english ? 'The others, in order:' : '其余依次为：');
      for (const entry of others) lines.push(writer.line(entry, label));
    }
  }
  if (ask.kind === 'compare') {
    const verdict = verdictOf(all, label, writer, english);
    if (verdict) lines.push(verdict);
  }
  // Regions whose target is not a number (与经济增长同步) cannot be ranked: shown apart with their words.
  if ((ask.kind === 'rank' || ask.kind === 'threshold') && worded.length > 0) {
    lines.push(english ? 'Without a single number (not ranked):' : '未设单一数值目标（不参与排序）：');
    for (const entry of worded.slice(0, MAX_LINES)) lines.push(writer.line(entry, label));
  }
  if (absent.length > 0 && ask.kind !== 'value') {
    const names = absent.map((entry) => regionName(entry.region, english));
    lines.push(english ? `No ${label} target in the main targets of: ${names.join(', ')}.` : `主要预期目标中未设${label}目标：${names.join('、')}。`);
  }
  const units = new Set(all.flatMap((entry) => entry.rows).filter((row) => row.comparable && row.unit).map((row) => row.unit));
  if (units.size > 1 && (ask.kind === 'rank' || ask.kind === 'threshold' || ask.kind === 'compare')) {
    const unit = all.flatMap((entry) => entry.rows).find((row) => row.comparable)?.comparable?.unit ?? '';
    note += english ? ` Amounts in different units (${[...units].join(', ')}) are converted to ${unit} before comparing.` : `${[...units].join('、')}等不同单位先折算为${unit}再比较。`;
  }
  if (note && shown.length > 0) lines.push(english ? `(${note.trim()})` : `（${note}）`);
  return lines.join('\n');
}

/** The unit the rows share (`%`), for restating a threshold. */
function unitOf(all: readonly RegionRows[]): string {
  const unit = all.flatMap((entry) => entry.rows).find((row) => row.unit)?.unit ?? '';
  return unit === '%' ? '%' : unit;
}

function chineseCount(count: number): string {
  return ['', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'][count] ?? String(count);
}

/** The verdict of a comparison: who is higher by the number, qualifiers named when the numbers tie. */
function verdictOf(all: readonly RegionRows[], label: string, writer: AnswerWriter, english: boolean): string | undefined {
  const ranked = all.filter((entry) => numbered(entry) !== undefined).sort((left, right) => numbered(right)! - numbered(left)!);
  if (ranked.length < 2) return undefined;
  const describe = (entry: RegionRows): string => `${regionName(entry.region, english)}（${entry.rows[0]!.value}）${writer.cite(entry.rows[0]!)}`;
  const top = ranked[0]!;
  const bottom = ranked.at(-1)!;
  if (numbered(top) === numbered(bottom)) {
    const qualifiers = new Set(ranked.map((entry) => qualifierOf(entry.rows[0]!)));
    return english
      ? `Verdict: the same number for all (${ranked.map(describe).join(', ')})${qualifiers.size > 1 ? '; only the qualifiers differ' : ''}.`
      : `结论：数字相同（${ranked.map(describe).join('、')}）${qualifiers.size > 1 ? '，只是限定词不同' : ''}。`;
  }
  if (ranked.length === 2) {
    return english
      ? `Verdict: ${describe(top)} sets a higher ${label} target than ${describe(bottom)} (by the number; qualifiers aside).`
      : `结论：按数字比较，${describe(top)}的${label}目标高于${describe(bottom)}（限定词不计）。`;
  }
  const tiedTop = ranked.filter((entry) => numbered(entry) === numbered(top));
  const tiedBottom = ranked.filter((entry) => numbered(entry) === numbered(bottom));
  return english
    ? `Verdict: highest ${tiedTop.map(describe).join(', ')}; lowest ${tiedBottom.map(describe).join(', ')} (by the number; qualifiers aside).`
    : `结论：按数字比较，最高为${tiedTop.map(describe).join('、')}，最低为${tiedBottom.map(describe).join('、')}（限定词不计）。`;
}
