// The offline answerer: picks the sentences of the retrieved passages that answer the question, trims
// them to the clauses that matter and composes a short answer where every sentence cites its passage.
// Deterministic and pure.
import { splitSentences } from '../chunking/split-sentences.ts';
import { getRegion } from '../corpus/regions.ts';
import { tokenize } from '../index/tokenize.ts';
import type { QueryAnalysis } from '../retrieval/analyze-query.ts';
import type { Passage } from '../types.ts';
import { mentionsIndicator, type Refusal } from './grounding.ts';

export interface NumberedPassage {
  n: number;
  passage: Passage;
}

export interface Pick {
  n: number;
  region: string;
  /** Verbatim text from the passage (whole sentence or its relevant clauses). */
  text: string;
  /** Position in the passage, to keep report order within a source. */
  offset: number;
  score: number;
}

const ASKS_FOR_FIGURE = /多少|几|目标|比例|比重|增长|增速|规模|总量|产量|率|how many|how much|what is|rate|target|grow|value|percent/i;
const HAS_NUMBER = /\d/;
const LONG_SENTENCE = 110;

interface Candidate {
  n: number;
  region: string;
  text: string;
  offset: number;
  tokens: Set<string>;
}

/** Sentences of a passage with their tokens, computed once per passage (passages never change). */
const sentenceCache = new Map<string, { text: string; offset: number; tokens: Set<string> }[]>();
const SENTENCE_CACHE_LIMIT = 20_000;

function sentencesOf(passage: Passage): { text: string; offset: number; tokens: Set<string> }[] {
  const key = `${passage.id}\u0000${passage.text.length}`;
  let sentences = sentenceCache.get(key);
  if (!sentences) {
    sentences = splitSentences(passage.text).map((span) => ({ text: span.text, offset: span.start, tokens: new Set(tokenize(span.text)) }));
    if (sentenceCache.size >= SENTENCE_CACHE_LIMIT) sentenceCache.clear();
    sentenceCache.set(key, sentences);
  }
  return sentences;
}

function candidatesOf(sources: readonly NumberedPassage[]): Candidate[] {
  return sources.flatMap(({ n, passage }) => sentencesOf(passage).map((sentence) => ({ n, region: passage.region, ...sentence })));
}

function termScore(candidate: { tokens: Set<string> }, weights: ReadonlyMap<string, number>): number {
  let score = 0;
  for (const [term, weight] of weights) if (candidate.tokens.has(term)) score += weight;
  return score;
}

/** The clauses of a long sentence that match, with the lead-in clause when it names the subject. */
export function trimToClauses(sentence: string, matches: (clause: string) => boolean): string {
  if (sentence.length <= LONG_SENTENCE) return sentence;
  const clauses = sentence.split(/(?<=[，；：,;:])/);
  const keep = clauses.map(matches);
  if (!keep.some(Boolean)) return sentence;
  const first = clauses[0] ?? '';
  if (/目标|是：|是:|：$/.test(first)) keep[0] = true;
  const kept = clauses.filter((_, index) => keep[index]).join('');
  return kept.replace(/[，；：,;:]$/, '');
}

export interface ExtractiveInput {
  analysis: QueryAnalysis;
  /** Regions answered for (in the corpus), in the question's order. */
  regions: string[];
  sources: readonly NumberedPassage[];
  /** Query term → weight (idf × the term's query weight). */
  weights: ReadonlyMap<string, number>;
}

/** The sentences that answer the question, best first per region, at most a few. */
export function selectSentences(input: ExtractiveInput): Pick[] {
  const { analysis, sources, weights } = input;
  const candidates = candidatesOf(sources);
  const wantsFigure = ASKS_FOR_FIGURE.test(analysis.question);
  // With no region named, answer from the region whose sentence matches the question best.
  const bestOverall = [...candidates].sort((left, right) => termScore(right, weights) - termScore(left, weights) || left.n - right.n)[0];
  const regionGroups = input.regions.length > 0 ? input.regions : bestOverall ? [bestOverall.region] : [];
  const picks: Pick[] = [];
  for (const region of regionGroups) {
    const pool = candidates.filter((candidate) => candidate.region === region);
    const scored = pool
      .map((candidate) => ({ candidate, score: termScore(candidate, weights) - 0.05 * (candidate.n - 1) + (wantsFigure && HAS_NUMBER.test(candidate.text) ? 0.5 : 0) }))
      .sort((left, right) => right.score - left.score || left.candidate.n - right.candidate.n || left.candidate.offset - right.candidate.offset);
    const chosen: Pick[] = [];
    const take = (candidate: Candidate, score: number, matches: (clause: string) => boolean): void => {
      if (chosen.some((pick) => pick.n === candidate.n && pick.offset === candidate.offset)) return;
      chosen.push({ n: candidate.n, region, text: trimToClauses(candidate.text, matches), offset: candidate.offset, score });
    };
    const mentionsAsked = (clause: string): boolean => analysis.indicators.some((indicator) => mentionsIndicator(clause, indicator, analysis.question));
    if (analysis.indicators.length > 0) {
      for (const indicator of analysis.indicators) {
        const matching = scored.filter(({ candidate }) => mentionsIndicator(candidate.text, indicator, analysis.question) && (!wantsFigure || HAS_NUMBER.test(candidate.text)));
        // One sentence per indicator; a second one when a single indicator is asked about (target and task).
        const perIndicator = analysis.indicators.length === 1 && input.regions.length <= 1 ? 2 : 1;
        for (const best of matching.slice(0, perIndicator)) take(best.candidate, best.score, mentionsAsked);
      }
    }
    const limit = input.regions.length > 1 ? 1 : 3;
    const queryWords = [...weights.keys()].filter((word) => word.length > 1 || /[\u3400-\u9fff]/.test(word));
    const mentionsQuery = (clause: string): boolean => queryWords.some((word) => clause.includes(word));
    const floor = (scored[0]?.score ?? 0) * 0.5;
    for (const { candidate, score } of scored) {
      if (chosen.length >= Math.max(limit, analysis.indicators.length)) break;
      if (analysis.indicators.length > 0 && chosen.length > 0) break;
      if (score <= 0 || score < floor) break;
      take(candidate, score, mentionsQuery);
    }
    chosen.sort((left, right) => left.n - right.n || left.offset - right.offset);
    picks.push(...chosen);
  }
  return picks;
}

