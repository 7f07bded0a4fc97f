// Hybrid retrieval: BM25 and dense results fused by rank, filtered to the regions a question names (a
// fair share each for comparisons), with a prior for the year the question is about.
import type { RegionEntry } from '../corpus/regions.ts';
import { weighQuery } from '../index/bm25.ts';
import type { PassageIndex } from '../index/passage-index.ts';
import { tokenize } from '../index/tokenize.ts';
import type { Passage, ReportPart, Turn } from '../types.ts';
import { REPORT } from '../lexicon/lexicon.ts';
import { fieldConcepts, type Intent } from '../understand/intent.ts';
import { understand, type UnderstandContext } from '../understand/understand.ts';
import { fuseRankings, interleave } from './fuse-rankings.ts';
import { chooseReportYears, type ReportYears } from './report-years.ts';

export interface RetrieverSettings {
  /** Candidates taken from each ranking before fusion. */
  candidates: number;
  useDense: boolean;
  useLexical: boolean;
  /** Filter to the regions the question names. Off only to measure what it brings. */
  useRegions: boolean;
  /** Weight of expansion terms relative to the question's own terms. */
  expansionWeight: number;
  /** Factor applied to the fused score of passages from the other year's part of a report. */
  otherYearFactor: number;
  /** Weight of the dense ranking in the fusion (the lexical ranking weighs 1). */
  denseWeight: number;
  /** Factor for national passages when a question names no region (national policy questions). */
  nationalFactor: number;
  /** Weight of the ranking of passages that hold a phrase the question quotes (“义新欧”) verbatim; 2 when unset. */
  phraseWeight?: number;
}

export const DEFAULT_RETRIEVER: RetrieverSettings = {
  candidates: 60,
  useDense: true,
  useLexical: true,
  useRegions: true,
  expansionWeight: 0.5,
  otherYearFactor: 0.6,
  denseWeight: 0.7,
  nationalFactor: 1.3,
};

export interface RetrievedPassage {
  passage: Passage;
  /** Fused reciprocal-rank score (higher is better). */
  score: number;
}

/** The part of a report a question points to, for ranking: the plan, the review, or either. */
type YearIntent = 'plan' | 'review' | 'any';

export interface RetrievalResult {
  /** The standalone question after the follow-up rewrite. */
  query: string;
  intent: Intent;
  /** Named regions whose reports are not in the corpus. */
  missingRegions: RegionEntry[];
  passages: RetrievedPassage[];
  /** For each region searched: the report years it has and those the question went to. */
  years: ReportYears[];
  /** The passages are the openings of the sub-sections of this part of the report (its key tasks, or last year's work). */
  leads?: 'plan' | 'review';
  /**
   * The unit query vector the dense search used (`PassageIndex.embedQuery` of the question with its
   * expansions), for scoring sentences with `PassageIndex.sentenceSimilarities`; absent when no dense
   * search ran (dense off, no region of the question in the corpus, a summary answered by section leads).
   */
  queryVector?: Float32Array;
}

export interface RetrieveRequest {
  question: string;
  history?: readonly Turn[];
  region?: string;
  k?: number;
  /** The question already understood (the answer pipeline computes it once); else computed here. */
  intent?: Intent;
}

type Part = ReportPart;

const TASK_PART = /重点工作|重点任务|主要任务|工作安排|主要工作|工作任务/;
const SELF_PART = /自身建设|政府治理|政府效能/;

const normalizeForDuplicates = (text: string): string => text.replace(/[\s，。、；：！？“”]/g, '');

/** Two passages say the same when their texts (punctuation and spaces aside) are equal or one holds the other. */
function isNearDuplicate(a: string, b: string): boolean {
  return a === b || (a.length > 20 && b.length > 20 && (a.includes(b) || b.includes(a)));
}

export class HybridRetriever {
  private readonly parts: Part[];
  /** Passage texts normalized for the near-duplicate check, computed when first needed. */
  private readonly normalized: (string | undefined)[] = [];
  private readonly documentsByRegion = new Map<string, number[]>();

  private corpusYears: number[] | undefined;

