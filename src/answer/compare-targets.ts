// Questions across regions answered from the 2024 targets table, in Chinese and English: rankings
// (最高 / 最低 / 前N), thresholds (6%及以上, above 5.5%), listings (各省, 东北三省 分别), comparisons with a
// verdict, and "which regions set X". Each line cites the passage its value comes from and quotes the value
// as written; ordering uses the numbers, and regions that set no such target are named as such. Pure.
import { findRegionGroups, type RegionGroup } from '../corpus/region-groups.ts';
import { getRegion, listRegions } from '../corpus/regions.ts';
import type { QueryAnalysis } from '../retrieval/analyze-query.ts';
import { INDICATOR_ENGLISH, INDICATORS } from '../retrieval/lexicon.ts';
import type { Passage, RegionTargets, TargetRow } from '../types.ts';
import { describeValue } from './extract-targets.ts';
import type { NumberedPassage } from './extractive-answer.ts';

/** What this module needs of a question, whoever understood it (QueryAnalysis today, QuestionIntent next). */
export interface TargetQuestion {
  /** The question, normalized (simplified characters, half-width digits). */
  text: string;
  english: boolean;
  /** Indicator ids the question names, most specific first. */
  indicatorIds: readonly string[];
  /** Canonical names of the regions the question names (a group's members included or not). */
  subjectRegions: readonly string[];
  /** A region group the question names (东北三省), with its members' canonical names. */
  group?: { name: string; members: readonly string[]; english?: string };
  /** Question understanding found that the question wants a verdict (`谁更高`, `比浙江高吗`). */
  wantsVerdict?: boolean;
}

export type TargetAsk =
  | { kind: 'rank'; order: 'desc' | 'asc'; /** How many; undefined = the whole ranking. */ count?: number }
  | { kind: 'threshold'; operator: '>=' | '>' | '<=' | '<'; number: number; /** The number is the national target's (`高于全国`). */ versusNational?: boolean }
  | { kind: 'value'; number: number; qualifier?: string }
  | { kind: 'list' }
  | { kind: 'compare' };

export interface TargetComparison {
  ask: TargetAsk;
  indicator: string;
  sources: NumberedPassage[];
  /** Per source number: the clauses quoted from it, as offsets into its text (for `Source.quotes`). */
  quotes: Map<number, { start: number; end: number }[]>;
  answer: string;
}

const TARGET_IDS = new Set(INDICATORS.filter((indicator) => indicator.target).map((indicator) => indicator.id));
const NATIONAL = '全国';
const MAX_LINES = 40;

/** Words that make a question about many regions at once. */
const ACROSS_REGIONS = /(?:前|后|倒数)(?:\d+|[一两二三四五六七八九十])(?:名|位|个)?|的(?:省份|省区市|地区|城市)|哪些|哪几个|哪个|哪一个|哪里|谁|各省|各地|各市|各个|各区|各自|分别|一览|列出|排名|排序|对比|比较|相比|最高|最低|最快|最慢|全国各|所有|which|what (?:provinces|regions)|each|every|all (?:provinces|regions|cities)|list|rank|compare|highest|lowest|fastest|slowest|top \d|across|versus|\bvs\b|higher|lower/i;
const PLAN_WORDS = /目标|预期|计划|今年|2024|target|goal|aim|plan/i;
/** Words that say the question is about targets, needed for a listing (`今年哪些省份重视粮食` is not one). */
const TARGET_WORDS = /目标|预期|指标|target|goal|aim/i;
/** An amount asked for (`GDP总量`, `多少亿元`): growth targets do not answer it. */
const AMOUNT_WORDS = /总量|规模|多少(?:万亿|亿|万)?元|亿元|万亿元|how large|how big|total (?:value|amount|output)/i;
const RATE_INDICATORS = new Set(['gdp_growth', 'budget_revenue', 'fixed_investment', 'retail_sales', 'trade', 'exports', 'industrial_output', 'income', 'cpi']);
const REVIEW_WORDS = /去年|上年|2023|过去一年|实现了|完成了|last year|in 2023|achieved/i;
const PROVINCES_ONLY = /省|province/i;
const CITIES_ONLY = /城市|(?<!省)市(?:里|中)?(?:哪|的)|cities|city/i;

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const countOf = (text: string): number | undefined => (/^\d+$/.test(text) ? Number(text) : CHINESE_DIGITS[text]);

