// Runs an evaluation set through retrieval (and the answer pipeline) and aggregates the scores.
import type { PassageIndex } from '../index/passage-index.ts';
import { HybridRetriever, type RetrieverSettings } from '../retrieval/hybrid-search.ts';
import type { Source } from '../types.ts';
import { expectedRegion, scoreAnswerFigures, scoreRetrieval, scoreStatedFigures, type EvalItem, type RetrievalScore } from './eval-set.ts';

export interface AnswerOutcome {
  answer: string;
  grounded: boolean;
  citations: number[];
  sources: Source[];
  latencyMs: number;
}

export type AnswerFunction = (item: EvalItem) => Promise<AnswerOutcome>;

export interface ItemResult {
  id: string;
  type: string;
  question: string;
  query: string;
  regions: string[];
  negative: boolean;
  /** `en` or `zh` (the item's `lang`, else read from the question). */
  lang: string;
  /**
   * Recall and rank as the contract defines them (API.md): over the answer's sources when the item was answered,
   * else over the retriever's list.
   */
  retrieval?: RetrievalScore;
  /** The same over the retriever's own top five, before the answer orders its sources (answered items only). */
  ranking?: RetrievalScore;
  sources: { id: string; region: string; text: string }[];
  answer?: { text: string; grounded: boolean; figureRecall: number; figuresStated: number; citesItsRegion: boolean; citationsValid: boolean; fullyRight: boolean; latencyMs: number };
}

interface Aggregate {
  n: number;
  recall5: number;
  allFound5: number;
  mrr: number;
}

export interface EvaluationReport {
  summary: {
    /** Over the answer's sources when answered (the contract's Recall@5), else the retriever's list. */
    recall5: number;
    allFound5: number;
    mrr: number;
    n: number;
    /** The retriever's own top five, when answered (the answer puts the passages it quotes first). */
    ranking?: Aggregate;
    answerFigureRecall?: number;
    figuresStated?: number;
    /** Grounded answers none of whose citations is a passage of the region the item asks about (goal 0). */
    groundedOtherRegion?: number;
    negativesRefused?: number;
    answerableRefused?: number;
    citationValidity?: number;
    /**
     * Answers fully right, by language: a negative refused; an answerable one grounded, citing a passage of its
     * region, with every figure of every expected passage stated.
     */
    fullyRight?: { all: number; en: number; zh: number; nEn: number; nZh: number };
  };
  byType: Record<string, Aggregate>;
  items: ItemResult[];
}

function aggregate(results: ItemResult[], field: 'retrieval' | 'ranking' = 'retrieval'): Aggregate {
  const scored = results.map((result) => result[field]).filter((score): score is RetrievalScore => score !== undefined);
  const found = scored.reduce((sum, score) => sum + score.found, 0);
  const expected = scored.reduce((sum, score) => sum + score.expected, 0);
  return {
    n: scored.length,
    recall5: expected ? found / expected : 0,
    allFound5: scored.length ? scored.filter((score) => score.allFound).length / scored.length : 0,
    mrr: scored.length ? scored.reduce((sum, score) => sum + score.reciprocalRank, 0) / scored.length : 0,
  };
}

/** Every `[n]` in the answer names one of the given sources. */
export function citationsAreValid(answer: string, sourceCount: number): boolean {
  return [...answer.matchAll(/\[(\d+)\]/g)].every((match) => {
    const n = Number(match[1]);
    return n >= 1 && n <= sourceCount;
  });
}