  constructor(
    readonly index: PassageIndex,
    readonly settings: RetrieverSettings = DEFAULT_RETRIEVER,
  ) {
    this.parts = index.passages.map((passage) => passage.part);
    index.passages.forEach((passage, document) => {
      const list = this.documentsByRegion.get(passage.region) ?? [];
      list.push(document);
      this.documentsByRegion.set(passage.region, list);
    });
  }

  /** The plan years the corpus holds. */
  get years(): number[] {
    this.corpusYears ??= [...new Set(this.index.reports.map((report) => report.year))].sort();
    return this.corpusYears;
  }

  /** The report years the corpus holds for a region, ascending. */
  yearsOf(region: string): number[] {
    return this.index.store.yearsOf(region);
  }

  /** What understanding a question may ask of this corpus: its years, each region's years, its vocabulary. */
  get context(): UnderstandContext {
    const index = this.index;
    return {
      years: this.years,
      yearsOf: (region) => this.yearsOf(region),
      has: (word) => index.bm25.documentFrequency(word.toLowerCase()) > 0,
      writes: (text) => index.writtenIdf(text) !== undefined,
      writtenShare: (text) => index.writtenShare(text),
      soundsLike: (name) => index.namesBySound(name),
      ...(index.english ? { english: index.english } : {}),
    };
  }

  /**
   * Understands a question, once, against the years of the regions it is about (all the corpus holds when
   * it names none), so that `2025年` for a region whose latest report is 2024 is a year not covered.
   */
  understand(request: Pick<RetrieveRequest, 'question' | 'history' | 'region'>): Intent {
    return understand({ question: request.question, history: request.history ?? [], ...(request.region !== undefined ? { region: request.region } : {}) }, this.context);
  }

  /** The passages of a region, in report order (document numbers). */
  regionDocuments(region: string): readonly number[] {
    return this.documentsByRegion.get(region) ?? [];
  }

  hasRegion(name: string): boolean {
    return this.documentsByRegion.has(name);
  }

