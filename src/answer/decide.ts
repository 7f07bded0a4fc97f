// The one decision: whether the reports answer the request, and with what — or one refusal with its
// typed reason. Hard refusals come from what the intent says for certain (out of scope, a place the corpus
// lacks, a year its reports do not cover); every other refusal comes from the evidence's scores against the
// thresholds of lexicon/answer-model.json, fitted on the evaluation sets. Nothing else in the answer step
// refuses. Pure: the evidence is asked for through `DecisionWorld`.
import { fieldConcepts, type Ask, type Intent } from '../understand/intent.ts';
import { ANSWER_MODEL } from './answer-model.ts';
import { isRate } from './figures.ts';
import { namesQuoted, sentenceAt, sentencesOf, wantsFigure, type Candidate, type Evidence, type ListItem } from './evidence.ts';

export type RefusalReason =
  | { reason: 'unknown_place'; places: string[] }
  | { reason: 'region_not_in_corpus'; regions: string[] }
  | { reason: 'out_of_scope'; topic: string }
  | { reason: 'year_not_covered'; region: string; scope: 'future' | 'plan_year_outcome' | 'no_review' | 'review_target' | 'other'; year?: number }
  | { reason: 'topic_absent'; region: string; what: string }
  | { reason: 'near_miss'; region: string; what: string }
  | { reason: 'no_region_named'; what: string }
  | { reason: 'no_question' };

export type Refusal = RefusalReason & { closest: Candidate[] };

/** What one region's report says for one ask: the statements quoted, or what comes closest. */
export interface RegionFinding {
  region: string;
  /** A place inside the region the question asked about (沈阳市 in 辽宁省's report). */
  place?: string;
  ask: Ask;
  /** The report year read (several when a question spans years). */
  year?: number;
  quotes: Candidate[];
  closest?: Candidate;
  /** Why this region gives no answer (the others did). */
  missing?: RefusalReason;
}

/** One region's figure in a ranking of what the reports say. */
export interface RankedEntry {
  region: string;
  candidate: Candidate;
  /** The number the ranking orders by: a rate as written, an amount in its dimension's base unit. */
  value: number;
}

export type Decision =
  | { kind: 'refuse'; refusal: Refusal }
  | { kind: 'ranking'; entries: RankedEntry[]; shown: number; missing: string[] }
  | { kind: 'across' }
  | { kind: 'tasks'; region: string; targets?: Candidate[] }
  | { kind: 'answer'; findings: RegionFinding[] };

/** What the decision may ask of the corpus: which regions it holds, their reports, the evidence. */
export interface DecisionWorld {
  /** Whether the corpus holds a report of the region. */
  hasRegion(region: string): boolean;
  /** The report years read for the region (first the main one), and those read for their plan only. */
  yearsFor(region: string): { used: number[]; planOnly: number[] };
  /** Whether the region's report of the year has a review of the year before. */
  hasReview(region: string, year: number): boolean;
  /** Whether the targets table answers the request across regions (rankings, group listings, comparisons). */
  acrossAnswered(): boolean;
  /** Whether the region's report lists key tasks. */
  hasTasks(region: string): boolean;
  /** The evidence for an ask in the region's report of a year, of the part asked (`scope` overrides the intent's). */
  evidence(region: string, ask: Ask, options: { year?: number; scope?: Intent['time']['scope']; writtenYear?: number; placeForms?: readonly string[] }): Evidence;
  /** For a question naming no region that the national report does not answer: the regions retrieval found. */
  retrievedRegions(): string[];
  /** The region's statement of its main targets for the plan year (主要预期目标是：…), when its report has one. */
  targetsStatement(region: string): Candidate[];
  /** The regions of the corpus of a kind (provinces, cities, or every region but the national report). */
  regionsOf(population: 'provinces' | 'cities' | 'all'): string[];
}

const { thresholds, quotes: quoteLimits } = ANSWER_MODEL;

/** Candidates that answer, best first: above the ask's threshold, one per statement. */
/**
 * Whether a figure's evidence is held to the threshold of a topic read through translation: an English question
 * whose own words the report all uses somewhere (what it cannot match is only a loose translation's miss).
 */