const NUMBER = String.raw`(\d+(?:\.\d+)?)\s*(?:%|％|个百分点|percent)?`;
/** Thresholds, Chinese and English: the operator and where the number is in the match. */
const THRESHOLDS: readonly [RegExp, '>=' | '>' | '<=' | '<'][] = [
  [new RegExp(`${NUMBER}\\s*(?:及以上|或以上|以上\\s*（含）|\\(含\\)以上|以上（含本数）)`), '>='],
  [new RegExp(`(?:不低于|不少于|至少|≥|>=)\\s*${NUMBER}`), '>='],
  [new RegExp(`(?:at least|no less than|not below)\\s*${NUMBER}`, 'i'), '>='],
  [new RegExp(`${NUMBER}\\s*(?:or (?:more|above|higher)|and (?:above|over|higher)|\\+)`, 'i'), '>='],
  [new RegExp(`${NUMBER}\\s*(?:及以下|或以下|以内（含）)`), '<='],
  [new RegExp(`(?:不高于|不超过|至多|≤|<=)\\s*${NUMBER}`), '<='],
  [new RegExp(`(?:at most|no more than|not above)\\s*${NUMBER}`, 'i'), '<='],
  [new RegExp(`${NUMBER}\\s*(?:or (?:less|below|lower)|and (?:below|under|lower))`, 'i'), '<='],
  [new RegExp(`(?:超过|高于|大于|多于|>)\\s*${NUMBER}`), '>'],
  [new RegExp(`(?:above|over|more than|higher than|greater than|exceeding)\\s*${NUMBER}`, 'i'), '>'],
  [new RegExp(`(?:低于|小于|少于|<)\\s*${NUMBER}`), '<'],
  [new RegExp(`(?:below|under|less than|lower than)\\s*${NUMBER}`, 'i'), '<'],
  // `在6%以上`, `在50万人以上`: 以上 after 在 is inclusive in Chinese usage.
  [new RegExp(`在\\s*${NUMBER}\\s*(?:万人|万吨|亿斤|亿元|万|亿|人)?\\s*以上`), '>='],
  [new RegExp(`在\\s*${NUMBER}\\s*(?:万人|万吨|亿斤|亿元|万|亿|人)?\\s*(?:以下|以内)`), '<='],
];
/** Thresholds set by the national target: `高于全国`, `above the national target`. */
const VERSUS_NATIONAL: readonly [RegExp, '>=' | '>' | '<=' | '<'][] = [
  [/(?:不低于|不少于)全国|(?:at least|no lower than|not below) (?:the )?national/i, '>='],
  [/(?:不高于|不超过)全国|(?:at most|no higher than|not above) (?:the )?national/i, '<='],
  [/(?:高于|超过|大于|高过)全国|(?:above|higher than|exceeds?|exceeding|over) (?:the )?national/i, '>'],
  [/(?:低于|小于)全国|(?:below|lower than|under) (?:the )?national/i, '<'],
];
/** `目标是6%左右` / `set at 6%`: a value asked for as such. */
const VALUE_ASKED = /(\d+(?:\.\d+)?)\s*(?:%|％)\s*(左右|以上|以内|以下)?/;