  async retrieve(request: RetrieveRequest): Promise<RetrievalResult> {
    const k = request.k ?? 5;
    const intent = request.intent ?? this.understand(request);
    const query = intent.search.text;
    const named = this.settings.useRegions ? intent.subjects : [];
    const missingRegions = named.filter((entry) => !this.hasRegion(entry.name));
    // Places without a report of their own inside a region that has one (Harbin in 黑龙江省): that region's report is searched.
    const inside = named.length > 0 && named.every((entry) => !this.hasRegion(entry.name)) ? [...new Map(intent.within.filter((place) => this.hasRegion(place.region.name)).map((place) => [place.region.name, place.region])).values()] : [];
    const present = [...named.filter((entry) => this.hasRegion(entry.name)), ...inside];
    if (named.length > 0 && present.length === 0) return { query, intent, missingRegions, passages: [], years: [] };
    // (This year's target against last year's outcome reads both parts of the report.)
    const yearIntent: YearIntent = intent.shape === 'versus_last_year' ? 'any' : intent.time.scope === 'review' ? 'review' : intent.time.scope === 'plan' ? 'plan' : 'any';
    // An outcome (去年增长了多少) rather than a target set for that year (去年的目标).
    const outcome = yearIntent === 'review' && !intent.asks.some((ask) => ask.aim === 'target');
    const years = present.map((entry) => chooseReportYears(entry.name, this.yearsOf(entry.name), intent.time.relative, intent.time.written, outcome));

    if (intent.shape === 'tasks' && present.length > 0) {
      const quoted = intent.asks.flatMap((ask) => ask.quoted);
      // Last year's work asked (去年重点做了哪几方面工作, 取得了哪些成绩): the review's sub-sections, else the plan's.
      const part = intent.time.scope === 'review' ? 'review' : 'plan';
      // Tasks of a field the report gives one section of (国家在民生方面有哪些部署): that section's passages.
      const field = years.length === 1 ? this.fieldSection(years[0]!.region, intent, years[0]!.used[0], part) : [];
      if (field.length > 0) {
        return { query, intent, missingRegions, passages: field.slice(0, Math.max(k, 12)).map((document, rank) => ({ passage: this.index.passages[document]!, score: 1 / (rank + 1) })), years };
      }
      const leads = years.flatMap((choice) => this.sectionLeads(choice.region, quoted, choice.used[0], part));
      if (leads.length > 0) {
        const documents = leads.slice(0, Math.max(k, 12));
        return {
          query,
          intent,
          missingRegions,
          passages: documents.map((document, rank) => ({ passage: this.index.passages[document]!, score: 1 / (rank + 1) })),
          years,
          leads: part,
        };
      }
    }
    const weights = weighQuery([
      { tokens: tokenize(query), weight: 1 },
      { tokens: intent.search.terms.flatMap((term) => tokenize(term)), weight: this.settings.expansionWeight },
      // (The place's Chinese name, for a question that writes it in English.)
      { tokens: inside.length > 0 ? intent.within.flatMap((place) => tokenize(place.forms.at(-1) ?? place.place)) : [], weight: this.settings.expansionWeight },
    ]);
    const vector = this.settings.useDense ? await this.index.embedQuery([query, ...intent.search.terms].join(' ')) : undefined;
    // One group per region and report year (a question across years cites both reports), or the whole corpus.
    const groups: { regions?: string[]; year?: number; planOnly?: boolean }[] =
      years.length > 0 ? years.flatMap((choice) => choice.used.map((year) => ({ regions: [choice.region], year, planOnly: choice.planOnly.includes(year) }))) : [{}];
    // A name the question quotes is searched as written: a rare name (“义新欧”) jieba cuts into single characters.
    const quoted = [...new Set(intent.asks.flatMap((ask) => ask.quoted))].filter((phrase) => [...phrase].length >= 2);
    const perGroup = groups.map((group) => this.rankGroup(weights, vector, group.regions, group.planOnly ? 'plan' : yearIntent, k, group.year, group.planOnly, quoted));
    const documents = interleave(perGroup.map((list) => list.map((hit) => hit.document)), k);
    const scores = new Map(perGroup.flat().map((hit) => [hit.document, hit.score]));
    return {
      query,
      intent,
      missingRegions,
      passages: documents.map((document) => ({ passage: this.index.passages[document]!, score: scores.get(document) ?? 0 })),
      years,
      ...(vector ? { queryVector: vector } : {}),
    };
  }

  /**
   * The passages that open each sub-section of a region's plan of `year` (its latest by default), in report
   * order: the region's key tasks. With quoted phrases, only the sub-sections whose heading has one (when any does).
   */
  sectionLeads(region: string, quoted: readonly string[] = [], year = this.yearsOf(region).at(-1), part: 'plan' | 'review' = 'plan'): number[] {
    const leads: { document: number; heading: string; part: string }[] = [];
    for (const report of this.index.reports) {
      if (report.region !== region || (year !== undefined && report.year !== year)) continue;
      for (const section of report.sections) {
        if (section.level !== 2) continue;
        const document = (this.documentsByRegion.get(region) ?? []).find((candidate) => {
          const passage = this.index.passages[candidate]!;
          return passage.reportId === report.id && passage.start <= section.start && section.start < passage.end;
        });
        if (document === undefined || this.parts[document] !== part) continue;
        leads.push({ document, heading: section.heading, part: this.index.passages[document]!.sectionPath[0] ?? '' });
      }
    }
    // A review without sub-sections enumerates its items in paragraphs (一是…, 二是…): the passages that hold them.
    if (part === 'review' && leads.length === 0) {
      return (this.documentsByRegion.get(region) ?? []).filter((document) => {
        const passage = this.index.passages[document]!;
        return this.parts[document] === 'review' && (year === undefined || passage.year === year) && REPORT.sentence('sentence.enumerated_item').test(passage.text);
      });
    }
    // The key tasks are the sub-sections of the part that lists the year's work (重点工作, 主要任务 …),
    // not those of the general requirements or of the government's own conduct.
    const taskParts = part === 'plan' ? leads.filter((lead) => TASK_PART.test(lead.part)) : [];
    const pool = taskParts.length > 0 ? taskParts : leads.filter((lead) => !SELF_PART.test(lead.part));
    const candidates = pool.length > 0 ? pool : leads;
    const matching = candidates.filter((lead) => quoted.some((phrase) => lead.heading.includes(phrase)));
    return (matching.length > 0 ? matching : candidates).map((lead) => lead.document);
  }