export function readThroughTranslation(evidence: Evidence): boolean {
  return evidence.language === 'en' && evidence.absent.length === 0;
}

function answering(evidence: Evidence): Candidate[] {
  const { ask } = evidence;
  // Measures of a field the report gives a section of its own: that section's paragraph leads, in order.
  if (evidence.sectionLeads.length > 0) return evidence.sectionLeads.slice(0, 10);
  const figure = wantsFigure(ask);
  const threshold = figure ? (readThroughTranslation(evidence) ? thresholds.figureTopicEnglish : thresholds.figureTopic) : thresholds.statementTopic;
  // A figure asked is answered by a figure — or, for a target, by a target stated in words (与经济增长同步).
  const passing = evidence.candidates.filter((candidate) => candidate.features.topic >= threshold && (!figure || candidate.figure !== undefined || (candidate.worded !== undefined && ask.aim !== 'outcome')));
  if (passing.length === 0) return [];
  // A figure, where one answers, before a target stated in words (江苏: 产量750亿斤左右 before 粮食产量保持基本稳定).
  if (figure && passing.some((candidate) => candidate.figure)) passing.splice(0, passing.length, ...passing.filter((candidate) => candidate.figure));
  // The same figure in the plan's statement of its main targets and in the body (支撑粮食产量达到880亿斤以上): the
  // targets statement, where the plan sets it, is quoted.
  const stated = passing[0]!.figure;
  const canonical = stated && !passing[0]!.row ? passing.find((candidate) => candidate.row && candidate.figure && candidate.figure.text === stated.text && candidate.figure.dimension === stated.dimension) : undefined;
  if (canonical) {
    passing.splice(passing.indexOf(canonical), 1);
    passing.unshift(canonical);
  }
  const best = passing[0]!;
  // A field asked (就业方面的目标) may have several figures; one indicator, one.
  const broad = ask.concepts.some((concept) => concept.broad);
  // A target stated in words may be said in more than one place (城乡居民…高于经济增长速度; 农民收入力争两位数增长): two.
  const limit = ask.kind === 'measures' ? quoteLimits.measures : figure ? (broad ? quoteLimits.fieldFigures : best.figure ? quoteLimits.figure : quoteLimits.wordedTargets) : quoteLimits.statements;
  const chosen: Candidate[] = [best];
  // How an indicator went (外贸咋样): its level and its growth, the best of the other kind beside the best figure.
  const other = figure && ask.performance && ask.indicator && best.figure ? passing.find((candidate) => candidate.figure && isRate(candidate.figure) !== isRate(best.figure!) && !overlaps(candidate, best)) : undefined;
  if (other) chosen.push(other);
  for (const candidate of passing.slice(1)) {
    if (chosen.length >= limit) break;
    // A measure's figures order the measures, not say how much they are about the topic (力争进出口总额增长10%以上 is
    // no more about trade than 打造一批特色进口商品展销店).
    if (relevance(candidate, ask) < relevance(best, ask) * (ask.kind === 'measures' ? thresholds.keepRatioMeasures : thresholds.keepRatio)) break;
    // One quote per statement: a figure's clauses, or a whole sentence of statements.
    const same = chosen.findIndex((other) => other.passage.id === candidate.passage.id && (figure ? overlaps(other, candidate) : other.sentence.start === candidate.sentence.start));
    if (same >= 0) {
      // Targets in words said in adjacent clauses (城镇居民收入…同步，农村居民收入增长快于城镇居民) are quoted together.
      const merged = adjacentWorded(chosen[same]!, candidate);
      if (merged) chosen[same] = merged;
      continue;
    }
    chosen.push(candidate);
  }
  // A list the best statements open (办好10件为民实事：一是…): its items, in order.
  // (So does a list that holds a chosen statement as one of its items: 打好投资扩容增效攻坚战 of 打好七大攻坚战.)
  const holds = (list: readonly ListItem[], statement: Candidate): boolean => list.some(({ passage, piece }) => passage.id === statement.passage.id && piece.start >= statement.sentence.start && piece.start < statement.sentence.start + statement.sentence.text.length);
  const opening = figure ? undefined : (chosen.slice(0, 2).find((candidate) => candidate.list) ?? passing.find((candidate) => candidate.list && chosen.some((statement) => holds(candidate.list!, statement))));
  if (opening) {
    return opening.list!.slice(0, quoteLimits.listItems).map(({ passage, piece }) => {
      const sentence = sentenceAt(passage, piece.start)!;
      const { list: _list, ...rest } = opening;
      return { ...rest, passage, sentence: { text: sentence.text, start: sentence.start, position: sentence.position }, pieces: [piece] };
    });
  }
  // A named plan asked about (“1269”行动计划是什么): the sentence that names it and the one that spells it out.
  if (ask.quoted.length > 0 && !figure) {
    const sentences = sentencesOf(best.passage);
    const next = sentences[best.sentence.position + 1];
    if (next && !chosen.some((other) => other.passage.id === best.passage.id && other.sentence.position === next.position)) {
      chosen.splice(1, 0, { ...best, sentence: { text: next.text, start: next.start, position: next.position }, pieces: [{ text: next.text, start: next.start }] });
    }
  }
  return chosen;
}