/** Reads what kind of cross-region question this is, or undefined when it is not one. */
export function readTargetAsk(question: TargetQuestion): TargetAsk | undefined {
  const text = question.text;
  for (const [pattern, operator] of VERSUS_NATIONAL) if (pattern.test(text)) return { kind: 'threshold', operator, number: Number.NaN, versusNational: true };
  for (const [pattern, operator] of THRESHOLDS) {
    const match = pattern.exec(text);
    // `1 million` (new jobs) is 100 of the 万 the rows count in.
    if (match?.[1]) return { kind: 'threshold', operator, number: Number(match[1]) * (/^\s*million\b/i.test(text.slice(match.index + match[0].length)) ? 100 : 1) };
  }
  const top =
    /(?:前|top\s*)(\d+|[一两二三四五六七八九十])(?:名|位|个|provinces|regions)?/i.exec(text) ??
    /最(?:高|低|快|慢|大|小|多|少)的?(\d+|[一两二三四五六七八九十])(?:个|名|位)/.exec(text) ??
    /(?:highest|lowest|fastest|slowest)\s+(\d+)\b/i.exec(text);
  const bottom = /(?:后|倒数|bottom\s*)(\d+|[一两二三四五六七八九十])(?:名|位|个)?/i.exec(text);
  if (bottom?.[1] && countOf(bottom[1])) return { kind: 'rank', order: 'asc', count: countOf(bottom[1])! };
  if (/最低|最慢|最小|最少|lowest|slowest|smallest/i.test(text)) return { kind: 'rank', order: 'asc', ...(top?.[1] ? { count: countOf(top[1])! } : { count: 1 }) };
  if (/最高|最快|最大|最多|highest|fastest|largest|most ambitious/i.test(text)) return { kind: 'rank', order: 'desc', ...(top?.[1] ? { count: countOf(top[1])! } : { count: 1 }) };
  if (top?.[1] && countOf(top[1])) return { kind: 'rank', order: 'desc', count: countOf(top[1])! };
  if (/排名|排序|从高到低|由高到低|rank|order/i.test(text)) return { kind: 'rank', order: /从低到高|由低到高|ascending/i.test(text) ? 'asc' : 'desc' };
  const value = VALUE_ASKED.exec(text);
  if (value?.[1]) return { kind: 'value', number: Number(value[1]), ...(value[2] ? { qualifier: value[2] } : {}) };
  const named = question.subjectRegions.filter((region) => region !== NATIONAL).length;
  if (named >= 2 && !question.group && (question.wantsVerdict || /对比|比较|相比|谁|哪个|哪一个|高于|低于|更高|更低|compare|versus|\bvs\b|higher|lower|which/i.test(text))) return { kind: 'compare' };
  return { kind: 'list' };
}

/** The indicator asked about: exports when the question says 出口 without 进 or 外贸; else the first target indicator. */
export function targetIndicatorOf(question: TargetQuestion): string | undefined {
  const asksExports = /(?<!进)出口(?!.*进口)/.test(question.text) && !/外贸|进出口/.test(question.text);
  const asksExportsEnglish = /\bexports?\b/i.test(question.text) && !/imports?|trade/i.test(question.text);
  if (asksExports || asksExportsEnglish) return 'exports';
  return question.indicatorIds.find((id) => TARGET_IDS.has(id));
}

/** The scope asked for: urban or rural residents' income, or everyone. */
function scopeOf(question: TargetQuestion): 'all' | 'urban' | 'rural' {
  if (/城镇居民|城市居民|urban residents|urban income/i.test(question.text)) return 'urban';
  if (/农村居民|农民|农村|rural/i.test(question.text)) return 'rural';
  return 'all';
}