  /**
   * The passages, in order, of the one section of a part of the region's report whose heading names every concept of
   * the asked field in one of its forms (民生 in 切实保障和改善民生…); none when no section or several do.
   */
  private fieldSection(region: string, intent: Intent, year: number | undefined, part: 'plan' | 'review'): number[] {
    const concepts = intent.asks.flatMap((ask) => fieldConcepts(ask).filter((concept) => !concept.indicator));
    if (concepts.length === 0) return [];
    const names = (heading: string): boolean => concepts.every((concept) => concept.forms.some((form) => !form.pattern && !form.gapped && heading.includes(form.text)));
    const documents = (this.documentsByRegion.get(region) ?? []).filter((document) => {
      const passage = this.index.passages[document]!;
      return (year === undefined || passage.year === year) && this.parts[document] === part && passage.sectionPath.length >= 2;
    });
    const headings = new Set(documents.map((document) => this.index.passages[document]!.sectionPath.at(-1)!).filter(names));
    if (headings.size !== 1) return [];
    const heading = [...headings][0]!;
    return documents.filter((document) => this.index.passages[document]!.sectionPath.at(-1) === heading);
  }

  private rankGroup(
    weights: ReadonlyMap<string, number>,
    vector: Float32Array | undefined,
    regions: string[] | undefined,
    yearIntent: YearIntent,
    k: number,
    year?: number,
    planOnly = false,
    quoted: readonly string[] = [],
  ): { document: number; score: number }[] {
    const { candidates } = this.settings;
    // Filters as data: the backend applies them (exactly, in the dense search, when they leave few passages).
    const filter = { ...(regions ? { regions } : {}), ...(year !== undefined ? { years: [year] } : {}), ...(planOnly ? { parts: ['plan' as const] } : {}) };
    const rankings: { items: number[]; weight?: number }[] = [];
    if (this.settings.useLexical) {
      rankings.push({ items: this.index.lexical(weights, candidates, undefined, filter).map((hit) => hit.document) });
    }
    if (vector) {
      rankings.push({ items: this.index.dense(vector, candidates, filter).map((hit) => hit.document), weight: this.settings.denseWeight });
    }
    if (quoted.length > 0) {
      const pool = regions ? regions.flatMap((region) => this.documentsByRegion.get(region) ?? []) : this.index.passages.map((_, document) => document);
      const holding = pool.filter((document) => {
        const passage = this.index.passages[document]!;
        return (year === undefined || passage.year === year) && (!planOnly || passage.part === 'plan') && quoted.some((phrase) => passage.text.includes(phrase));
      });
      if (holding.length > 0) rankings.push({ items: holding.slice(0, candidates), weight: this.settings.phraseWeight ?? 2 });
    }
    const fused = fuseRankings(rankings);
    const otherPart: Part | undefined = yearIntent === 'plan' ? 'review' : yearIntent === 'review' ? 'plan' : undefined;
    const ranked = [...fused]
      .map(([document, score]) => {
        let adjusted = this.parts[document] === otherPart ? score * this.settings.otherYearFactor : score;
        if (!regions && this.index.passages[document]!.region === '全国') adjusted *= this.settings.nationalFactor;
        return { document, score: adjusted };
      })
      .sort((left, right) => right.score - left.score || left.document - right.document);
    const kept: { document: number; score: number }[] = [];
    const normalizedText = (document: number): string => (this.normalized[document] ??= normalizeForDuplicates(this.index.passages[document]!.text));
    for (const hit of ranked) {
      const text = normalizedText(hit.document);
      if (kept.some((other) => isNearDuplicate(normalizedText(other.document), text))) continue;
      kept.push(hit);
      if (kept.length >= Math.max(k, 10)) break;
    }
    return kept;
  }
}
