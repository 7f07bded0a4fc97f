// A region's priorities of one report year (its latest unless asked for another), cited: its targets and,
// for each sub-section of that year's plan, its heading and one or two key sentences taken verbatim from
// the report, each citing the passage it comes from.
import { splitSentences } from '../chunking/split-sentences.ts';
import { resolveRegion } from '../corpus/regions.ts';
import { partOfHeading } from '../corpus/report-parts.ts';
import { AppError } from '../errors.ts';
import type { PassageIndex, ReportInfo } from '../index/passage-index.ts';
import type { HybridRetriever } from '../retrieval/hybrid-search.ts';
import type { Passage, RegionSummary, RegionTargets, Source, TaskSummary } from '../types.ts';
import { toSource } from './answer-question.ts';

export interface SummaryDependencies {
  index: PassageIndex;
  retriever: HybridRetriever;
  /** From `extractTargets(index)`, of the year summarized (an entry of another report is not used). */
  targets: readonly RegionTargets[];
}

/** Points longer than this (characters) are cut at the last clause boundary before it. */
export const MAX_POINT_CHARS = 120;
const MIN_POINT_CHARS = 15;
const POINTS_PER_TASK = 2;

/** A figure with a unit: 2万个, 6.5平方公里, 1800亿元, 75%, 1650条. */
const FIGURE = /\d+(?:\.\d+)?\s*(?:%|[万亿千百]*(?:平方公里|公里|千瓦|人次|元|个|家|条|所|项|座|人|吨|亩|户|套|张|台|辆|km|万|亿))/g;
/** Words of concrete measures: building, starting, completing, adding, reaching. */
const MEASURE_WORDS = ['建成', '新建', '开工', '竣工', '完成', '新增', '达到', '突破', '实施', '启动', '出台', '打造', '培育', '改造', '提高', '增长', '力争', '确保', '推动', '建设'];
/** Words of sentences that restate doctrine rather than say what will be done. */
const GENERIC_WORDS = /习近平|总书记|党中央|重要讲话|重要指示|坚定不移|牢牢把握|深入贯彻|全面贯彻/;
const CLAUSE_BOUNDARY = /[，；,;：:]/g;
const TRAILING_PUNCTUATION = /[，；,;：:、\s]+$/;

interface Candidate {
  text: string;
  passage: Passage;
  /** Offset in the report text, for report order. */
  start: number;
  score: number;
}

/** Cuts an over-long sentence at the last clause boundary that keeps it under `MAX_POINT_CHARS`. */
export function trimPoint(sentence: string, maxChars = MAX_POINT_CHARS): string | undefined {
  const text = sentence.trim().replace(TRAILING_PUNCTUATION, '');
  if (text.length <= maxChars) return text;
  let cut = -1;
  for (const match of text.matchAll(CLAUSE_BOUNDARY)) {
    if (match.index > maxChars) break;
    cut = match.index;
  }
  if (cut < 30) {
    cut = text.lastIndexOf('、', maxChars);
    if (cut < 30) return undefined;
  }
  return text.slice(0, cut).replace(TRAILING_PUNCTUATION, '');
}

/** How much a sentence says what will be done: figures, concrete measures, a readable length. */
export function scorePoint(sentence: string): number {
  const figures = Math.min(3, sentence.match(FIGURE)?.length ?? 0);
  const measures = Math.min(3, MEASURE_WORDS.filter((word) => sentence.includes(word)).length);
  let score = 2 * figures + measures;
  if (sentence.length < MIN_POINT_CHARS) score -= 6;
  else if (sentence.length < 25) score -= 1;
  else if (sentence.length <= MAX_POINT_CHARS) score += 1;
  if (GENERIC_WORDS.test(sentence)) score -= 3;
  return score;
}