/** The regions the question is about: its group, the regions it names, or every province / region / city. */
function populationOf(question: TargetQuestion, table: readonly RegionTargets[]): { regions: string[]; name?: string } {
  if (question.group) return { regions: [...question.group.members], name: question.group.name };
  const named = question.subjectRegions;
  if (named.length >= 2) return { regions: [...named] };
  const inTable = new Set(table.map((entry) => entry.region));
  const corpus = listRegions().filter((entry) => inTable.has(entry.name) && entry.level !== 'national');
  if (CITIES_ONLY.test(question.text) && !PROVINCES_ONLY.test(question.text)) return { regions: corpus.filter((entry) => entry.level === 'city').map((entry) => entry.name) };
  if (PROVINCES_ONLY.test(question.text)) return { regions: corpus.filter((entry) => entry.level === 'province').map((entry) => entry.name) };
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

/** Whether a question across regions should be answered from the table; `undefined` leaves it to retrieval. */
export function answerTargetQuestion(question: TargetQuestion, table: readonly RegionTargets[], passage: (id: string) => Passage | undefined): TargetComparison | undefined {
  const named = question.subjectRegions.filter((region) => region !== NATIONAL);
  if (!question.group && named.length === 1) return undefined;
  if (!question.group && named.length === 0 && !ACROSS_REGIONS.test(question.text)) return undefined;
  // Targets, not outcomes: `哪个省去年GDP增速最高` asks about 2023 and is left to retrieval.
  if (!PLAN_WORDS.test(question.text) || REVIEW_WORDS.test(question.text)) return undefined;
  const indicator = targetIndicatorOf(question);
  if (!indicator) return undefined;
  if (RATE_INDICATORS.has(indicator) && AMOUNT_WORDS.test(question.text)) return undefined;
  let ask = readTargetAsk(question);
  if (!ask) return undefined;
  if ((ask.kind === 'list' || ask.kind === 'value') && !TARGET_WORDS.test(question.text)) return undefined;
  const byRegionRows = new Map(table.map((entry) => [entry.region, entry.targets]));
  const nationalRow = (byRegionRows.get(NATIONAL) ?? []).find((row) => row.indicator === indicator && (row.scope ?? 'all') === 'all');
  if (ask.kind === 'threshold' && ask.versusNational) {
    const number = nationalRow ? rankNumber(nationalRow) : undefined;
    // No national target of this indicator: the comparison has nothing to stand on.
    if (number === undefined) return undefined;
    ask = { ...ask, number };
  }
  const scope = scopeOf(question);
  const population = populationOf(question, table);
  const groupName = question.group ? (question.english ? (question.group.english ?? question.group.name) : question.group.name) : undefined;
  const byRegion = byRegionRows;
  const regionRows: RegionRows[] = population.regions.map((region) => {
    const rows = (byRegion.get(region) ?? []).filter((row) => row.indicator === indicator);
    const scoped = rows.filter((row) => (row.scope ?? 'all') === scope);
    // Income asked for everyone: a region that set only urban and rural targets shows both.
    return { region, rows: scoped.length > 0 || scope !== 'all' ? scoped : rows };
  });
  const writer = new AnswerWriter(question.english, passage);
  const label = labelOf(indicator, scope, question.english);
  const names = named.length >= 2 && !question.group ? named.map((region) => regionName(region, question.english)).join(question.english ? ', ' : '、') : undefined;
  const versus = ask.kind === 'threshold' && ask.versusNational && nationalRow ? nationalRow : undefined;
  const answer = compose(ask, label, regionRows, groupName, writer, question.english, names, versus);
  return { ask, indicator, sources: writer.sources, quotes: writer.quotes, answer };
}

function labelOf(indicator: string, scope: 'all' | 'urban' | 'rural', english: boolean): string {
  const entry = INDICATORS.find((candidate) => candidate.id === indicator);
  if (english) return `${INDICATOR_ENGLISH[indicator] ?? indicator}${scope === 'all' ? '' : ` (${scope} residents)`}`;
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
    const parts = entry.rows.map((row) => {
      const scoped = entry.rows.length > 1 || (row.scope ?? 'all') !== 'all';
      const rowLabel = scoped ? (this.english ? `${row.scope ?? 'all'} ` : row.label) : this.english ? '' : label;
      // `进出口总额` + `6%` reads as an amount: a rate of an amount is its growth.
      if (!this.english && row.unit === '%' && /总额$|外资$/.test(rowLabel)) return `${rowLabel}增长${row.value}${this.cite(row)}`;
      return `${rowLabel}${row.value}${this.cite(row)}`;
    });
    return `- **${regionName(entry.region, this.english)}**${this.english ? ': ' : '：'}${parts.join(this.english ? '; ' : '，')}${this.english ? '' : '。'}`;
  }
}

function regionName(region: string, english: boolean): string {
  if (!english) return region;
  const entry = getRegion(region);
  return entry?.english[0] ? `${entry.english[0]} (${region})` : region;
}

const numbered = (entry: RegionRows): number | undefined => (entry.rows.length === 1 ? rankNumber(entry.rows[0]!) : undefined);

