// The 2024 main expected targets (主要预期目标) of every region: the targets paragraph of the plan part,
// split into clauses, each clause mapped to an indicator of the lexicon with its value as written.
import { planStart } from '../corpus/report-parts.ts';
import { z } from 'zod';
import { listRegions } from '../corpus/regions.ts';
import type { PassageIndex, ReportInfo } from '../index/passage-index.ts';
import { INDICATORS } from '../retrieval/lexicon.ts';
import type { Passage, RegionTargets, TargetRow } from '../types.ts';

/** One indicator a target clause names, with its value as the report writes it. */
export interface ParsedTarget {
  indicator: string;
  label: string;
  value: string;
  /** Offset of the indicator's term in the text that was parsed. */
  offset: number;
}

interface Term {
  indicator: string;
  pattern: RegExp;
}

const escapeForPattern = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What names an indicator in a targets clause: every term of the lexicon, plus forms only target
 * sentences use. `energy` only claims `单位地区生产总值` (energy intensity) so that it never reads as GDP.
 */
const TERMS: readonly Term[] = [
  ...INDICATORS.flatMap((indicator) => indicator.terms.map((term) => ({ indicator: indicator.id, pattern: new RegExp(escapeForPattern(term), 'g') }))),
  { indicator: 'energy', pattern: /单位(?:地区|国内)?(?:生产总值|GDP)/g },
  // 河南: `经济增长5.5%` — growth of the economy only when a figure follows (not `与经济增长同步`).
  { indicator: 'gdp_growth', pattern: /经济增长(?=\d)/g },
];

const TARGET_INDICATORS = new Map(INDICATORS.filter((indicator) => indicator.target).map((indicator) => [indicator.id, indicator.label]));

/** A figure with its unit and qualifier: `5%左右`, `1200万人以上`, `1.3万亿斤以上`, `1939.5万吨以上`. */
const FIGURE = /\d+(?:\.\d+)?(?:%|[万亿千百]*(?:人次|人|斤|吨|元|亩)|[万亿]+)(?:左右|以上|以内|以下)?/g;
const QUALIFIER = /(?:左右|以上|以内|以下)$/;
/** A term that only completes a ratio (`占地区生产总值比重`, `相当于全市生产总值的比例`) names no indicator. */
const RATIO_BEFORE = /(?:占|于)[^，、]{0,3}$/;
/** What may sit between a term and its predicate without being part of the value. */
const PREDICATE_LEAD = /^(?:总额|总值|总量|总水平|指数|（CPI）|\(CPI\)|规模|人数)?(?:增长|增速|涨幅)?/;
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
    // `居民消费价格指数（CPI）`: a second name of the same indicator continues the first.
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

/**
 * Parses one clause of a targets statement (text between `，` / `；` / `。`) into the indicators it sets.
 * `居民消费价格涨幅3%左右` → cpi `3%左右`; `一般公共预算收入、居民人均可支配收入增长与经济增长同步` →
 * budget_revenue and income `与经济增长同步`; `固定资产投资、社会消费品零售总额、进出口总额分别增长6%、5%、6%左右`
 * → one figure each. Indicators outside the targets list (energy, industrial output…) are parsed and dropped.
 */
