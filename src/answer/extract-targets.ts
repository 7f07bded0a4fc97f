// The main expected targets (主要预期目标) of every region, from its report of a year or its latest: the
// targets paragraph of the plan part, split into clauses, each mapped to an indicator with its value as written.
import { escapeRegExp } from '../corpus/normalize-text.ts';
import { planStart } from '../corpus/report-parts.ts';
import { z } from 'zod';
import { listRegions } from '../corpus/regions.ts';
import type { PassageIndex, ReportInfo } from '../index/passage-index.ts';
import { INDICATORS, REPORT } from '../lexicon/lexicon.ts';
import type { Passage, RegionTargets, TargetRow } from '../types.ts';

export type TargetScope = 'all' | 'urban' | 'rural';

/** One indicator a target clause names, with its value as the report writes it. */
export interface ParsedTarget {
  indicator: string;
  label: string;
  value: string;
  /** Who the target is about: urban or rural residents only, or everyone (the default). */
  scope: TargetScope;
  /** Offset of the indicator's term in the text that was parsed. */
  offset: number;
  /** The clause the value was read from, as offsets into the text that was parsed. */
  quote: { start: number; end: number };
}

interface Term {
  indicator: string;
  pattern: RegExp;
}


/** Indicators claimed only so that their words never read as another one (`单位生产总值二氧化碳排放量`). */
const PER_UNIT_OTHER = 'per_unit_other';

/**
 * What names an indicator in a targets clause: every term of the lexicon, plus forms only target
 * sentences use. `单位地区生产总值` never reads as GDP: with 能耗 it is energy intensity, else another ratio.
 */
const TERMS: readonly Term[] = [
  ...INDICATORS.flatMap((indicator) => indicator.terms.map((term) => ({ indicator: indicator.id, pattern: new RegExp(escapeRegExp(term), 'g') }))),
  { indicator: 'energy_intensity', pattern: /单位(?:地区|国内)?(?:生产总值|GDP)能耗/g },
  { indicator: PER_UNIT_OTHER, pattern: /单位(?:地区|国内)?(?:生产总值|GDP)(?!能耗)(?:二氧化碳排放量?)?/g },
  // 河南: `经济增长5.5%` — growth of the economy only when a figure follows (not `与经济增长同步`).
  ...INDICATORS.flatMap((indicator) => (indicator.reportPatterns ?? []).map((pattern) => ({ indicator: indicator.id, pattern: new RegExp(pattern, 'g') }))),
];

const TARGET_INDICATORS = new Map(INDICATORS.filter((indicator) => indicator.target).map((indicator) => [indicator.id, indicator]));

/** The label of an indicator for a scope: `城镇居民人均可支配收入增长` for urban income. */
export function labelFor(indicator: string, scope: TargetScope = 'all'): string {
  const entry = TARGET_INDICATORS.get(indicator) ?? INDICATORS.find((candidate) => candidate.id === indicator);
  if (!entry) return indicator;
  return scope !== 'all' && entry.scopeLabels ? entry.scopeLabels[scope] : entry.label;
}

/** A figure with its unit and qualifier: `5%左右`, `1200万人以上`, `1.3万亿斤以上`, `1939.5万吨以上`. */
const FIGURE = /\d+(?:\.\d+)?(?:%|[万亿千百]*(?:人次|人|斤|吨|元|亩)|[万亿]+)(?:左右|以上|以内|以下)?/g;
const QUALIFIER = /(?:左右|以上|以内|以下)$/;
/** A term that only completes a ratio (`占地区生产总值比重`, `相当于全市生产总值的比例`) names no indicator. */
const RATIO_BEFORE = /(?:占|于)[^，、]{0,3}$/;
/** What may sit between a term and its predicate without being part of the value. */
const PREDICATE_LEAD = /^(?:总额|总值|总量|总水平|指数|（CPI）|\(CPI\)|人数)?(?:增长|增速|涨幅)?/;
/** The verb that leads a worded value, not part of it: `实现正增长` → 正增长, `下降率完成省下达目标` → 完成省下达目标. */
const LEADING_VERB = /^(?:实现|达到|控制在|稳定在|保持在|下降率?|降低)(?=\S)/;
/** Words about a wider subject before a worded value: `综合生产能力完成省定目标`, `及播种面积、……等指标完成……`. */
const WIDER_SUBJECT = /^[^，]*?(?:能力|指标)(?=完成)/;
const CONNECTOR_ONLY = /^[、和与及,，\s]*$/;
/** A joiner and the start of the next subject's name: `、居民`, `、城乡`. */
const SUBJECT_JOINER = /^[、和与及][^、，]{0,4}$/;
/** The statement that opens the targets: `主要预期目标是：`, `主要预期目标为：`, `主要预期目标建议为：`, `主要预期目标：`. */
const TARGETS_OPENING = /预期目标(?:建议)?(?:是|为)?[：:]/g;

