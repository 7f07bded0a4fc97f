// The assistant as the server sees it: answering, searching, regions, summaries, targets and passages,
// over one loaded index. Built once in main.ts and handed to the transports.
import { answerQuestion, collectAnswer, toSource, type AnswerDependencies, type AnswerRequest } from './answer/answer-question.ts';
import { checkAnswer } from './answer/check-citations.ts';
import { fillPrompt, formatSources, loadPrompt } from './answer/prompts.ts';
import { extractTargets } from './answer/extract-targets.ts';
import type { LlmAnswerer } from './answer/llm-answerer.ts';
import { summarizeRegion } from './answer/summarize-region.ts';
import { listRegions, resolveRegion } from './corpus/regions.ts';
import { AppError } from './errors.ts';
import type { PassageIndex } from './index/passage-index.ts';
import { reportIdentity } from './index/update-index.ts';
import { HybridRetriever, type RetrieverSettings } from './retrieval/hybrid-search.ts';
import type { AnswerEvent, AnswerMode, Passage, RegionSummary, RegionTargets, Report, ReportSection, Source } from './types.ts';

export interface RegionInfo {
  region: string;
  level: string;
  parent?: string;
  english: string;
  aliases: string[];
  inCorpus: boolean;
  title?: string;
}

export interface PassageView {
  passage: Pick<Passage, 'id' | 'region' | 'title' | 'sectionPath' | 'text' | 'start' | 'end' | 'reportId'> & { section: string };
  before: { id: string; text: string }[];
  after: { id: string; text: string }[];
}

/** A report as the reader shows it: offsets of sections and passages are into `text`. */
export interface ReportText {
  report: Pick<Report, 'id' | 'region' | 'level' | 'parent' | 'year' | 'title' | 'date' | 'speaker' | 'sourceFile'>;
  text: string;
  sections: ReportSection[];
  passages: { id: string; start: number; end: number; sectionPath: string[] }[];
}

export class Assistant {
  readonly retriever: HybridRetriever;
  /** Tables by year asked for (`latest`: each region's latest report). */
  private readonly targetTables = new Map<number | 'latest', RegionTargets[]>();
  /** Summaries by region and year asked for. */
  private readonly summaries = new Map<string, RegionSummary>();

  constructor(
    readonly index: PassageIndex,
    readonly llm?: LlmAnswerer,
    retrieverSettings?: RetrieverSettings,
  ) {
    this.retriever = new HybridRetriever(index, retrieverSettings);
  }

  get mode(): AnswerMode {
    return this.llm ? 'llm' : 'extractive';
  }

  get dependencies(): AnswerDependencies {
    return { index: this.index, retriever: this.retriever, targets: (year?: number) => this.targets(year), ...(this.llm ? { llm: this.llm } : {}) };
  }

  /** The answer as a stream of events (Socket.IO). */
  answer(request: AnswerRequest): AsyncGenerator<AnswerEvent> {
    return answerQuestion(this.dependencies, request);
  }

  /** The answer collected whole (HTTP, CLI, evaluation). */
  ask(request: AnswerRequest): ReturnType<typeof collectAnswer> {
    return collectAnswer(this.dependencies, request);
  }

  async search(query: string, options: { region?: string; k?: number }): Promise<{ query: string; regions: string[]; sources: Source[] }> {
    if (options.region !== undefined && !resolveRegion(options.region)) throw unknownRegion(options.region);
    const result = await this.retriever.retrieve({ question: query, ...(options.region ? { region: options.region } : {}), k: options.k ?? 5 });
    return { query: result.query, regions: result.intent.subjects.map((entry) => entry.name), sources: result.passages.map((hit, position) => toSource(position + 1, hit)) };
  }

  regions(): RegionInfo[] {
    return listRegions().map((entry) => {
      const report = this.index.reports.filter((candidate) => candidate.region === entry.name).sort((left, right) => right.year - left.year)[0];
      return {
        region: entry.name,
        level: entry.level,
        ...(entry.parent ? { parent: entry.parent } : {}),
        english: entry.english[0] ?? entry.name,
        aliases: entry.aliases,
        inCorpus: this.retriever.hasRegion(entry.name),
        ...(report ? { title: report.title } : {}),
      };
    });
  }