export function parseTargetClause(clause: string): ParsedTarget[] {
  const mentions = findMentions(clause);
  if (mentions.length === 0) return [];
  const parsed: { indicator: string; value: string; offset: number }[] = [];
  const respectively = clause.indexOf('分别');
  if (respectively > mentions[0]!.start) {
    const subjects = mentions.filter((mention) => mention.start < respectively);
    const figures = figuresOf(clause.slice(respectively));
    const distinct = new Set(subjects.map((mention) => mention.indicator));
    if (distinct.size === subjects.length && subjects.length > 1 && figures.length === subjects.length) {
      const values = shareQualifier(figures.map((figure) => figure.text));
      subjects.forEach((mention, position) => parsed.push({ indicator: mention.indicator, value: values[position]!, offset: mention.start }));
    } else if (distinct.size === 1) {
      // `城镇、农村居民人均可支配收入分别增长6.5%、7.5%`: one indicator, several figures — the clause says it best.
      parsed.push({ indicator: subjects[0]!.indicator, value: clause.trim(), offset: subjects[0]!.start });
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
      let value = figure ? figure.text : predicate;
      // `粮食产量及播种面积、生态环境质量等指标完成……`: the predicate is about more than this subject.
      if (!figure && /^[、及]/.test(value)) value = clause.slice(mention.start).trim();
      // `城镇居民人均可支配收入增长6.5%左右` is the urban figure only: keep who it is about.
      const prefix = clause.slice(0, mentions[0]!.start);
      if (mention.indicator === 'income' && /城镇|农村/.test(prefix) && !/城乡/.test(prefix)) value = clause.trim();
      if (value) for (const subject of pending) parsed.push({ indicator: subject.indicator, value, offset: subject.start });
      pending = [];
    });
  }
  return parsed.flatMap((target) => {
    const label = TARGET_INDICATORS.get(target.indicator);
    return label ? [{ indicator: target.indicator, label, value: target.value, offset: target.offset }] : [];
  });
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
 * indicator is kept once, at its first mention. Offsets are into `text` plus `offset`.
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
    const found = clauses.flatMap((clause) => parseTargetClause(clause.text).map((target) => ({ ...target, offset: clause.start + target.offset })));
    if (found.length === 0 && targets.length > 0) break;
    for (const target of found) {
      if (seen.has(target.indicator)) continue;
      seen.add(target.indicator);
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

/** The report whose passages are indexed for a region (Jiangsu's PDF copy keeps none). */
function mainReport(index: PassageIndex, region: string, passagesByReport: Map<string, Passage[]>): ReportInfo | undefined {
  let best: ReportInfo | undefined;
  for (const report of index.reports) {
    if (report.region !== region) continue;
    const count = passagesByReport.get(report.id)?.length ?? 0;
    if (count > 0 && (!best || count > (passagesByReport.get(best.id)?.length ?? 0))) best = report;
  }
  return best;
}

function groupPassages(index: PassageIndex): Map<string, Passage[]> {
  const byReport = new Map<string, Passage[]>();
  for (const passage of index.passages) {
    const list = byReport.get(passage.reportId) ?? [];
    list.push(passage);
    byReport.set(passage.reportId, list);
  }
  return byReport;
}

/** The targets of one report, each row citing the passage that holds its clause. */
export function extractReportTargets(report: ReportInfo, passages: readonly Passage[]): TargetRow[] {
  const statement = findTargetStatement(report);
  if (!statement) return [];
  const rows: TargetRow[] = [];
  for (const target of parseTargetStatement(report.text.slice(statement.start, statement.end), statement.start)) {
    const passage = passages.find((candidate) => candidate.start <= target.offset && target.offset < candidate.end);
    if (!passage) continue;
    rows.push({ indicator: target.indicator, label: target.label, value: target.value, passageId: passage.id });
  }
  return rows;
}

/**
 * The 2024 main expected targets of every region in the index: national first, then provinces in table
 * order, then cities. Regions whose report states none are left out rather than guessed.
 */
export function extractTargets(index: PassageIndex): RegionTargets[] {
  const passagesByReport = groupPassages(index);
  const result: RegionTargets[] = [];
  for (const entry of listRegions()) {
    const report = mainReport(index, entry.name, passagesByReport);
    if (!report) continue;
    const targets = extractReportTargets(report, passagesByReport.get(report.id) ?? []);
    if (targets.length > 0) result.push({ region: entry.name, targets });
  }
  return result;
}

/** Targets read by hand from the reports (`tests/fixtures/targets-verified.json`). */
export const verifiedTargetsSchema = z.object({
  regions: z.array(
    z.object({
      region: z.string().min(1),
      targets: z.array(z.object({ indicator: z.string().min(1), value: z.string().min(1), evidence: z.string().min(1) })),
      /** Indicators the region's targets statement does not set: extracting one is an error. */
      absent: z.array(z.string().min(1)).optional(),
    }),
  ),
});

export type VerifiedTargets = z.infer<typeof verifiedTargetsSchema>;

export interface TargetsScore {
  correct: number;
  total: number;
  regions: number;
  accuracy: number;
  /** What went wrong, one line each: `江苏省 cpi: expected 3%左右, got —`. */
  mistakes: string[];
}

/** Compares extracted targets with hand-verified ones: each verified value and each verified absence counts once. */
export function scoreTargets(extracted: readonly RegionTargets[], verified: VerifiedTargets): TargetsScore {
  const byRegion = new Map(extracted.map((entry) => [entry.region, entry.targets]));
  let correct = 0;
  let total = 0;
  const mistakes: string[] = [];
  for (const expected of verified.regions) {
    const rows = byRegion.get(expected.region) ?? [];
    for (const target of expected.targets) {
      total++;
      const got = rows.find((row) => row.indicator === target.indicator)?.value;
      if (got === target.value) correct++;
      else mistakes.push(`${expected.region} ${target.indicator}: expected ${target.value}, got ${got ?? '—'}`);
    }
    for (const indicator of expected.absent ?? []) {
      total++;
      const got = rows.find((row) => row.indicator === indicator)?.value;
      if (got === undefined) correct++;
      else mistakes.push(`${expected.region} ${indicator}: expected no target, got ${got}`);
    }
  }
  return { correct, total, regions: verified.regions.length, accuracy: total === 0 ? 0 : correct / total, mistakes };
}