const normalize = (text: string): string => text.replace(/[\s，。、；：,.;:“”"（）()]/g, '');
const cleanHeading = (heading: string): string => heading.trim().replace(/[。；;，,\s]+$/, '');

/** The key sentences of a run of passages (a sub-section or a part), in report order, heading left out. */
function pickPoints(passages: readonly Passage[], heading: string | undefined): Candidate[] {
  const headingKey = heading ? normalize(heading) : '';
  const candidates: Candidate[] = [];
  for (const passage of passages) {
    for (const span of splitSentences(passage.text)) {
      const key = normalize(span.text);
      if (!key || (headingKey && (headingKey.includes(key) || key === headingKey))) continue;
      const text = trimPoint(span.text);
      if (text) candidates.push({ text, passage, start: passage.start + span.start, score: scorePoint(text) });
    }
  }
  // Short lines (`深入落实城市总体规划。`) introduce a paragraph; they stand in only when nothing longer does
  // (镇江's `用力筑牢安全防线` lists nothing else).
  const substantial = candidates.filter((candidate) => candidate.text.length >= MIN_POINT_CHARS);
  const ranked = [...(substantial.length > 0 ? substantial : candidates)].sort((left, right) => right.score - left.score || left.start - right.start);
  const chosen: Candidate[] = [];
  for (const candidate of ranked) {
    if (chosen.length >= POINTS_PER_TASK) break;
    const key = normalize(candidate.text);
    if (chosen.some((other) => normalize(other.text).includes(key) || key.includes(normalize(other.text)))) continue;
    chosen.push(candidate);
  }
  return chosen.sort((left, right) => left.start - right.start);
}

const samePath = (left: Passage, right: Passage): boolean =>
  left.reportId === right.reportId && left.sectionPath.length === right.sectionPath.length && left.sectionPath.every((heading, position) => heading === right.sectionPath[position]);

/** The passages of the sub-section a lead passage opens: it and those after it with the same section path. */
function sectionRun(index: PassageIndex, lead: number): Passage[] {
  const first = index.passages[lead]!;
  const run = [first];
  for (let position = lead + 1; position < index.passages.length; position++) {
    const passage = index.passages[position]!;
    if (!samePath(first, passage)) break;
    run.push(passage);
  }
  return run;
}

interface TaskDraft {
  heading: string;
  points: Candidate[];
}

/** Sub-sections of the year's plan, in report order. */
function draftsFromSubSections(index: PassageIndex, leads: readonly number[]): TaskDraft[] {
  return leads.map((lead) => {
    const run = sectionRun(index, lead);
    const heading = cleanHeading(run[0]!.sectionPath.at(-1) ?? '');
    return { heading, points: pickPoints(run, heading) };
  });
}

/** Without sub-sections: the parts of the year's plan, or failing those the leading sentences after the review. */
function draftsFromParts(report: ReportInfo, regionPassages: readonly Passage[]): TaskDraft[] {
  const parts = report.sections.filter((section) => section.level === 1);
  const planParts = parts.filter((part) => partOfHeading(report, part.heading) === 'plan');
  const drafts = planParts.map((part) => {
    const passages = regionPassages.filter((passage) => passage.reportId === report.id && passage.sectionPath[0] === part.heading);
    return { heading: cleanHeading(part.heading), points: pickPoints(passages, part.heading) };
  });
  if (drafts.some((draft) => draft.points.length > 0)) return drafts;
  const reviewHeadings = new Set(parts.filter((part) => !planParts.includes(part)).map((part) => part.heading));
  const rest = regionPassages.filter((passage) => passage.reportId === report.id && !reviewHeadings.has(passage.sectionPath[0] ?? ''));
  const leading = rest.length > 0 ? rest : regionPassages;
  return [{ heading: cleanHeading(leading[0]?.sectionPath.at(-1) ?? report.title), points: pickPoints(leading.slice(0, 4), undefined) }];
}

/** Numbers sources 1..N in the order they are first cited. */
class SourceList {
  readonly sources: Source[] = [];
  private readonly numbers = new Map<string, number>();

  cite(passage: Passage): number {
    const known = this.numbers.get(passage.id);
    if (known !== undefined) return known;
    const n = this.sources.length + 1;
    this.sources.push(toSource(n, { passage, score: 1 }));
    this.numbers.set(passage.id, n);
    return n;
  }
}

/**
 * The cited summary of a region's report of `year` (its latest without one): targets, key tasks per
 * sub-section of the plan, sources. `region` is a canonical name, short form or English name. Throws
 * `not_found` for a name no table entry has or a year the region has no report for (naming the years it
 * has), `region_not_in_corpus` for a region whose report the index does not hold.
 */
export function summarizeRegion(deps: SummaryDependencies, region: string, year?: number): RegionSummary {
  const entry = resolveRegion(region);
  if (!entry) throw new AppError('not_found', `Unknown region "${region}". Use a canonical name (江苏省), a short form (江苏) or an English name (Jiangsu); GET /api/regions lists them.`);
  const { index, retriever } = deps;
  const latest = retriever.hasRegion(entry.name) ? index.store.mainReport(entry.name) : undefined;
  if (!latest) {
    throw new AppError('region_not_in_corpus', `The corpus has no government work report for ${entry.name}, so there is nothing to summarize. GET /api/regions lists the regions it covers.`);
  }
  const years = index.store.yearsOf(entry.name);
  const report = year === undefined ? latest : index.store.mainReport(entry.name, year);
  if (!report) throw new AppError('not_found', `The corpus has no ${year} report for ${entry.name}; the years it holds for ${entry.name} are ${years.join(', ')}.`);
  const regionPassages = index.passages.filter((passage) => passage.region === entry.name && passage.year === report.year);

  const sources = new SourceList();
  const targets = deps.targets.find((candidate) => candidate.region === entry.name && (candidate.reportId === undefined || candidate.reportId === report.id))?.targets ?? [];
  for (const row of targets) {
    const position = index.byId.get(row.passageId);
    if (position !== undefined) sources.cite(index.passages[position]!);
  }

  const leads = retriever.sectionLeads(entry.name, [], report.year);
  let drafts = draftsFromSubSections(index, leads).filter((draft) => draft.points.length > 0);
  if (drafts.length === 0) drafts = draftsFromParts(report, regionPassages).filter((draft) => draft.points.length > 0);

  // `citations[i]` cites `points[i]` (two points from one passage cite it twice).
  const tasks: TaskSummary[] = drafts.map((draft) => ({
    heading: draft.heading,
    points: draft.points.map((point) => point.text),
    citations: draft.points.map((point) => sources.cite(point.passage)),
  }));

  return { region: entry.name, title: report.title, year: report.year, years, targets: targets.map((row) => ({ ...row })), tasks, sources: sources.sources };
}