/** Two targets stated in words in adjacent clauses of one sentence, as one quote of both (undefined when they are not). */
function adjacentWorded(first: Candidate, second: Candidate): Candidate | undefined {
  if (first.worded === undefined || second.worded === undefined || first.passage.id !== second.passage.id) return undefined;
  const [left, right] = first.pieces[0]!.start <= second.pieces[0]!.start ? [first, second] : [second, first];
  const leftEnd = left.pieces.at(-1)!.start + left.pieces.at(-1)!.text.length;
  const gap = left.passage.text.slice(leftEnd, right.pieces[0]!.start);
  if (!/^[，,；;、]?$/.test(gap)) return undefined;
  const start = left.pieces[0]!.start;
  const text = left.passage.text.slice(start, right.pieces.at(-1)!.start + right.pieces.at(-1)!.text.length);
  return { ...first, pieces: [{ text, start }], worded: `${left.worded}；${right.worded}` };
}

/** A candidate's score as the measure of how well it answers: for measures, without what its figures add, unless a goal is asked. */
function relevance(candidate: Candidate, ask: Ask): number {
  return ask.kind === 'measures' && ask.aim !== 'target' ? candidate.score - ANSWER_MODEL.weights.fit * candidate.features.fit : candidate.score;
}

/** Whether two candidates quote any of the same characters. */
function overlaps(left: Candidate, right: Candidate): boolean {
  return left.pieces.some((a) => right.pieces.some((b) => a.start < b.start + b.text.length && b.start < a.start + a.text.length));
}

/** Why one region's report does not answer an ask, from how much of the topic it speaks of. */
function shortfall(evidence: Evidence, region: string, language: Intent['language']): RefusalReason {
  // “Does not mention X” is said only of the topic's words the report uses nowhere; a report that speaks of every
  // one of them, if never together with the answer, comes near.
  if (evidence.mentioned >= thresholds.mentioned || evidence.absent.length === 0) return { reason: 'near_miss', region, what: evidence.ask.label };
  return { reason: 'topic_absent', region, what: evidence.absent.join(language === 'en' ? ' or ' : '、') };
}

/** A year the intent names that the region's reports do not cover as plan or review, or undefined. */
function yearRefusal(intent: Intent, world: DecisionWorld, region: string): { refusal: RefusalReason; scope: Intent['time']['scope'] } | undefined {
  const { used } = world.yearsFor(region);
  const main = used[0];
  if (main === undefined) return undefined;
  const scope = intent.time.scope;
  const wantsTarget = intent.asks.some((ask) => ask.aim === 'target');
  if (scope === 'future' && intent.time.written.length === 0) return { refusal: { reason: 'year_not_covered', region, scope: 'future', year: main + 1 }, scope: 'plan' };
  if (scope === 'plan_year_outcome') return { refusal: { reason: 'year_not_covered', region, scope: 'plan_year_outcome', year: main }, scope: 'plan' };
  if (scope === 'review' && !world.hasReview(region, main)) return { refusal: { reason: 'year_not_covered', region, scope: 'no_review' }, scope: 'plan' };
  // Last year's target: a review states what was achieved, not what was aimed at (the previous year's report, where held, answers).
  if (scope === 'review' && wantsTarget && intent.shape !== 'versus_last_year' && used.length === 1) return { refusal: { reason: 'year_not_covered', region, scope: 'review_target', year: main - 1 }, scope: 'review' };
  return undefined;
}