function compose(ask: TargetAsk, label: string, all: RegionRows[], groupName: string | undefined, writer: AnswerWriter, english: boolean, names?: string, versus?: TargetRow): string {
  const withNumber = all.filter((entry) => numbered(entry) !== undefined);
  const worded = all.filter((entry) => entry.rows.length > 0 && numbered(entry) === undefined);
  const absent = all.filter((entry) => entry.rows.length === 0);
  const lines: string[] = [];
  const where = groupName ?? (english ? 'the regions' : '');
  const noun = all.every((entry) => getRegion(entry.region)?.level === 'province') && !groupName ? '省份' : '地区';
  let lead: string;
  let shown: RegionRows[];
  let note = '';
  switch (ask.kind) {
    case 'rank': {
      const sorted = [...withNumber].sort((left, right) => (ask.order === 'desc' ? numbered(right)! - numbered(left)! : numbered(left)! - numbered(right)!));
      if (ask.count === undefined) shown = sorted;
      else {
        // Ties at the cut are kept: equal numbers rank together.
        const cut = sorted[Math.min(ask.count, sorted.length) - 1];
        shown = cut ? sorted.filter((entry, position) => position < ask.count! || numbered(entry) === numbered(cut)) : [];
      }
      const high = ask.order === 'desc';
      lead = english
        ? `${high ? 'Highest' : 'Lowest'} 2024 ${label} targets${groupName ? ` in ${groupName}` : ''}, by the number:`
        : `${groupName ?? ''}2024年${label}目标${ask.count === undefined ? (high ? '从高到低' : '从低到高') : `${high ? '最高' : '最低'}的`}${ask.count && ask.count > 1 ? `${chineseCount(ask.count)}个` : ''}${ask.count === undefined ? '' : noun}（按数字排序）：`;
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
          ? `Regions${groupName ? ` in ${groupName}` : ''} whose 2024 ${label} target is ${relation} the national target (${national}):`
          : `${groupName ?? ''}2024年${label}目标${relation}全国目标（${national}）的${noun}：`;
      } else {
        lead = english
          ? `Regions${groupName ? ` in ${groupName}` : ''} whose 2024 ${label} target is ${operatorWords} ${ask.number}${unitOf(all)}:`
          : `${groupName ?? ''}2024年${label}目标在${ask.number}${unitOf(all)}${operatorWords}的${noun}：`;
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
      lead = english ? `Regions whose 2024 main targets include ${what}:` : `2024年主要预期目标中提出${what}的${noun}：`;
      break;
    }
    case 'compare':
    case 'list': {
      shown = all.filter((entry) => entry.rows.length > 0);
      const whose = groupName ?? names;
      lead = english ? `2024 ${label} targets${whose ? ` of ${whose}` : ''}:` : `${whose ?? '各地区'}2024年${label}目标：`;
      break;
    }
  }
  if (shown.length === 0) {
    const none = english ? `None of ${where || 'the regions'} has a 2024 ${label} target that matches.` : `${groupName ?? ''}没有符合条件的地区（现有报告中未找到这样的2024年${label}目标）。`;
    lines.push(none);
  } else {
    lines.push(lead);
    for (const entry of shown.slice(0, MAX_LINES)) lines.push(writer.line(entry, label));
    if (shown.length > MAX_LINES) lines.push(english ? '(More regions: see the targets table.)' : '（更多地区见“目标一览”。）');
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

/** What the question-understanding step may add to the query analysis (QuestionIntent): the group and the subjects. */
type UnderstoodQuestion = QueryAnalysis & { group?: RegionGroup; subjects?: readonly { name: string }[] };

/**
 * The question as this module needs it: from a QuestionIntent (its group and subject regions), or from a
 * plain query analysis (the group then read from the text, and its members taken out of the named regions).
 */
export function targetQuestionFromAnalysis(analysis: UnderstoodQuestion): TargetQuestion {
  const group = analysis.group ?? findRegionGroups(analysis.question)[0]?.group;
  const named = (analysis.subjects ?? analysis.regions).map((entry) => entry.name);
  return {
    text: analysis.question,
    english: analysis.english,
    indicatorIds: analysis.indicators.map((indicator) => indicator.id),
    subjectRegions: named.filter((name) => !group?.members.includes(name)),
    ...(group ? { group: { name: group.name, members: group.members, ...(group.english[0] ? { english: group.english[0] } : {}) } } : {}),
    ...('wanted' in analysis && analysis.wanted === 'verdict' ? { wantsVerdict: true } : {}),
  };
}

/** The answer to a question across regions from the targets table, or undefined to leave it to retrieval. */
export function compareTargets(analysis: UnderstoodQuestion, table: readonly RegionTargets[], passage: (id: string) => Passage | undefined): TargetComparison | undefined {
  return answerTargetQuestion(targetQuestionFromAnalysis(analysis), table, passage);
}
