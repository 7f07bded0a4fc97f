// The answer pipeline: understand the request once, retrieve, gather the evidence, decide once whether
// the reports answer (decide.ts), then write the answer extractively or with the chat model (falling back
// to extractive), yielding typed events. Transports only adapt it.
import { hasReview } from '../corpus/report-parts.ts';
import { resolveRegion } from '../corpus/regions.ts';
import { AppError, toClientError } from '../errors.ts';
import type { PassageIndex } from '../index/passage-index.ts';
import type { HybridRetriever, RetrievalResult, RetrievedPassage } from '../retrieval/hybrid-search.ts';
import type { Ask, Intent } from '../understand/intent.ts';
import type { AnswerEvent, AnswerMode, FlaggedSentence, Passage, RegionTargets, Source, Turn } from '../types.ts';
import { answerAcross, type TargetComparison } from './compare-targets.ts';
import { checkAnswer, citationsIn, splitAnswerSentences } from './check-citations.ts';
import { composeAnswer, composeRanking, composeRefusal, describeCoverage, type Numbering } from './compose.ts';
import { decide, type Decision, type DecisionWorld } from './decide.ts';
import { gatherEvidence, targetsStatements, type Candidate, type Evidence } from './evidence.ts';
import { composeSummary, type NumberedPassage } from './extractive-answer.ts';
import { findNumbers } from './numbers.ts';
import type { LlmAnswerer } from './llm-answerer.ts';

export interface AnswerDependencies {
  index: PassageIndex;
  retriever: HybridRetriever;
  /** Present when a chat model is configured. */
  llm?: LlmAnswerer;
  /** The targets table: each region's report of `year`, or its latest report. */
  targets?: (year?: number) => RegionTargets[];
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
  /** Numbers the answer may state that no passage writes as such (1.2 million for 120万) or the question gave. */
  given: string[];
}

/** Sources in citation order: the passages quoted first, then the rest of the retrieved ones. */
function numberSources(quoted: readonly Candidate[], retrieved: readonly RetrievedPassage[], k: number): { numbered: NumberedPassage[]; sources: Source[] } {
  const order: { passage: Passage; score: number }[] = [];
  const seen = new Set<string>();
  const scoreOf = new Map(retrieved.map((hit) => [hit.passage.id, hit.score]));
  for (const candidate of quoted) {
    if (seen.has(candidate.passage.id)) continue;
    seen.add(candidate.passage.id);
    order.push({ passage: candidate.passage, score: scoreOf.get(candidate.passage.id) ?? 0 });
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
    const quotes = quoted.filter((candidate) => candidate.passage.id === hit.passage.id).flatMap((candidate) => candidate.pieces.map((piece) => ({ start: piece.start, end: piece.start + piece.text.length })));
    const unique = quotes.filter((quote, index) => quotes.findIndex((other) => other.start === quote.start && other.end === quote.end) === index).sort((left, right) => left.start - right.start);
    return { ...toSource(position + 1, hit), ...(unique.length > 0 ? { quotes: unique } : {}) };
  });
  return { numbered, sources };
}

/** The years a report's numbers may name without a source: the report years and the years they review. */
function contextYears(index: PassageIndex): string[] {
  return [...new Set(index.reports.flatMap((report) => [report.year, report.year - 1]))].map(String);
}