  /** The report years the corpus holds, ascending. */
  years(): number[] {
    return this.index.store.years();
  }

  /** The targets table: each region's report of `year`, or without one each region's latest report. */
  targets(year?: number): RegionTargets[] {
    const key = year ?? 'latest';
    let table = this.targetTables.get(key);
    if (!table) {
      table = extractTargets(this.index, year === undefined ? {} : { year });
      this.targetTables.set(key, table);
    }
    return table;
  }

  /** The region's cited priorities of `year`, or of its latest report (offline); with a chat model, also a checked overview. */
  async summary(region: string, options: { year?: number; signal?: AbortSignal } = {}): Promise<RegionSummary> {
    const { year, signal } = options;
    const entry = resolveRegion(region);
    // A path names a resource: an unknown region there is "not found", not a malformed request.
    if (!entry) throw new AppError('not_found', `Unknown region "${shorten(region)}". Use a canonical name (江苏省), a short form (江苏) or an English name (Jiangsu); GET /api/regions lists them.`);
    const key = `${entry.name}:${year ?? 'latest'}`;
    let summary = this.summaries.get(key);
    if (!summary) {
      summary = summarizeRegion({ index: this.index, retriever: this.retriever, targets: this.targets(year) }, entry.name, year);
      this.summaries.set(key, summary);
    }
    if (!this.llm) return summary;
    return { ...summary, ...(await this.overview(summary, signal)) };
  }

  private async overview(summary: RegionSummary, signal?: AbortSignal): Promise<Pick<RegionSummary, 'overview' | 'notice'>> {
    const system = fillPrompt(loadPrompt('summarize'), { region: summary.region, year: String(summary.year), sources: formatSources(summary.sources) });
    try {
      const text = await this.llm!.complete(system, `${summary.region}${summary.year}年的主要目标和重点工作是什么？`, signal);
      const checked = checkAnswer(text, summary.sources, { repair: true });
      if (!checked.answer) return { notice: 'The model wrote no overview that its sources support.' };
      return { overview: { text: checked.answer, citations: checked.citations, flagged: checked.flagged } };
    } catch (error) {
      return { notice: `No model overview: ${(error as Error).message}.` };
    }
  }

  /** A whole report to read: its text, its outline (parts and sub-sections) and where each passage lies in it. */
  reportText(id: string): ReportText {
    const report = this.index.reportsById.get(id);
    if (!report) throw new AppError('not_found', `No report with id "${shorten(id)}"; GET /api/reports lists them.`);
    return {
      report: {
        ...reportIdentity(report),
        ...(report.date ? { date: report.date } : {}),
        ...(report.speaker ? { speaker: report.speaker } : {}),
        sourceFile: report.sourceFile,
      },
      text: report.text,
      // A heading whose enumerator the sequence supplied is not in the text as written (the index keeps the heading, not the flag).
      sections: report.sections.map((section) => ({ heading: section.heading, level: section.level, start: section.start, end: section.end, ...(section.inferred || !report.text.startsWith(section.heading, section.start) ? { inferred: true as const } : {}) })),
      passages: this.index.passages.filter((passage) => passage.reportId === id).map((passage) => ({ id: passage.id, start: passage.start, end: passage.end, sectionPath: passage.sectionPath })),
    };
  }

  passage(id: string, context = 2): PassageView {
    const position = this.index.byId.get(id);
    if (position === undefined) throw new AppError('not_found', `No passage with id "${shorten(id)}".`);
    const passage = this.index.passages[position]!;
    const { before, after } = this.index.neighbours(id, context, context);
    const brief = (item: Passage): { id: string; text: string } => ({ id: item.id, text: item.text });
    return {
      passage: {
        id: passage.id,
        reportId: passage.reportId,
        region: passage.region,
        title: passage.title,
        section: passage.sectionPath.join(' › '),
        sectionPath: passage.sectionPath,
        text: passage.text,
        start: passage.start,
        end: passage.end,
      },
      before: before.map(brief),
      after: after.map(brief),
    };
  }
}

/** User input quoted back in a message, cut to a readable length. */
export function shorten(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function unknownRegion(region: string): AppError {
  return new AppError('invalid_input', `Unknown region "${shorten(region)}". GET /api/regions lists the names, short forms and English names accepted.`);
}