function regionLabel(region: string, english: boolean): string {
  if (!english) return region === '全国' ? '国务院政府工作报告' : region;
  const entry = getRegion(region);
  return region === '全国' ? 'the State Council (国务院)' : `${entry?.english[0] ?? region} (${region})`;
}

function titleOf(sources: readonly NumberedPassage[], region: string): string {
  return sources.find((source) => source.passage.region === region)?.passage.title ?? `2024年${region}政府工作报告`;
}

const endSentence = (text: string): string => text.replace(/[。；;，,：:]+$/, '');
/** A quoted sub-section opening reads better without its enumerator: `（一）强化…` → `强化…`. */
const withoutEnumerator = (text: string): string => text.replace(/^(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+是|[一二三四五六七八九十]要)/, '');

/** Composes the answer: a lead naming the report, then each pick with its [n]. */
export function composeAnswer(input: ExtractiveInput, picks: readonly Pick[]): string {
  const { analysis, sources } = input;
  const english = analysis.english;
  if (picks.length === 0) return '';
  const regions = [...new Set(picks.map((pick) => pick.region))];
  const line = (pick: Pick): string => `${endSentence(withoutEnumerator(pick.text))} [${pick.n}]。`;
  if (regions.length === 1) {
    const region = regions[0]!;
    const title = titleOf(sources, region);
    const year = sources.find((source) => source.passage.region === region)?.passage.year ?? 2024;
    const lead = english ? `According to the ${year} government work report of ${regionLabel(region, true)} 《${title}》:` : `根据《${title}》：`;
    if (picks.length === 1) return `${lead}${english ? ' ' : ''}${line(picks[0]!)}`;
    return `${lead}\n${picks.map((pick) => `- ${line(pick)}`).join('\n')}`;
  }
  const lead = english ? 'The reports say:' : '各地报告的表述如下：';
  const bullets = regions.map((region) => {
    const own = picks.filter((pick) => pick.region === region);
    return `- **${region}**：${own.map(line).join('')}`;
  });
  return `${lead}\n${bullets.join('\n')}`;
}

/** The key tasks of a region, listed from the sub-section headings its summary sources open with. */
export function composeSummary(input: ExtractiveInput): string {
  const { analysis, sources } = input;
  const headings = sources.map(({ n, passage }) => ({ n, heading: splitSentences(passage.text)[0]?.text ?? passage.text.slice(0, 60) }));
  const region = sources[0]?.passage.region ?? '';
  const title = titleOf(sources, region);
  const year = sources[0]?.passage.year ?? 2024;
  const lead = analysis.english ? `Key tasks for ${year} in the government work report of ${regionLabel(region, true)} 《${title}》:` : `《${title}》部署的${year}年重点工作主要包括：`;
  return `${lead}\n${headings.map(({ n, heading }) => `- ${endSentence(withoutEnumerator(heading))} [${n}]。`).join('\n')}`;
}

const ALL_REGIONS_NOTE = '本库收录2024年国务院及31个省（区、市）和苏州、南通、镇江三市的政府工作报告';

/** The plain statement for a refusal, in the question's language. */
export function composeRefusal(refusal: Refusal, english: boolean, titleFor: (region: string) => string): string {
  switch (refusal.reason) {
    case 'region_not_in_corpus': {
      const names = refusal.regions.map((entry) => entry.name).join('、');
      return english
        ? `The reports at hand do not include a government work report for ${refusal.regions.map((entry) => entry.english[0] ?? entry.name).join(', ')} (${names}); the corpus holds the 2024 national report, the 31 provincial reports and those of Suzhou, Nantong and Zhenjiang.`
        : `现有报告中未找到${names}的政府工作报告（${ALL_REGIONS_NOTE}），无法回答。`;
    }
    case 'indicator_absent': {
      const labels = refusal.indicators.map((indicator) => indicator.label).join('、');
      return english
        ? `《${titleFor(refusal.region)}》 does not mention ${labels}, so the reports do not give this figure.`
        : `现有报告中未找到相关内容：《${titleFor(refusal.region)}》没有提及${labels}，无法给出该数字。`;
    }
    case 'year_absent':
      return english
        ? `《${titleFor(refusal.region)}》 sets no figure for ${refusal.year}; the reports do not answer this.`
        : `现有报告中未找到相关内容：《${titleFor(refusal.region)}》没有提出${refusal.year}年的相关目标或数据。`;
    case 'amount_absent':
      return english
        ? `《${titleFor(refusal.region)}》 gives no amount in ${refusal.unit}${refusal.indicator ? ` for ${refusal.indicator.label}` : ''}; it states it only in other terms (such as a growth rate).`
        : `现有报告中未找到该数值：《${titleFor(refusal.region)}》没有给出以“${refusal.unit}”计的${refusal.indicator?.label ?? '具体'}数值，只有增长率等其他表述。`;
    case 'nothing_relevant':
      return english ? 'The reports at hand contain nothing that answers this question.' : '现有报告中未找到与该问题直接相关的内容。';
  }
}