/** What one region's report says for one ask (or, across years, each year's report). */
function findIn(intent: Intent, world: DecisionWorld, region: string, ask: Ask, place?: { name: string; forms: readonly string[] }): RegionFinding {
  const { used, planOnly } = world.yearsFor(region);
  // A year written that is neither a report's year nor the one it reviews (2035, or 2025 in a 2024 report): only
  // statements about that year answer (到2025年…).
  const named = intent.time.written.length > 0 ? intent.time.written : intent.time.relative.filter((offset) => offset <= -2 || offset >= 1).map((offset) => (used[0] ?? 0) + offset);
  const otherYear = intent.time.scope === 'future' || intent.time.scope === 'other' ? named.find((year) => !used.includes(year) && !used.includes(year + 1)) : undefined;
  // Last year's target across reports: the previous year's plan holds it; the latest report's review gives outcomes only.
  const targetOfLastYear = intent.time.scope === 'review' && ask.aim === 'target' && planOnly.length > 0;
  const years = targetOfLastYear ? planOnly : used.length > 1 ? used : [used[0]];
  const perYear = years.map((year) => {
    const scope = year !== undefined && planOnly.includes(year) ? 'plan' : intent.time.scope;
    const evidence = world.evidence(region, ask, { ...(year !== undefined ? { year } : {}), scope, ...(otherYear !== undefined ? { writtenYear: otherYear } : {}), ...(place ? { placeForms: place.forms } : {}) });
    return { year, evidence, quotes: answering(evidence) };
  });
  const quotes = perYear.flatMap((entry) => entry.quotes.slice(0, years.length > 1 ? 2 : undefined));
  const first = perYear[0]!;
  if (quotes.length > 0) return { region, ...(place ? { place: place.name } : {}), ask, ...(years.length === 1 && first.year !== undefined ? { year: first.year } : {}), quotes };
  if (otherYear !== undefined) {
    return { region, ask, quotes: [], missing: { reason: 'year_not_covered', region, scope: intent.time.scope === 'future' ? 'future' : 'other', year: otherYear }, ...(first.evidence.closest ? { closest: first.evidence.closest } : {}) };
  }
  return { region, ask, quotes: [], missing: shortfall(first.evidence, region, intent.language), ...(first.evidence.closest ? { closest: first.evidence.closest } : {}) };
}

/** This year's target beside last year's outcome, from one report (its plan and its review). */
function findVersusLastYear(intent: Intent, world: DecisionWorld, region: string, ask: Ask): RegionFinding {
  const target = answering(world.evidence(region, { ...ask, aim: 'target' }, { scope: 'plan' }));
  const outcomeEvidence = world.evidence(region, { ...ask, aim: 'outcome' }, { scope: 'review' });
  const outcome = answering(outcomeEvidence);
  const quotes = [...target.slice(0, 1), ...outcome.slice(0, 1)];
  if (quotes.length > 0) return { region, ask, quotes };
  return { region, ask, quotes: [], missing: shortfall(outcomeEvidence, region, intent.language), ...(outcomeEvidence.closest ? { closest: outcomeEvidence.closest } : {}) };
}