interface Mention {
  indicator: string;
  start: number;
  end: number;
}

/** Every indicator term in a clause, longest first where they overlap, in clause order. */
function findMentions(clause: string): Mention[] {
  const found: Mention[] = [];
  for (const term of TERMS) {
    term.pattern.lastIndex = 0;
    for (let match = term.pattern.exec(clause); match; match = term.pattern.exec(clause)) {
      found.push({ indicator: term.indicator, start: match.index, end: match.index + match[0].length });
    }
  }
  found.sort((left, right) => left.start - right.start || right.end - left.end);
  const kept: Mention[] = [];
  for (const mention of found) {
    const previous = kept.at(-1);
    if (previous && mention.start < previous.end) continue;
    // `居民消费价格指数（CPI）`, `外贸进出口总额`: a second name of the same indicator continues the first.
    if (previous && previous.indicator === mention.indicator && !/[、，和与及]/.test(clause.slice(previous.end, mention.start))) {
      previous.end = mention.end;
      continue;
    }
    if (mention.indicator === 'gdp_growth' && RATIO_BEFORE.test(clause.slice(0, mention.start))) continue;
    kept.push(mention);
  }
  return kept;
}

const figuresOf = (text: string): { text: string; index: number }[] => [...text.matchAll(FIGURE)].map((match) => ({ text: match[0], index: match.index }));

/** `6%、5%、6%左右` lists share the last figure's qualifier: 6%左右, 5%左右, 6%左右. */
function shareQualifier(values: string[]): string[] {
  const qualifier = QUALIFIER.exec(values.at(-1) ?? '')?.[0];
  return qualifier ? values.map((value) => (QUALIFIER.test(value) ? value : value + qualifier)) : values;
}

/** Who an income subject is about, from the words naming it: `城镇、农村常住居民` is both, `城乡居民` everyone unless split. */
function scopesOf(subject: string): { urban: boolean; rural: boolean; both: boolean } {
  const urban = /城镇/.test(subject);
  const rural = /农村|农牧民/.test(subject);
  return { urban, rural, both: /城乡/.test(subject) || (urban && rural) };
}

/**
 * Parses one clause of a targets statement (text between `，` / `；` / `。`) into the indicators it sets.
 * `居民消费价格涨幅3%左右` → cpi `3%左右`; `一般公共预算收入、居民人均可支配收入增长与经济增长同步` →
 * budget_revenue and income `与经济增长同步`; `固定资产投资、社会消费品零售总额、进出口总额分别增长6%、5%、6%左右`
 * → one figure each; `城镇、农村常住居民人均可支配收入分别增长6.5%、7.5%` → urban 6.5% and rural 7.5%.
 * Indicators outside the targets list are parsed and dropped.
 */
