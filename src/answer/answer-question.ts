// The answer pipeline: retrieve, decide whether the reports can answer, then answer extractively or
// with the chat model (falling back to extractive), yielding typed events. Transports only adapt it.
import { resolveRegion } from '../corpus/regions.ts';
import { AppError, toClientError } from '../errors.ts';
import { weighQuery } from '../index/bm25.ts';
import type { PassageIndex } from '../index/passage-index.ts';
import { tokenize } from '../index/tokenize.ts';
import type { HybridRetriever, RetrievalResult, RetrievedPassage } from '../retrieval/hybrid-search.ts';
import { describeAsked, type QuestionIntent } from '../retrieval/question-intent.ts';
import type { AnswerEvent, AnswerMode, FlaggedSentence, Passage, RegionTargets, Source, Turn } from '../types.ts';
import { compareTargets } from './compare-targets.ts';
import { checkAnswer, citationsIn, splitAnswerSentences } from './check-citations.ts';
import { findNumbers } from './numbers.ts';
import { composeSummary, type NumberedPassage } from './extractive-answer.ts';
import { composeFound, composeRefusal, describeCoverage } from './compose-answer.ts';
import { findAnswer, topicAbsent, topicMatcher, type Finding, type Pick, type Refusal } from './find-answer.ts';
import { hasReview } from '../corpus/report-parts.ts';
import type { LlmAnswerer } from './llm-answerer.ts';

export interface AnswerDependencies {
  index: PassageIndex;
  retriever: HybridRetriever;
  /** Present when a chat model is configured. */
  llm?: LlmAnswerer;
  /** The 2024 targets table, for questions across regions ("哪些省份…"). */
  targets?: () => RegionTargets[];
}

export interface AnswerRequest {
  question: string;
  history?: readonly Turn[];
  region?: string;
  k?: number;
  signal?: AbortSignal;
}

export function toSource(n: number, hit: { passage: NumberedPassage['passage']; score: number }): Source {
  const { passage } = hit;
  return {
    n,
    id: passage.id,
    region: passage.region,
    title: passage.title,
    section: passage.sectionPath.join(' › '),
    text: passage.text,
    score: Number(hit.score.toFixed(4)),
  };
}

const reportTexts = new WeakMap<PassageIndex, Map<string, string>>();

/** The text of a region's report(s), joined once per index and region (it is read on every question). */
export function reportTextOf(index: PassageIndex, region: string): string {
  let byRegion = reportTexts.get(index);
  if (!byRegion) reportTexts.set(index, (byRegion = new Map()));
  let text = byRegion.get(region);
  if (text === undefined) {
    text = index.reports
      .filter((report) => report.region === region)
      .map((report) => report.text)
      .join('\n');
    byRegion.set(region, text);
  }
  return text;
}

function queryWeights(index: PassageIndex, retrieval: RetrievalResult): Map<string, number> {
  const weights = weighQuery([
    { tokens: tokenize(retrieval.query), weight: 1 },
    { tokens: retrieval.analysis.expansions.flatMap((term) => tokenize(term)), weight: 0.5 },
  ]);
  // Region names say which report, not what to pick within it.
  for (const entry of retrieval.analysis.regions) for (const name of [entry.name, ...entry.aliases]) for (const token of tokenize(name)) weights.delete(token);
  for (const [term, weight] of weights) weights.set(term, weight * index.bm25.idf(term));
  return weights;
}

/** Splits text into small deltas along sentence boundaries, as a stream would deliver it. */
function* deltasOf(text: string): Generator<string> {
  for (const piece of text.split(/(?<=[。！？\n])/)) if (piece) yield piece;
}

interface Prepared {
  mode: AnswerMode;
  retrieval: RetrievalResult;
  regions: string[];
  numbered: NumberedPassage[];
  sources: Source[];
  refusal?: string;
  refusalReason?: { reason: string; message?: string };
  notices: { code: string; message: string }[];
  extractive: string;
}