/** What the decision may ask of this index and this retrieval. */
export function worldOf(deps: AnswerDependencies, intent: Intent, retrieval: RetrievalResult): DecisionWorld & { across(): TargetComparison | undefined } {
  const { index, retriever } = deps;
  const rank = new Map(retrieval.passages.map((hit, position) => [hit.passage.id, position]));
  const yearsChosen = (region: string): { used: number[]; planOnly: number[] } => {
    const choice = retrieval.years.find((entry) => entry.region === region);
    if (choice && choice.used.length > 0) return { used: choice.used, planOnly: choice.planOnly };
    const latest = retriever.yearsOf(region).at(-1);
    return { used: latest === undefined ? [] : [latest], planOnly: [] };
  };
  const reportOf = (region: string, year: number | undefined) => index.reports.find((report) => report.region === region && (year === undefined || report.year === year));
  const idf = (word: string): number => index.bm25.idf(word);
  const documentFrequency = (word: string): number => index.bm25.documentFrequency(word);
  let across: TargetComparison | undefined | null = null;
  const evidenceCache = new Map<string, Evidence>();
  // Each passage's sentence similarities to the question, once per question (every ask and year reads them).
  const similarityCache = new Map<string, ArrayLike<number>>();
  const similarities = (passage: Passage): ArrayLike<number> => {
    let found = similarityCache.get(passage.id);
    if (!found) similarityCache.set(passage.id, (found = index.sentenceSimilarities(passage.id, retrieval.queryVector!)));
    return found;
  };
  return {
    hasRegion: (region) => retriever.hasRegion(region),
    yearsFor: yearsChosen,
    hasReview: (region, year) => {
      const report = reportOf(region, year);
      return report ? hasReview(report) : false;
    },
    across: () => {
      if (across === null) across = deps.targets ? answerAcross(intent, deps.targets(), (id) => index.passages[index.byId.get(id) ?? -1]) : undefined;
      return across;
    },
    acrossAnswered() {
      return this.across() !== undefined;
    },
    // Last year's work is listed from the review's sub-sections only: a review without them is answered from its statements.
    hasTasks: () => retrieval.passages.length > 0 && (retrieval.leads !== undefined || intent.time.scope !== 'review'),
    evidence: (region, ask, options) => {
      const key = JSON.stringify([region, intent.asks.indexOf(ask), ask.aim, ask.kind, options]);
      const cached = evidenceCache.get(key);
      if (cached) return cached;
      const years = options.year !== undefined ? [options.year] : yearsChosen(region).used;
      const passages = retriever
        .regionDocuments(region)
        .map((document) => index.passages[document]!)
        .filter((passage) => years.length === 0 || years.includes(passage.year));
      const scoped: Intent = options.scope && options.scope !== intent.time.scope ? { ...intent, time: { ...intent.time, scope: options.scope } } : intent;
      const year = options.year ?? years[0];
      const rows = deps.targets ? deps.targets(year).find((entry) => entry.region === region)?.targets : undefined;
      const evidence = gatherEvidence({
        intent: scoped,
        ask,
        region,
        passages,
        retrieved: rank,
        idf,
        documentFrequency,
        writtenIdf: (text) => index.writtenIdf(text),
        ...(rows ? { rows } : {}),
        passage: (id) => index.passages[index.byId.get(id) ?? -1],
        ...(options.writtenYear !== undefined ? { mustMention: `${options.writtenYear}` } : {}),
        ...(options.placeForms ? { placeForms: options.placeForms } : {}),
        ...(retrieval.queryVector ? { similarities } : {}),
      });
      evidenceCache.set(key, evidence);
      return evidence;
    },
    retrievedRegions: () => [...new Set(retrieval.passages.map((hit) => hit.passage.region))],
    targetsStatement: (region) => {
      const years = yearsChosen(region).used;
      return targetsStatements(retriever.regionDocuments(region).map((document) => index.passages[document]!).filter((passage) => years.length === 0 || passage.year === years[0]));
    },
    regionsOf: (population) =>
      [...new Set(index.reports.map((report) => report.region))].filter((region) => {
        const level = index.reports.find((report) => report.region === region)?.level;
        return level !== 'national' && (population === 'all' || (population === 'provinces' ? level === 'province' : level === 'city'));
      }),
  };
}