export function parseTargetClause(clause: string): ParsedTarget[] {
  const mentions = findMentions(clause);
  if (mentions.length === 0) return [];
  const parsed: { indicator: string; value: string; offset: number; scope: TargetScope }[] = [];
  // What names the subject of a mention: the words since the previous mention (`城镇、农村常住居民`).
  const subjectOf = (position: number): string => clause.slice(position > 0 ? mentions[position - 1]!.end : 0, mentions[position]!.start);
  const respectively = clause.indexOf('分别');
  if (respectively > mentions[0]!.start) {
    const subjects = mentions.filter((mention) => mention.start < respectively);
    const figures = figuresOf(clause.slice(respectively));
    const distinct = new Set(subjects.map((mention) => mention.indicator));
    if (distinct.size === subjects.length && subjects.length > 1 && figures.length === subjects.length) {
      const values = shareQualifier(figures.map((figure) => figure.text));
      subjects.forEach((mention, position) => parsed.push({ indicator: mention.indicator, value: values[position]!, offset: mention.start, scope: 'all' }));
    } else if (subjects.length === 1 && figures.length === 2 && scopesOf(subjectOf(0)).both) {
      // `城镇和农村居民人均可支配收入分别增长8%左右、8.5%左右`, `城乡居民人均可支配收入分别增长6%和7%`: urban first, then rural.
      const values = shareQualifier(figures.map((figure) => figure.text));
      parsed.push({ indicator: subjects[0]!.indicator, value: values[0]!, offset: subjects[0]!.start, scope: 'urban' });
      parsed.push({ indicator: subjects[0]!.indicator, value: values[1]!, offset: subjects[0]!.start, scope: 'rural' });
    }
  } else {
    let pending: Mention[] = [];
    mentions.forEach((mention, position) => {
      const next = mentions[position + 1];
      const rest = clause.slice(mention.end, next ? next.start : clause.length);
      pending.push(mention);
      const figure = figuresOf(rest)[0];
      const predicate = rest.replace(PREDICATE_LEAD, '').trim();
      // `一般公共预算收入、居民人均可支配收入增长与经济增长同步`: subjects listed before one shared predicate.
      if (!figure && (CONNECTOR_ONLY.test(predicate) || (next && SUBJECT_JOINER.test(predicate)))) return;
      let value = figure ? figure.text : predicate.replace(WIDER_SUBJECT, '').replace(LEADING_VERB, '');
      // `按序时进度完成国家下达的单位地区生产总值能耗下降目标`: the subject sits inside the predicate, the clause says it.
      if (!figure && /完成/.test(clause.slice(0, mentions[0]!.start))) value = clause.trim();
      if (value) {
        for (const subject of pending) {
          const who = scopesOf(subjectOf(mentions.indexOf(subject)));
          // `城镇居民人均可支配收入增长6.5%左右` is the urban target only; `城乡居民收入` is everyone's.
          const scope: TargetScope = subject.indicator === 'income' && !who.both ? (who.urban ? 'urban' : who.rural ? 'rural' : 'all') : 'all';
          parsed.push({ indicator: subject.indicator, value, offset: subject.start, scope });
        }
      }
      pending = [];
    });
  }
  const leading = clause.length - clause.trimStart().length;
  const quote = { start: leading, end: clause.trimEnd().length };
  return parsed.flatMap((target) =>
    TARGET_INDICATORS.has(target.indicator) ? [{ indicator: target.indicator, label: labelFor(target.indicator, target.scope), value: target.value, scope: target.scope, offset: target.offset, quote }] : [],
  );
}

/** Clause pieces of a sentence with their offsets: separated by `，` `；` `,` `;`. */
function splitClauses(text: string, offset: number): { text: string; start: number }[] {
  const clauses: { text: string; start: number }[] = [];
  let start = 0;
  for (let position = 0; position <= text.length; position++) {
    if (position < text.length && !'，；,;。'.includes(text[position]!)) continue;
    if (position > start) clauses.push({ text: text.slice(start, position), start: offset + start });
    start = position + 1;
  }
  return clauses;
}

/**
 * Parses a targets statement: its sentences (split at `。`) in order, until a sentence that sets no
 * target or opens with neither an indicator nor a figure (`确定以上目标，……` explains them). Each
 * indicator is kept once per scope, at its first mention. Offsets are into `text` plus `offset`.
 */
export function parseTargetStatement(text: string, offset = 0): ParsedTarget[] {
  const targets: ParsedTarget[] = [];
  const seen = new Set<string>();
  let sentenceStart = 0;
  for (const sentence of text.split(/(?<=。)/)) {
    const clauses = splitClauses(sentence, offset + sentenceStart);
    sentenceStart += sentence.length;
    const opening = clauses[0]?.text ?? '';
    // A sentence that opens with neither an indicator nor a figure explains the targets: they are over.
    if (targets.length > 0 && findMentions(opening).length === 0 && figuresOf(opening).length === 0) break;
    const found = clauses.flatMap((clause, position) => {
      const parsed = parseTargetClause(clause.text).map((target) => ({ ...target, offset: clause.start + target.offset, quote: { start: clause.start + target.quote.start, end: clause.start + target.quote.end } }));
      // A stretch goal said in the clause after (…增长6%左右，力争达到6%以上; 在实际工作中争取更好结果) is the target's own.
      const next = clauses[position + 1];
      const last = parsed.at(-1);
      if (last && next && REPORT.clause('clause.stretch_target').test(next.text) && parseTargetClause(next.text).every((other) => other.indicator === last.indicator)) {
        last.quote = { start: last.quote.start, end: next.start + next.text.length };
      }
      return parsed;
    });
    if (found.length === 0 && targets.length > 0) break;
    for (const target of found) {
      const key = `${target.indicator}:${target.scope}`;
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push(target);
    }
  }
  return targets;
}