/** Sources in citation order: the passages quoted first, then the rest of the retrieved ones. */
function numberSources(quoted: readonly Pick[], retrieved: readonly RetrievedPassage[], k: number): { numbered: NumberedPassage[]; sources: Source[] } {
  const order: { passage: Passage; score: number }[] = [];
  const seen = new Set<string>();
  const scoreOf = new Map(retrieved.map((hit) => [hit.passage.id, hit.score]));
  for (const pick of quoted) if (!seen.has(pick.passage.id)) {
    seen.add(pick.passage.id);
    order.push({ passage: pick.passage, score: scoreOf.get(pick.passage.id) ?? 0 });
  }
  for (const hit of retrieved) {
    if (order.length >= Math.max(k, seen.size)) break;
    if (!seen.has(hit.passage.id)) {
      seen.add(hit.passage.id);
      order.push(hit);
    }
  }
  const numbered = order.map((hit, position) => ({ n: position + 1, passage: hit.passage }));
  const sources = order.map((hit, position) => {
    const quotes = quoted.filter((pick) => pick.passage.id === hit.passage.id).flatMap((pick) => pick.pieces.map((piece) => ({ start: piece.start, end: piece.start + piece.text.length })));
    return { ...toSource(position + 1, hit), ...(quotes.length > 0 ? { quotes } : {}) };
  });
  return { numbered, sources };
}