async function prepare(deps: AnswerDependencies, request: AnswerRequest, condensed: string | undefined): Promise<Prepared> {
  const { index, retriever } = deps;
  const k = request.k ?? 5;
  const hint = request.region ? { region: request.region } : {};
  const offline = retriever.understand({ question: request.question, history: request.history ?? [], ...hint });
  // The model's rewrite of a follow-up is used only when it keeps a place the question is about; one that
  // lost the region the conversation gives (a rewrite gone wrong) yields to the offline understanding.
  const viaModel = condensed ? retriever.understand({ question: condensed, history: [], ...hint }) : undefined;
  const keepsPlace = (candidate: Intent): boolean => candidate.subjects.length > 0 || candidate.unknownPlaces.length > 0;
  const intent = viaModel && !offline.outOfScope && (keepsPlace(viaModel) || !keepsPlace(offline)) ? viaModel : offline;
  const retrieval = await retriever.retrieve({ question: intent.search.text, intent, k });
  const regions = intent.subjects.filter((entry) => retriever.hasRegion(entry.name)).map((entry) => entry.name);
  const mode: AnswerMode = deps.llm ? 'llm' : 'extractive';
  const notices: { code: string; message: string }[] = [];
  if (intent.hint?.overridden) {
    const named = intent.subjects.map((entry) => entry.name).concat(intent.unknownPlaces).join('、');
    notices.push({ code: 'region_overridden', message: intent.language === 'en' ? `The question names ${named}; the selected region ${intent.hint.region} was not used.` : `问题中指明了${named}，未按所选地区${intent.hint.region}回答。` });
  }
  const given = [...findNumbers(intent.text), ...contextYears(index)];
  const titleFor = (region: string): string => {
    const main = retrieval.years.find((choice) => choice.region === region)?.used[0];
    return (index.reports.find((report) => report.region === region && (main === undefined || report.year === main)) ?? index.reports.find((report) => report.region === region))?.title ?? `${region}政府工作报告`;
  };
  const world = worldOf(deps, intent, retrieval);
  const decision: Decision = decide(intent, world);
  const base = { mode, retrieval, regions, notices, given };

  if (decision.kind === 'refuse') {
    const { refusal } = decision;
    const placeless = refusal.reason === 'unknown_place' || refusal.reason === 'region_not_in_corpus' || refusal.reason === 'out_of_scope' || refusal.reason === 'no_question';
    const { numbered, sources } = numberSources(refusal.closest, placeless ? [] : retrieval.passages, refusal.closest.length > 0 ? refusal.closest.length : placeless ? 0 : k);
    const numbering: Numbering = { n: (id) => numbered.find((entry) => entry.passage.id === id)?.n ?? 0, titleFor, yearsFor: (region) => retriever.yearsOf(region), coverage: describeCoverage(index.reports) };
    // The plain statement alone (without the closest quote) travels as `refusal.message`, for the page to show apart.
    const message = composeRefusal({ ...refusal, closest: [] }, intent, numbering).text;
    const composed = composeRefusal(refusal, intent, numbering);
    return { ...base, numbered, sources, refusal: composed.text, refusalReason: { reason: refusal.reason, message }, extractive: '', given: [...given, ...composed.converted] };
  }
  if (decision.kind === 'across') {
    const comparison = world.across()!;
    const sources = comparison.sources.map(({ n, passage }) => ({ ...toSource(n, { passage, score: 1 }), ...(comparison.quotes.has(n) ? { quotes: comparison.quotes.get(n)! } : {}) }));
    if (comparison.sources.length === 0) return { ...base, numbered: [], sources: [], refusal: comparison.answer, refusalReason: { reason: 'topic_absent' }, extractive: '' };
    return { ...base, numbered: comparison.sources, sources, extractive: comparison.answer };
  }
  if (decision.kind === 'ranking') {
    const shown = decision.entries.slice(0, decision.shown);
    const { numbered, sources } = numberSources(shown.map((entry) => entry.candidate), [], shown.length);
    const numbering: Numbering = { n: (id) => numbered.find((entry) => entry.passage.id === id)?.n ?? 0, titleFor };
    const composed = composeRanking(intent, decision, numbering);
    return { ...base, numbered, sources, extractive: composed.text, given: [...given, ...composed.converted] };
  }
  if (decision.kind === 'tasks') {
    // (The targets statement, where asked too, first: its passages numbered before the tasks'.)
    const targets = decision.targets ?? [];
    const targetHits = [...new Map(targets.map((candidate) => [candidate.passage.id, { passage: candidate.passage, score: 1 }])).values()];
    const hits = [...targetHits, ...retrieval.passages.filter((hit) => !targetHits.some((target) => target.passage.id === hit.passage.id))];
    const numbered = hits.map((hit, position) => ({ n: position + 1, passage: hit.passage }));
    const sources = hits.map((hit, position) => toSource(position + 1, hit));
    const taskSources = numbered.filter((entry) => retrieval.passages.some((hit) => hit.passage.id === entry.passage.id));
    const summary = composeSummary({ english: intent.language === 'en', sources: taskSources, ...(retrieval.leads === 'review' ? { review: true } : {}) });
    if (targets.length === 0) return { ...base, numbered, sources, extractive: summary };
    const numbering: Numbering = { n: (id) => numbered.find((entry) => entry.passage.id === id)?.n ?? 0, titleFor };
    const composed = composeAnswer(intent, [{ region: decision.region, ask: intent.asks[0]!, quotes: targets }], numbering);
    return { ...base, numbered, sources, extractive: `${composed.text}\n\n${summary}`, given: [...given, ...composed.converted] };
  }
  const quoted = [...decision.findings.flatMap((finding) => finding.quotes), ...decision.findings.flatMap((finding) => (finding.quotes.length === 0 && finding.closest ? [finding.closest] : []))];
  const { numbered, sources } = numberSources(quoted, retrieval.passages, k);
  const numbering: Numbering = { n: (id) => numbered.find((entry) => entry.passage.id === id)?.n ?? 0, titleFor };
  const composed = composeAnswer(intent, decision.findings, numbering);
  let extractive = composed.text;
  if ((retrieval.missingRegions.length > 0 || intent.unknownPlaces.length > 0) && !decision.findings.some((finding) => finding.place)) {
    const names = [...retrieval.missingRegions.map((entry) => entry.name), ...intent.unknownPlaces].join('、');
    extractive += intent.language === 'en' ? `\n(No report for ${names} is in the corpus.)` : `\n（现有报告中未找到${names}的政府工作报告。）`;
  }
  return { ...base, numbered, sources, extractive, given: [...given, ...composed.converted] };
}