export async function runEvaluation(
  index: PassageIndex,
  items: readonly EvalItem[],
  options: { retriever: RetrieverSettings; answer?: AnswerFunction },
): Promise<EvaluationReport> {
  const retriever = new HybridRetriever(index, options.retriever);
  const results: ItemResult[] = [];
  for (const item of items) {
    const negative = item.expect.length === 0;
    const lang = item.lang ?? (/[\u4e00-\u9fff]/.test(item.question) ? 'zh' : 'en');
    const retrieval = await retriever.retrieve({ question: item.question, history: item.history ?? [], k: 5 });
    const sources = retrieval.passages.map(({ passage }) => ({ id: passage.id, region: passage.region, text: passage.text }));
    const result: ItemResult = {
      id: item.id,
      type: item.type,
      question: item.question,
      query: retrieval.query,
      regions: retrieval.intent.subjects.map((entry) => entry.name),
      negative,
      lang,
      sources,
      ...(negative ? {} : { retrieval: scoreRetrieval(item, sources) }),
    };
    if (options.answer) {
      const outcome = await options.answer(item);
      if (!negative) {
        result.ranking = result.retrieval!;
        result.retrieval = scoreRetrieval(item, outcome.sources);
      }
      const cited = outcome.citations.map((n) => outcome.sources[n - 1]).filter((source): source is Source => source !== undefined);
      const itemRegions = new Set(item.expect.length > 0 ? item.expect.map((_, position) => expectedRegion(item, position)) : Array.isArray(item.region) ? item.region : [item.region]);
      const figuresStated = negative ? 0 : scoreStatedFigures(item, outcome.answer, cited);
      const citesItsRegion = cited.some((source) => itemRegions.has(source.region));
      result.answer = {
        text: outcome.answer,
        grounded: outcome.grounded,
        figureRecall: negative ? 0 : scoreAnswerFigures(item, outcome.answer),
        figuresStated,
        citesItsRegion,
        citationsValid: citationsAreValid(outcome.answer, outcome.sources.length),
        fullyRight: negative ? !outcome.grounded : outcome.grounded && citesItsRegion && figuresStated === 1,
        latencyMs: outcome.latencyMs,
      };
    }
    results.push(result);
  }
  const overall = aggregate(results);
  const byType: Record<string, Aggregate> = {};
  for (const type of new Set(results.map((result) => result.type))) byType[type] = aggregate(results.filter((result) => result.type === type));
  const summary: EvaluationReport['summary'] = { recall5: overall.recall5, allFound5: overall.allFound5, mrr: overall.mrr, n: overall.n };
  const answered = results.filter((result) => result.answer);
  if (answered.length > 0) {
    summary.ranking = aggregate(results, 'ranking');
    const positives = answered.filter((result) => !result.negative);
    const negatives = answered.filter((result) => result.negative);
    summary.answerFigureRecall = positives.reduce((sum, result) => sum + result.answer!.figureRecall, 0) / Math.max(1, positives.length);
    summary.figuresStated = positives.reduce((sum, result) => sum + result.answer!.figuresStated, 0) / Math.max(1, positives.length);
    summary.groundedOtherRegion = answered.filter((result) => result.answer!.grounded && !result.answer!.citesItsRegion).length;
    summary.negativesRefused = negatives.filter((result) => !result.answer!.grounded).length / Math.max(1, negatives.length);
    summary.answerableRefused = positives.filter((result) => !result.answer!.grounded).length / Math.max(1, positives.length);
    summary.citationValidity = answered.filter((result) => result.answer!.citationsValid).length / answered.length;
    const share = (list: ItemResult[]): number => list.filter((result) => result.answer!.fullyRight).length / Math.max(1, list.length);
    const english = answered.filter((result) => result.lang === 'en');
    const chinese = answered.filter((result) => result.lang !== 'en');
    summary.fullyRight = { all: share(answered), en: share(english), zh: share(chinese), nEn: english.length, nZh: chinese.length };
  }
  return { summary, byType, items: results };
}

const percent = (value: number | undefined): string => (value === undefined ? '—' : value.toFixed(3));

export function formatReport(report: EvaluationReport): string {
  const lines = ['type        n   Recall@5  all-found@5  MRR'];
  const row = (name: string, value: Aggregate): string =>
    `${name.padEnd(10)} ${String(value.n).padStart(3)}   ${percent(value.recall5).padStart(8)}  ${percent(value.allFound5).padStart(11)}  ${percent(value.mrr)}`;
  for (const [type, value] of Object.entries(report.byType)) if (value.n > 0) lines.push(row(type, value));
  lines.push(row('overall', { n: report.summary.n, recall5: report.summary.recall5, allFound5: report.summary.allFound5, mrr: report.summary.mrr }));
  if (report.summary.ranking) lines.push(row('retriever', report.summary.ranking), '(Recall@5 and MRR over the answer\'s sources, as API.md defines them; "retriever": over its own top five)');
  if (report.summary.answerFigureRecall !== undefined) {
    lines.push(
      '',
      `figures stated           ${percent(report.summary.figuresStated)}   (figures of each expected passage in the answer, a cited passage holding it)`,
      `expected text quoted     ${percent(report.summary.answerFigureRecall)}   (each expected substring verbatim in the answer)`,
      `grounded, other region   ${report.summary.groundedOtherRegion ?? 0}       (grounded answers citing no passage of the item's region)`,
      `negatives refused        ${percent(report.summary.negativesRefused)}`,
      `answerable refused       ${percent(report.summary.answerableRefused)}`,
      `citation validity        ${percent(report.summary.citationValidity)}`,
      `fully right              ${percent(report.summary.fullyRight?.all)}   (English ${percent(report.summary.fullyRight?.en)} of ${report.summary.fullyRight?.nEn}, Chinese ${percent(report.summary.fullyRight?.zh)} of ${report.summary.fullyRight?.nZh})`,
    );
    const wrong = report.items.filter((item) => item.answer && !item.answer.fullyRight).map((item) => item.id);
    if (wrong.length > 0) lines.push('', `not fully right: ${wrong.join(', ')}`);
  }
  const misses = report.items.filter((item) => item.retrieval && !item.retrieval.allFound).map((item) => item.id);
  if (misses.length > 0) lines.push('', `not all found in top 5: ${misses.join(', ')}`);
  return lines.join('\n');
}