async function prepare(deps: AnswerDependencies, request: AnswerRequest, condensed: string | undefined): Promise<Prepared> {
  const { index, retriever } = deps;
  const k = request.k ?? 5;
  const hint = request.region ? { region: request.region } : {};
  const offline = retriever.understand({ question: request.question, history: request.history ?? [], ...hint });
  // The model's rewrite of a follow-up is used only when it keeps a place the question is about; one that
  // lost the region the conversation gives (a rewrite gone wrong) yields to the offline understanding.
  const viaModel = condensed ? retriever.understand({ question: condensed, history: [], ...hint }) : undefined;
  const keepsPlace = (candidate: typeof offline): boolean => candidate.subjects.length > 0 || candidate.unknownPlaces.length > 0;
  const intent = viaModel && (keepsPlace(viaModel) || !keepsPlace(offline)) ? viaModel : offline;
  const retrieval = await retriever.retrieve({ question: intent.question, intent, k });
  const regions = intent.regions.filter((entry) => retriever.hasRegion(entry.name)).map((entry) => entry.name);
  const mode: AnswerMode = deps.llm ? 'llm' : 'extractive';
  const notices: { code: string; message: string }[] = [];
  if (intent.hint?.overridden) {
    const named = intent.subjects.map((entry) => entry.name).concat(intent.unknownPlaces).join('、');
    notices.push({ code: 'region_overridden', message: intent.english ? `The question names ${named}; the selected region ${intent.hint.region} was not used.` : `问题中指明了${named}，未按所选地区${intent.hint.region}回答。` });
  }
  // Where the corpus holds several years of a region's reports, the answer reads those the question went to.
  const usedYears = (region: string): readonly number[] | undefined => retrieval.years.find((choice) => choice.region === region)?.used;
  const reportOf = (region: string) => {
    const main = usedYears(region)?.[0];
    return index.reports.find((report) => report.region === region && (main === undefined || report.year === main)) ?? index.reports.find((report) => report.region === region);
  };
  const titleFor = (region: string): string => reportOf(region)?.title ?? `${region}政府工作报告`;
  const refuse = (refusal: Refusal, retrieved: readonly RetrievedPassage[] = retrieval.passages): Prepared => {
    const { numbered, sources } = numberSources(refusal.closest, refusal.reason === 'unknown_place' || refusal.reason === 'region_not_in_corpus' || refusal.reason === 'out_of_scope' ? [] : retrieved, refusal.closest.length > 0 ? refusal.closest.length : k);
    const numbering = { n: (id: string) => numbered.find((entry) => entry.passage.id === id)?.n ?? 0, titleFor, yearsFor: (region: string) => retriever.yearsOf(region), coverage: describeCoverage(index.reports) };
    // The plain statement alone (without the closest quote) travels as `refusal.message`, for the page to show apart.
    const message = composeRefusal({ ...refusal, closest: [] }, intent, numbering);
    return { mode, retrieval, regions, numbered, sources, notices, refusal: composeRefusal(refusal, intent, numbering), refusalReason: { reason: refusal.reason, message }, extractive: '' };
  };
  if (regions.length === 0 && intent.unknownPlaces.length > 0) return refuse({ reason: 'unknown_place', places: intent.unknownPlaces, closest: [] });
  if (regions.length === 0 && retrieval.missingRegions.length > 0) return refuse({ reason: 'region_not_in_corpus', regions: retrieval.missingRegions.map((entry) => entry.name), closest: [] });
  if (intent.outOfScope) return refuse({ reason: 'out_of_scope', topic: intent.outOfScope, closest: [] });

  // The targets table holds the plan year's targets: questions about outcomes or other years go to the passages.
  const aboutTargets = intent.yearScope === 'plan' || intent.yearScope === 'unspecified';
  // A place the corpus lacks named beside a region (`全国和美国比较`): each region answers for itself, the
  // place is noted; the table's across-regions reading would answer for every region instead.
  const table = deps.targets && aboutTargets && intent.unknownPlaces.length === 0 ? deps.targets() : undefined;
  let comparison = table ? compareTargets(intent, table, (id) => index.passages[index.byId.get(id) ?? -1]) : undefined;
  // Named regions whose main targets lack the indicator may still set it elsewhere in the report
  // (南通's 新增城镇就业 under its tasks): those questions are answered from the passages.
  if (comparison && table && !intent.group && intent.subjects.length > 1) {
    const covered = intent.subjects.every((entry) => table.some((row) => row.region === entry.name && row.targets.some((target) => target.indicator === comparison!.indicator)));
    if (!covered) comparison = undefined;
  }
  if (comparison) {
    const tableSources = comparison.sources.map(({ n, passage }) => ({ ...toSource(n, { passage, score: 1 }), ...(comparison.quotes.has(n) ? { quotes: comparison.quotes.get(n)! } : {}) }));
    if (comparison.sources.length === 0) return { mode, retrieval, regions, numbered: [], sources: [], notices, refusal: comparison.answer, refusalReason: { reason: 'topic_absent' }, extractive: '' };
    return { mode, retrieval, regions, numbered: comparison.sources, sources: tableSources, notices, extractive: comparison.answer };
  }
  const weights = queryWeights(index, retrieval);
  if (intent.intent === 'summary' && regions.length === 1 && retrieval.passages.length > 0) {
    const numbered = retrieval.passages.map((hit, position) => ({ n: position + 1, passage: hit.passage }));
    const sources = retrieval.passages.map((hit, position) => toSource(position + 1, hit));
    return { mode, retrieval, regions, numbered, sources, notices, extractive: composeSummary({ analysis: intent, regions, sources: numbered, weights }) };
  }

  const rank = new Map(retrieval.passages.map((hit, position) => [hit.passage.id, position]));
  const bonus = (passage: Passage): number => {
    const position = rank.get(passage.id);
    return position === undefined ? 0 : 1.5 / (1 + position * 0.5);
  };
  const lookIn = (region: string, restrictToRetrieved = false, year?: number): { passage: Passage; bonus: number }[] => {
    const documents = restrictToRetrieved ? retrieval.passages.filter((hit) => hit.passage.region === region).map((hit) => hit.passage) : retriever.regionDocuments(region).map((document) => index.passages[document]!);
    const years = year !== undefined ? [year] : usedYears(region);
    return documents.filter((passage) => !years || years.includes(passage.year)).map((passage) => ({ passage, bonus: bonus(passage) }));
  };
  const reportFacts = (region: string, year?: number): { hasReview: boolean; year: number } => {
    const report = (year !== undefined ? index.reports.find((candidate) => candidate.region === region && candidate.year === year) : undefined) ?? reportOf(region);
    return { hasReview: report ? hasReview(report) : false, year: report?.year ?? 2024 };
  };
  const findIn = (region: string, restrictToRetrieved = false, year?: number, asked: QuestionIntent = intent): Finding => {
    const text = reportTextOf(index, region);
    const topic = topicMatcher(asked, text, (term) => index.bm25.idf(term));
    if (topicAbsent(asked, text) && asked.wanted !== 'tasks') return { refusal: { reason: 'topic_absent', region, what: topic.what }, closest: [] };
    return findAnswer({ intent: asked, region, passages: lookIn(region, restrictToRetrieved, year), weights, topic }, reportFacts(region, year));
  };
  /** A question across years (江苏2025年GDP目标比2024年高吗？): each year's report answers for itself, the main year first. */
  const findAcrossYears = (region: string): Finding => {
    const years = usedYears(region) ?? [];
    if (years.length < 2) return findIn(region);
    // The previous year's report read for 去年 answers from its plan (its review is of the year before).
    const planOnly = new Set(retrieval.years.find((choice) => choice.region === region)?.planOnly ?? []);
    const perYear = years.map((year) => findIn(region, false, year, planOnly.has(year) ? { ...intent, yearScope: 'plan' } : intent));
    const picks = perYear.flatMap((finding) => ('picks' in finding ? finding.picks.slice(0, 2) : []));
    return picks.length > 0 ? { picks } : perYear[0]!;
  };

  /** This year's target beside last year's outcome, from the one report (its plan and its review). */
  const findVersusLastYear = (region: string): Finding => {
    const target = findIn(region, false, undefined, { ...intent, yearScope: 'plan' });
    const outcome = findIn(region, false, undefined, { ...intent, yearScope: 'review' });
    const picks = [...('picks' in target ? target.picks.slice(0, 1) : []), ...('picks' in outcome ? outcome.picks.slice(0, 1) : [])];
    return picks.length > 0 ? { picks } : target;
  };
  const subjectRegions = regions.length > 0 ? regions : ['全国'];
  const findings = subjectRegions.map((region) => ({ region, finding: intent.versusLastYear ? findVersusLastYear(region) : findAcrossYears(region) }));
  const answered = findings.flatMap(({ region, finding }) => ('picks' in finding && finding.picks.length > 0 ? [{ region, picks: finding.picks }] : []));
  if (answered.length === 0) {
    if (regions.length === 0) {
      // No region named and the national report does not answer: quote the regions retrieval found, named as such.
      const others = [...new Set(retrieval.passages.map((hit) => hit.passage.region))].filter((region) => region !== '全国').slice(0, 3);
      const closest = others.flatMap((region) => {
        const finding = findIn(region, true);
        return 'picks' in finding ? finding.picks.slice(0, 1) : [];
      });
      return refuse({ reason: 'no_region_named', what: intent.topicTerms.join(''), closest });
    }
    const first = findings[0]!.finding as Extract<Finding, { refusal: unknown }>;
    return refuse({ ...first.refusal, closest: first.closest });
  }
  const missing = findings.flatMap(({ region, finding }) => ('picks' in finding && finding.picks.length > 0 ? [] : [{ region, closest: 'closest' in finding ? finding.closest : [] }]));
  const quoted = [...answered.flatMap((entry) => entry.picks), ...missing.flatMap((entry) => entry.closest)];
  const { numbered, sources } = numberSources(quoted, retrieval.passages, k);
  const numbering = { n: (id: string) => numbered.find((entry) => entry.passage.id === id)?.n ?? 0, titleFor };
  let extractive = composeFound(intent, answered, numbering, { noRegionNamed: regions.length === 0, missing });
  if (retrieval.missingRegions.length > 0 || intent.unknownPlaces.length > 0) {
    const names = [...retrieval.missingRegions.map((entry) => entry.name), ...intent.unknownPlaces].join('、');
    extractive += intent.english ? `\n(No report for ${names} is in the corpus.)` : `\n（现有报告中未找到${names}的政府工作报告。）`;
  }
  return { mode, retrieval, regions, numbered, sources, notices, extractive };
}