const KIND_WORDS: Record<Ask['kind'], string> = {
  figure: 'a figure (a rate or a number with its unit)',
  amount: 'an absolute amount with its unit (not a growth rate, not a per-capita figure)',
  rank: 'a rank or position',
  count: 'a count with its unit',
  measures: 'the concrete measures planned, with their numbers',
  tasks: 'the list of key tasks',
  verdict: 'a comparison with a verdict computed from the figures',
  yesno: 'yes or no, with the figure that decides it',
  statement: 'the statement that answers it',
};

/** What is asked, in one line, for the model's prompt: regions, year and part, kind of answer, topic. */
export function describeAsked(intent: Intent): string {
  const regions = intent.subjects.length > 0 ? intent.subjects.map((entry) => entry.name).join('、') : 'no region named (the national report, 全国)';
  const when = { plan: 'the plan year (targets and tasks)', review: 'the previous year (its outcomes, in the review)', plan_year_outcome: 'outcomes of the plan year, which reports written at its start do not have', future: 'a year after the latest report', other: `the year ${intent.time.written.join(', ')}`, unspecified: 'any year' }[intent.time.scope];
  const asks = intent.asks.map((ask) => `${KIND_WORDS[ask.kind]} about ${ask.label}`).join('; ') || intent.text;
  return `region: ${regions}; year: ${when}; wanted: ${asks}`;
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
    yield { type: 'start', mode: prepared.mode, regions: prepared.retrieval.intent.subjects.map((entry) => entry.name), query: prepared.retrieval.query };
    yield { type: 'sources', sources: prepared.sources };
    for (const notice of [...notices, ...prepared.notices]) yield { type: 'notice', ...notice };

    if (prepared.refusal !== undefined) {
      // A refusal is decided once, before any model runs; what it quotes as closest is cited.
      const checked = checkAnswer(prepared.refusal, prepared.sources, { repair: false, given: prepared.given });
      for (const delta of deltasOf(checked.answer)) yield { type: 'text-delta', text: delta };
      yield { type: 'end', answer: checked.answer, citations: checked.citations, grounded: false, mode: prepared.mode, flagged: [], ...(prepared.refusalReason ? { refusal: prepared.refusalReason } : {}) };
      return;
    }

    if (!deps.llm) {
      const checked = checkAnswer(prepared.extractive, prepared.sources, { repair: false, given: prepared.given });
      for (const delta of deltasOf(checked.answer)) yield { type: 'text-delta', text: delta };
      yield { type: 'end', answer: checked.answer, citations: checked.citations, grounded: true, mode: 'extractive', flagged: checked.flagged };
      return;
    }

    yield* streamFromModel(deps.llm, request, prepared);
  } catch (error) {
    if (process.env.DEBUG_ANSWER) console.error(error);
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
    const checked = checkAnswer(text, prepared.sources, { repair: true, given: prepared.given });
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
    for await (const delta of llm.streamAnswer({ question: prepared.retrieval.query, english: prepared.retrieval.intent.language === 'en', asked: describeAsked(prepared.retrieval.intent), sources: prepared.sources, ...(request.signal ? { signal: request.signal } : {}) })) {
      buffer += delta;
      for (const sentence of completeSentences()) yield* release(sentence);
    }
    if (buffer) yield* release(buffer);
  } catch (error) {
    if (error instanceof AppError && error.code === 'cancelled') throw error;
    const reason = (error as Error).message;
    yield { type: 'notice', code: 'model_fallback', message: `The chat model failed (${reason}); this is the offline extractive answer.` };
    const checked = checkAnswer(prepared.extractive, prepared.sources, { repair: false, given: prepared.given });
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