/** What the report of the region a place belongs to says of the place itself, or undefined when it says nothing of it. */
function findWithin(intent: Intent, world: DecisionWorld): Decision | undefined {
  const asks = intent.asks.filter((ask) => ask.concepts.length > 0);
  if (asks.length === 0 || intent.shape === 'tasks') return undefined;
  const findings: RegionFinding[] = [];
  for (const { place, written, forms, region } of intent.within) {
    if (!world.hasRegion(region.name)) continue;
    for (const ask of asks) {
      // The place is part of the topic: its figure, not the region's.
      const placed: Ask = { ...ask, concepts: [...ask.concepts, { written, forms: forms.map((text) => ({ text, weight: 1 })), anchor: true }] };
      findings.push(findIn(intent, world, region.name, placed, { name: place, forms }));
    }
  }
  return findings.some((finding) => finding.quotes.length > 0) ? { kind: 'answer', findings: findings.filter((finding) => finding.quotes.length > 0) } : undefined;
}

/**
 * A ranking of what each region's report says (哪个省去年GDP增速最快): the best answering figure of every region,
 * in one dimension, ordered; the regions whose reports give none named as such. Undefined when fewer than two do.
 */
function rankRegions(intent: Intent, world: DecisionWorld): Decision | undefined {
  const asked = intent.asks.find((candidate) => candidate.concepts.length > 0);
  if (!asked || !intent.ranking) return undefined;
  // Most or least of a thing with no rate asked (哪个省旅游收入最多) ranks amounts, not how fast each grew.
  const ask: Ask = asked.rate || asked.kind === 'rank' ? asked : { ...asked, kind: 'amount' };
  const found: RankedEntry[] = [];
  const missing: string[] = [];
  // With no year named, what was achieved (the reviews), unless a target is asked.
  const scope = intent.time.scope === 'unspecified' && ask.aim !== 'target' ? 'review' : intent.time.scope;
  for (const region of world.regionsOf(intent.ranking.population)) {
    const candidate = answering(world.evidence(region, ask, { scope }))[0];
    const figure = candidate?.figure;
    if (!candidate || !figure) {
      missing.push(region);
      continue;
    }
    found.push({ region, candidate, value: figure.dimension === 'rate' || figure.dimension === 'points' ? figure.number : figure.value });
  }
  // One dimension: the one most regions give (a rate of growth, or an amount), the others left out.
  const counts = new Map<string, number>();
  for (const entry of found) counts.set(entry.candidate.figure!.dimension, (counts.get(entry.candidate.figure!.dimension) ?? 0) + 1);
  const dimension = [...counts].sort((left, right) => right[1] - left[1])[0]?.[0];
  const entries = found.filter((entry) => entry.candidate.figure!.dimension === dimension).sort((left, right) => (intent.ranking!.order === 'desc' ? right.value - left.value : left.value - right.value));
  if (entries.length < 2) return undefined;
  const cut = entries[Math.min(intent.ranking.count, entries.length) - 1]!.value;
  const shown = entries.filter((entry, position) => position < intent.ranking!.count || entry.value === cut).length;
  return { kind: 'ranking', entries, shown, missing: [...missing, ...found.filter((entry) => !entries.includes(entry)).map((entry) => entry.region)] };
}