/** The model saying the passages do not answer (it is then given the offline quotes, not believed). */
function isRefusalText(text: string): boolean {
  return /现有报告中未找到|未找到相关|do not contain|does not contain|not in the (provided )?sources|no information/i.test(text);
}

/**
 * Answers one question as a stream of events: start, sources, text deltas, (notices,) end — or error as
 * the last event. The deltas always concatenate to the final answer.
 */
export async function* answerQuestion(deps: AnswerDependencies, request: AnswerRequest): AsyncGenerator<AnswerEvent> {
  try {
    if (request.region !== undefined && !resolveRegion(request.region)) {
      throw new AppError('invalid_input', `Unknown region "${request.region.slice(0, 40)}". GET /api/regions lists the names, short forms and English names accepted.`);
    }
    const notices: { code: string; message: string }[] = [];
    let condensed: string | undefined;
    if (deps.llm && request.history && request.history.length > 0) {
      try {
        condensed = await deps.llm.condense(request.question, request.history, request.signal);
      } catch (error) {
        if (request.signal?.aborted) throw new AppError('cancelled', 'The answer was cancelled.');
        notices.push({ code: 'condense_failed', message: `The follow-up was rewritten offline because ${(error as Error).message}.` });
      }
    }
    const prepared = await prepare(deps, request, condensed);
    if (request.signal?.aborted) throw new AppError('cancelled', 'The answer was cancelled.');
    yield { type: 'start', mode: prepared.mode, regions: prepared.retrieval.analysis.regions.map((entry) => entry.name), query: prepared.retrieval.query };
    yield { type: 'sources', sources: prepared.sources };
    for (const notice of [...notices, ...prepared.notices]) yield { type: 'notice', ...notice };

    if (prepared.refusal !== undefined) {
      // A refusal is decided once, before any model runs; what it quotes as closest is cited.
      const checked = checkAnswer(prepared.refusal, prepared.sources, { repair: false });
      for (const delta of deltasOf(checked.answer)) yield { type: 'text-delta', text: delta };
      yield { type: 'end', answer: checked.answer, citations: checked.citations, grounded: false, mode: prepared.mode, flagged: [], ...(prepared.refusalReason ? { refusal: prepared.refusalReason } : {}) };
      return;
    }

    if (!deps.llm) {
      const checked = checkAnswer(prepared.extractive, prepared.sources, { repair: false, given: findNumbers(prepared.retrieval.query) });
      for (const delta of deltasOf(checked.answer)) yield { type: 'text-delta', text: delta };
      yield { type: 'end', answer: checked.answer, citations: checked.citations, grounded: true, mode: 'extractive', flagged: checked.flagged };
      return;
    }

    yield* streamFromModel(deps.llm, request, prepared);
  } catch (error) {
    const client = toClientError(error);
    yield { type: 'error', code: client.code, message: client.message };
  }
}