/** Where the targets statement of a report is: the paragraph after `主要预期目标是：`, or under a heading `2024年主要预期目标`. */
export function findTargetStatement(report: Pick<ReportInfo, 'text' | 'sections' | 'year'>): { start: number; end: number } | undefined {
  const from = planStart(report);
  const { text } = report;
  const paragraphEnd = (start: number): number => {
    const end = text.indexOf('\n', start);
    return end < 0 ? text.length : end;
  };
  TARGETS_OPENING.lastIndex = from;
  const opening = TARGETS_OPENING.exec(text);
  if (opening) {
    const start = opening.index + opening[0].length;
    return { start, end: paragraphEnd(start) };
  }
  const heading = report.sections.find((section) => section.start >= from && /预期目标$/.test(section.heading));
  if (!heading) return undefined;
  let start = heading.start + heading.heading.length;
  while (start < text.length && /\s/.test(text[start]!)) start++;
  return { start, end: paragraphEnd(start) };
}

/** Qualifiers of a value, in the order they are looked for; a figure's own suffix comes first. */
const WORDED_QUALIFIERS: readonly [RegExp, string][] = [
  [/正增长/, '正增长'],
  [/同步/, '同步'],
  [/稳定|稳中提质|促稳提质|平稳/, '稳定'],
];

/** Units of absolute amounts that differ between reports, as a factor to one comparable unit. */
const COMPARABLE_UNITS: Readonly<Record<string, { unit: string; factor: number }>> = {
  // 1 斤 = 0.5 kg: 1 亿斤 = 5 万吨.
  亿斤: { unit: '万吨', factor: 5 },
  万亿斤: { unit: '万吨', factor: 50_000 },
  万吨: { unit: '万吨', factor: 1 },
  亿吨: { unit: '万吨', factor: 10_000 },
  万人: { unit: '万人', factor: 1 },
  人: { unit: '万人', factor: 0.0001 },
};

const NUMBER_WITH_UNIT = /(\d+(?:\.\d+)?)((?:%|[万亿千百]*(?:人次|人|斤|吨|元|亩)|[万亿]+)?)/g;

/**
 * What a value says for comparison: its number(s) and unit as written, its qualifier, and for absolute
 * amounts a number in one comparable unit (`1.3万亿斤以上` → 65000 万吨). `与经济增长同步` has no number.
 */
export function describeValue(value: string): Pick<TargetRow, 'number' | 'numbers' | 'unit' | 'qualifier' | 'comparable'> {
  const found = [...value.matchAll(NUMBER_WITH_UNIT)].map((match) => ({ number: Number(match[1]), unit: match[2] ?? '' }));
  const qualifier = QUALIFIER.exec(value)?.[0] ?? WORDED_QUALIFIERS.find(([pattern]) => pattern.test(value))?.[1] ?? '';
  const first = found[0];
  if (!first) return { qualifier };
  const scale = COMPARABLE_UNITS[first.unit];
  return {
    number: first.number,
    ...(found.length > 1 ? { numbers: found.map((item) => item.number) } : {}),
    unit: first.unit,
    qualifier,
    ...(scale ? { comparable: { number: Number((first.number * scale.factor).toPrecision(12)), unit: scale.unit } } : {}),
  };
}

/** The targets of one report, each row citing the passage that holds its clause, with what comparison needs. */
export function extractReportTargets(report: ReportInfo, passages: readonly Passage[]): TargetRow[] {
  const statement = findTargetStatement(report);
  if (!statement) return [];
  const rows: TargetRow[] = [];
  for (const target of parseTargetStatement(report.text.slice(statement.start, statement.end), statement.start)) {
    const passage = passages.find((candidate) => candidate.start <= target.offset && target.offset < candidate.end);
    if (!passage) continue;
    const quote = report.text.slice(target.quote.start, target.quote.end);
    const quoteStart = passage.text.indexOf(quote);
    rows.push({
      indicator: target.indicator,
      label: target.label,
      value: target.value,
      passageId: passage.id,
      ...describeValue(target.value),
      scope: target.scope,
      year: passage.year,
      quote,
      ...(quoteStart >= 0 ? { quoteSpan: { start: quoteStart, end: quoteStart + quote.length } } : {}),
    });
  }
  return rows;
}

export interface TargetsOptions {
  /** Each region's report of this year (regions without one are left out); without it, each region's latest. */
  year?: number;
}

/**
 * The main expected targets of every region in the index, each entry of one report (the year's, or the
 * region's latest): national first, then provinces in table order, then cities. Regions whose report
 * states none are left out rather than guessed.
 */
export function extractTargets(index: PassageIndex, options: TargetsOptions = {}): RegionTargets[] {
  const result: RegionTargets[] = [];
  for (const entry of listRegions()) {
    const report = index.store.mainReport(entry.name, options.year);
    if (!report) continue;
    const targets = extractReportTargets(report, index.store.passagesOf(report.id));
    if (targets.length > 0) result.push({ region: entry.name, year: report.year, title: report.title, reportId: report.id, targets });
  }
  return result;
}