/** Decides, once, whether and how the reports answer the request. */
export function decide(intent: Intent, world: DecisionWorld): Decision {
  if (intent.outOfScope) return { kind: 'refuse', refusal: { reason: 'out_of_scope', topic: intent.outOfScope, closest: [] } };
  const regions = intent.subjects.map((entry) => entry.name).filter((name) => world.hasRegion(name));
  const missingRegions = intent.subjects.map((entry) => entry.name).filter((name) => !world.hasRegion(name));
  if (regions.length === 0 && (intent.unknownPlaces.length > 0 || missingRegions.length > 0)) {
    // Places inside a region the corpus holds (沈阳 in 辽宁省; 呼和浩特 and 包头 in 内蒙古): that report may speak of them by name.
    const inside = missingRegions.length + intent.unknownPlaces.length === intent.within.length ? findWithin(intent, world) : undefined;
    if (inside) return inside;
    if (missingRegions.length === 0) return { kind: 'refuse', refusal: { reason: 'unknown_place', places: intent.unknownPlaces, closest: [] } };
    return { kind: 'refuse', refusal: { reason: 'region_not_in_corpus', regions: missingRegions, closest: [] } };
  }
  if (intent.shape === 'across' && world.acrossAnswered()) return { kind: 'across' };
  if (intent.shape === 'ranking' && intent.ranking) {
    const ranked = rankRegions(intent, world);
    if (ranked) return ranked;
  }
  if (intent.shape === 'tasks') {
    const region = regions[0] ?? '全国';
    // Tasks asked of a field the report gives a section of its own (国家在双碳和绿色发展上有哪些部署): that section's leads.
    const field = intent.asks.find((ask) => fieldConcepts(ask).length > 0);
    if (field && world.hasRegion(region)) {
      const leads = world.evidence(region, { ...field, kind: 'measures' }, {}).sectionLeads;
      if (leads.length > 0) return { kind: 'answer', findings: [{ region, ask: { ...field, kind: 'measures' }, quotes: leads.slice(0, 10) }] };
    }
    if (world.hasTasks(region)) {
      const targets = intent.withTargets ? world.targetsStatement(region) : [];
      return { kind: 'tasks', region, ...(targets.length > 0 ? { targets } : {}) };
    }
  }
  const asks = intent.asks.filter((ask) => ask.concepts.length > 0 || ask.kind === 'tasks');
  // The targets asked as such (贵州今年的主要预期目标是什么, headline targets): the plan's statement of them.
  const targetsRegion = regions[0] ?? (regions.length === 0 && intent.subjects.length === 0 ? '全国' : undefined);
  if (targetsRegion && regions.length <= 1 && (intent.shape === 'targets' || (asks.length === 0 && intent.asks.some((ask) => ask.aim === 'target') && intent.time.scope !== 'review'))) {
    const quotes = world.targetsStatement(targetsRegion);
    if (quotes.length > 0) return { kind: 'answer', findings: [{ region: targetsRegion, ask: intent.asks[0]!, quotes }] };
  }
  if (asks.length === 0) return { kind: 'refuse', refusal: { reason: 'no_question', closest: [] } };
  const subjects = regions.length > 0 ? regions : ['全国'];

  // A year the reports do not cover is refused for certain (the first region decides; the closest is its statement).
  const yearProblem = yearRefusal(intent, world, subjects[0]!);
  if (yearProblem && subjects.length === 1) {
    const closest = asks.flatMap((ask) => world.evidence(subjects[0]!, ask, { scope: yearProblem.scope }).candidates.slice(0, 1)).slice(0, 1);
    return { kind: 'refuse', refusal: { ...yearProblem.refusal, closest } };
  }

  const findings: RegionFinding[] = [];
  for (const region of subjects) for (const ask of asks) findings.push(intent.shape === 'versus_last_year' ? findVersusLastYear(intent, world, region, ask) : findIn(intent, world, region, ask));
  if (findings.some((finding) => finding.quotes.length > 0)) return { kind: 'answer', findings };

  // Nothing answers. A question naming no region that the national report does not answer: the regions retrieval found are quoted as such.
  const first = findings[0]!;
  if (regions.length === 0) {
    const closest = world
      .retrievedRegions()
      .filter((region) => region !== '全国')
      .flatMap((region) => {
        const evidence = world.evidence(region, first.ask, {});
        return answering(evidence).slice(0, 1);
      })
      .slice(0, 3);
    // A name the question quotes that one region's report alone answers with (“义新欧”中欧班列: 浙江) names that region.
    const names = namesQuoted(first.ask);
    const quotedBy = new Set(closest.filter((candidate) => names?.(candidate.sentence.text) === true).map((candidate) => candidate.passage.region));
    if (quotedBy.size === 1 && closest.every((candidate) => quotedBy.has(candidate.passage.region))) {
      const region = [...quotedBy][0]!;
      return { kind: 'answer', findings: [findIn(intent, world, region, first.ask)] };
    }
    return { kind: 'refuse', refusal: { reason: 'no_region_named', what: first.ask.label, closest } };
  }
  const reason = first.missing ?? { reason: 'topic_absent' as const, region: first.region, what: first.ask.label };
  return { kind: 'refuse', refusal: { ...reason, closest: first.closest && reason.reason !== 'topic_absent' ? [first.closest] : [] } };
}