/** Streams the model's answer sentence by sentence, each checked before it is sent; falls back on failure. */
async function* streamFromModel(llm: LlmAnswerer, request: AnswerRequest, prepared: Prepared): AsyncGenerator<AnswerEvent> {
  let emitted = '';
  const flagged: FlaggedSentence[] = [];
  let buffer = '';
  const release = function* (text: string): Generator<AnswerEvent> {
    if (!text.trim()) {
      // Line breaks between list items travel as they are.
      if (!emitted) return;
      emitted += text;
      yield { type: 'text-delta', text };
      return;
    }
    const checked = checkAnswer(text, prepared.sources, { repair: true });
    flagged.push(...checked.flagged);
    if (!checked.answer) return;
    // checkAnswer trims; keep the whitespace (line structure) around the sentence.
    const leading = emitted ? (/^\s*/.exec(text)?.[0] ?? '') : '';
    const trailing = /\s*$/.exec(text)?.[0] ?? '';
    const out = `${leading}${checked.answer}${trailing}`;
    emitted += out;
    yield { type: 'text-delta', text: out };
  };
  /** Sentences that are complete: not the last piece, nor one whose trailing marker may still be arriving. */
  const completeSentences = (): string[] => {
    const sentences = splitAnswerSentences(buffer);
    let held = sentences.pop() ?? '';
    while (sentences.length > 0 && /^[\s\[\]\d,，、]*$/.test(held)) held = sentences.pop()! + held;
    buffer = held;
    return sentences;
  };
  try {
    for await (const delta of llm.streamAnswer({ question: prepared.retrieval.query, english: prepared.retrieval.analysis.english, asked: describeAsked(prepared.retrieval.analysis), sources: prepared.sources, ...(request.signal ? { signal: request.signal } : {}) })) {
      buffer += delta;
      for (const sentence of completeSentences()) yield* release(sentence);
    }
    if (buffer) yield* release(buffer);
  } catch (error) {
    if (error instanceof AppError && error.code === 'cancelled') throw error;
    const reason = (error as Error).message;
    yield { type: 'notice', code: 'model_fallback', message: `The chat model failed (${reason}); this is the offline extractive answer.` };
    const checked = checkAnswer(prepared.extractive, prepared.sources, { repair: false });
    const text = emitted ? `\n\n${checked.answer}` : checked.answer;
    for (const delta of deltasOf(text)) yield { type: 'text-delta', text: delta };
    const answer = emitted + text;
    yield { type: 'end', answer, citations: citationsIn(answer), grounded: true, mode: 'extractive', flagged: [...flagged, ...checked.flagged] };
    return;
  }
  const answer = emitted;
  const citations = citationsIn(answer);
  if (answer.trim() && citations.length === 0 && isRefusalText(answer)) {
    // Whether the reports answer was decided before the model ran; they do, so the quotes follow.
    yield { type: 'notice', code: 'model_declined', message: 'The chat model found no answer in the passages the offline answer quotes; those quotes follow.' };
    const text = `\n\n${prepared.extractive}`;
    for (const delta of deltasOf(text)) yield { type: 'text-delta', text: delta };
    yield { type: 'end', answer: answer + text, citations: citationsIn(prepared.extractive), grounded: true, mode: 'extractive', flagged };
    return;
  }
  if (!answer.trim()) {
    // The model said nothing usable: give the extractive answer.
    yield { type: 'notice', code: 'model_fallback', message: 'The chat model returned no usable text; this is the offline extractive answer.' };
    for (const delta of deltasOf(prepared.extractive)) yield { type: 'text-delta', text: delta };
    yield { type: 'end', answer: prepared.extractive, citations: citationsIn(prepared.extractive), grounded: true, mode: 'extractive', flagged };
    return;
  }
  yield { type: 'end', answer, citations, grounded: true, mode: 'llm', flagged };
}