const scopeSchema = z.enum(['all', 'urban', 'rural']);

/** Targets read by hand from the reports (`tests/fixtures/targets-verified.json`). */
export const verifiedTargetsSchema = z.object({
  regions: z.array(
    z.object({
      region: z.string().min(1),
      targets: z.array(
        z.object({
          indicator: z.string().min(1),
          /** Urban or rural residents only; everyone when left out. */
          scope: scopeSchema.default('all'),
          value: z.string().min(1),
          /** `左右` `以上` `以内` `以下` `正增长` `同步` `稳定` or ``; when left out it is not checked. */
          qualifier: z.string().optional(),
          /** The exact substring of the report the value was read from. */
          evidence: z.string().min(1),
        }),
      ),
      /** Indicators the region's targets statement does not set: extracting one is an error. */
      absent: z.array(z.string().min(1)).optional(),
    }),
  ),
});

export type VerifiedTargets = z.infer<typeof verifiedTargetsSchema>;

export interface IndicatorScore {
  indicator: string;
  correct: number;
  total: number;
  /** Of which verified values (the rest are verified absences). */
  values: { correct: number; total: number };
}

export interface TargetsScore {
  correct: number;
  total: number;
  regions: number;
  accuracy: number;
  /** Per indicator, in the order of the fixture. */
  indicators: IndicatorScore[];
  /** What went wrong, one line each: `江苏省 cpi: expected 3%左右, got —`. */
  mistakes: string[];
  /** Extracted rows the fixture neither verifies nor lists as absent (not counted, shown for review). */
  unverified: string[];
}

const scopeName = (scope: TargetScope): string => (scope === 'all' ? '' : `/${scope}`);

/**
 * Compares extracted targets with hand-verified ones. Each verified value counts once: it is right when a
 * row of the same indicator and scope has exactly its value and, where the fixture gives one, its qualifier.
 * Each verified absence counts once: it is right when no row of that indicator was extracted.
 */
export function scoreTargets(extracted: readonly RegionTargets[], verified: VerifiedTargets): TargetsScore {
  const byRegion = new Map(extracted.map((entry) => [entry.region, entry.targets]));
  const perIndicator = new Map<string, IndicatorScore>();
  const count = (indicator: string, right: boolean, isValue = true): void => {
    const entry = perIndicator.get(indicator) ?? { indicator, correct: 0, total: 0, values: { correct: 0, total: 0 } };
    entry.total++;
    if (right) entry.correct++;
    if (isValue) {
      entry.values.total++;
      if (right) entry.values.correct++;
    }
    perIndicator.set(indicator, entry);
  };
  const mistakes: string[] = [];
  const unverified: string[] = [];
  for (const expected of verified.regions) {
    const rows = byRegion.get(expected.region) ?? [];
    const checked = new Set<TargetRow>();
    for (const target of expected.targets) {
      const row = rows.find((candidate) => candidate.indicator === target.indicator && (candidate.scope ?? 'all') === target.scope);
      if (row) checked.add(row);
      const right = row !== undefined && row.value === target.value && (target.qualifier === undefined || (row.qualifier ?? '') === target.qualifier);
      count(target.indicator, right);
      if (!right) {
        const got = row ? `${row.value}${target.qualifier === undefined ? '' : ` (${row.qualifier || '—'})`}` : '—';
        const wanted = `${target.value}${target.qualifier === undefined ? '' : ` (${target.qualifier || '—'})`}`;
        mistakes.push(`${expected.region} ${target.indicator}${scopeName(target.scope)}: expected ${wanted}, got ${got}`);
      }
    }
    for (const indicator of expected.absent ?? []) {
      const found = rows.filter((row) => row.indicator === indicator);
      found.forEach((row) => checked.add(row));
      count(indicator, found.length === 0, false);
      if (found.length > 0) mistakes.push(`${expected.region} ${indicator}: expected no target, got ${found.map((row) => row.value).join('、')}`);
    }
    for (const row of rows) if (!checked.has(row)) unverified.push(`${expected.region} ${row.indicator}${scopeName(row.scope ?? 'all')}: ${row.value}`);
  }
  const indicators = [...perIndicator.values()];
  const correct = indicators.reduce((sum, entry) => sum + entry.correct, 0);
  const total = indicators.reduce((sum, entry) => sum + entry.total, 0);
  return { correct, total, regions: verified.regions.length, accuracy: total === 0 ? 0 : correct / total, indicators, mistakes, unverified };
}
