// Deciding when the reports cannot answer: a region outside the corpus, an indicator or a year the
// region's report never mentions, or an amount the report only gives as a rate. Pure.
import type { RegionEntry } from '../corpus/regions.ts';
import type { QueryAnalysis } from '../retrieval/analyze-query.ts';
import type { Indicator } from '../retrieval/lexicon.ts';
import { hasAmountIn } from './numbers.ts';

export type Refusal =
  | { reason: 'region_not_in_corpus'; regions: RegionEntry[] }
  | { reason: 'indicator_absent'; region: string; indicators: Indicator[] }
  | { reason: 'year_absent'; region: string; year: number }
  | { reason: 'amount_absent'; region: string; indicator?: Indicator; unit: string }
  | { reason: 'nothing_relevant' };

/** The Chinese words of an indicator the question used, plus the report's own terms for it. */
export function indicatorWords(indicator: Indicator, question: string): string[] {
  const lower = question.toLowerCase();
  // A question's own word counts when it is specific (经济增长); a short one (研发) would match 研发项目.
  const trigger = indicator.triggers.find((word) => /[\u3400-\u9fff]/.test(word) && word.length >= 3 && lower.includes(word));
  return trigger ? [...indicator.terms, trigger] : indicator.terms;
}

/** Whether a text speaks of the indicator (its excluded look-alike phrases do not count). */
export function mentionsIndicator(text: string, indicator: Indicator, question: string): boolean {
  const cleaned = (indicator.excludes ?? []).reduce((current, pattern) => current.replace(new RegExp(pattern, 'g'), ' '), text);
  return indicatorWords(indicator, question).some((word) => cleaned.includes(word));
}

export interface GroundingInput {
  analysis: QueryAnalysis;
  /** Named regions whose reports are in the corpus. */
  regions: string[];
  missingRegions: RegionEntry[];
  /** The full cleaned text of a region's report(s). */
  reportText: (region: string) => string;
  /** Sentences of the retrieved passages (to look for an amount with its unit). */
  candidateSentences: string[];
}

const CONTEXT_YEARS = new Set([2023, 2024]);

/** A reason to refuse, or undefined when the reports may hold the answer. */
export function findRefusal(input: GroundingInput): Refusal | undefined {
  const { analysis } = input;
  if (input.missingRegions.length > 0 && input.regions.length === 0) return { reason: 'region_not_in_corpus', regions: input.missingRegions };
  if (input.regions.length !== 1) return undefined;
  const region = input.regions[0]!;
  const text = input.reportText(region);
  if (analysis.intent === 'specific' && analysis.indicators.length > 0) {
    const lowerText = text.toLowerCase();
    const absent = analysis.indicators.filter((indicator) => !indicatorWords(indicator, analysis.question).some((word) => lowerText.includes(word.toLowerCase())));
    if (absent.length === analysis.indicators.length) return { reason: 'indicator_absent', region, indicators: absent };
  }
  const otherYear = analysis.years.find((year) => !CONTEXT_YEARS.has(year));
  if (otherYear !== undefined && !text.includes(String(otherYear))) return { reason: 'year_absent', region, year: otherYear };
  if (analysis.askedUnit) {
    const indicator = analysis.indicators[0];
    const words = indicator ? indicatorWords(indicator, analysis.question) : [];
    const withAmount = input.candidateSentences.some(
      (sentence) => hasAmountIn(sentence, analysis.askedUnit!) && (words.length === 0 || words.some((word) => sentence.includes(word))),
    );
    if (!withAmount) return { reason: 'amount_absent', region, unit: analysis.askedUnit, ...(indicator ? { indicator } : {}) };
  }
  return undefined;
}