/** Runs the pipeline to completion and returns the collected result (for HTTP and the CLI). */
export async function collectAnswer(deps: AnswerDependencies, request: AnswerRequest): Promise<{
  answer: string;
  mode: AnswerMode;
  grounded: boolean;
  regions: string[];
  query: string;
  sources: Source[];
  citations: number[];
  flagged: FlaggedSentence[];
  notices: { code: string; message: string }[];
  refusal?: { reason: string; message?: string };
}> {
  let regions: string[] = [];
  let query = request.question;
  let sources: Source[] = [];
  const notices: { code: string; message: string }[] = [];
  for await (const event of answerQuestion(deps, request)) {
    if (event.type === 'start') {
      regions = event.regions;
      query = event.query;
    } else if (event.type === 'sources') sources = event.sources;
    else if (event.type === 'notice') notices.push({ code: event.code, message: event.message });
    else if (event.type === 'error') throw new AppError(event.code as AppError['code'], event.message);
    else if (event.type === 'end') {
      return { answer: event.answer, mode: event.mode, grounded: event.grounded, regions, query, sources, citations: event.citations, flagged: event.flagged, notices, ...(event.refusal ? { refusal: event.refusal } : {}) };
    }
  }
  throw new AppError('internal', 'The answer pipeline ended without an answer.');
}
