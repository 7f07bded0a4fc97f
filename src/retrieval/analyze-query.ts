// Query analysis: which regions a question names, which indicators it asks about, which year it is
// about, and the expanded terms to search for. Pure.
import { detectRegions, resolveRegion, type RegionEntry } from '../corpus/regions.ts';
import { ENGLISH_TERMS, INDICATORS, NOT_GDP_ECONOMY, NOT_GDP_ECONOMY_ZH, PLAN_WORDS, REVIEW_WORDS, type Indicator } from './lexicon.ts';

export type YearIntent = 'plan' | 'review' | 'any';

export interface QueryAnalysis {
  question: string;
  /** Regions named, in order; empty when none is (then the whole corpus is searched). */
  regions: RegionEntry[];
  indicators: Indicator[];
  yearIntent: YearIntent;
  /** Years written in the question (2023, 2035 …). */
  years: number[];
  /** Extra search terms from synonyms and English words, searched with a lower weight. */
  expansions: string[];
  english: boolean;
  /** The question asks for an amount in this unit (`多少元` → 元), not a rate. */
  askedUnit?: string;
  /** `summary`: the question asks for a region's key tasks as a whole, not for one fact. */
  intent: 'summary' | 'specific';
  /** Phrases the question quotes (`“聚焦聚力”`), which the answer must be about. */
  quoted: string[];
}

const SUMMARY_WORDS = /重点工作|重点任务|主要任务|工作重点|工作的重点|工作安排|抓好哪些|抓实抓好哪些|哪些工作|哪些方面|哪几个方面|哪几方面|几方面工作|哪几项|主要抓|总结一下|概括一下|priorities|key tasks|main tasks|work plan|main work/i;

const NATIONAL_EXPLICIT = /全国|国务院|national|nationwide|china\b/i;

export function isEnglish(text: string): boolean {
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  const hanzi = (text.match(/[\u3400-\u9fff]/g) ?? []).length;
  return latin > hanzi * 2;
}

function containsWord(haystack: string, word: string): boolean {
  if (/^[a-z]/.test(word)) return new RegExp(`(^|[^a-z])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(haystack);
  return haystack.includes(word);
}

export function findIndicators(text: string): Indicator[] {
  let lower = text.toLowerCase().replace(NOT_GDP_ECONOMY, ' ').replace(NOT_GDP_ECONOMY_ZH, ' ');
  const found: Indicator[] = [];
  for (const indicator of INDICATORS) {
    const triggers = indicator.triggers.filter((word) => containsWord(lower, word));
    if (triggers.length === 0) continue;
    found.push(indicator);
    // Triggers consumed by a more specific indicator (人均GDP, per unit of GDP) do not also count for a general one
    // (GDP); every span any of them covers goes at once (`energy consumption per unit of GDP` holds two).
    const covered = new Array<boolean>(lower.length).fill(false);
    for (const trigger of triggers) for (let at = lower.indexOf(trigger); at >= 0; at = lower.indexOf(trigger, at + 1)) covered.fill(true, at, at + trigger.length);
    lower = lower.split('').map((char, position) => (covered[position] ? ' ' : char)).join('');
  }
  return found;
}

export function detectYearIntent(text: string): YearIntent {
  const lower = text.toLowerCase();
  const plan = PLAN_WORDS.some((word) => lower.includes(word));
  const review = REVIEW_WORDS.some((word) => lower.includes(word));
  if (review && !/今年|2024|this year/.test(lower)) return 'review';
  if (review && /去年|上年|上一年|last year|2023/.test(lower) && !/今年|this year|2024/.test(lower)) return 'review';
  if (plan) return 'plan';
  return 'any';
}

/** Regions named by a text; the national level only when nothing more specific is named or it is explicit. */
export function regionsOf(text: string): RegionEntry[] {
  const mentions = detectRegions(text).map((mention) => mention.entry);
  const specific = mentions.filter((entry) => entry.level !== 'national');
  if (specific.length === 0) return mentions;
  return NATIONAL_EXPLICIT.test(text) ? mentions : specific;
}

export function analyzeQuery(question: string, options: { region?: string; regions?: RegionEntry[] } = {}): QueryAnalysis {
  const english = isEnglish(question);
  const forced = options.region ? resolveRegion(options.region) : undefined;
  const regions = options.regions ?? (forced ? [forced] : regionsOf(question));
  const indicators = findIndicators(question);
  const lower = question.toLowerCase();
  const expansions = new Set<string>();
  for (const indicator of indicators) for (const term of indicator.terms.slice(0, 2)) expansions.add(term);
  const withoutOtherEconomies = lower.replace(NOT_GDP_ECONOMY, (phrase) => phrase.replace(/economy/, ' '));
  for (const [phrase, terms] of ENGLISH_TERMS) if (containsWord(withoutOtherEconomies, phrase) || (phrase !== 'economy' && phrase.includes('economy') && containsWord(lower, phrase))) terms.forEach((term) => expansions.add(term));
  if (/目标|target|goal/.test(lower)) expansions.add('预期目标');
  const years = [...question.matchAll(/(?<!\d)(19|20)\d{2}(?!\d)/g)].map((match) => Number(match[0]));
  const askedUnit = /多少(微克|元|亿元|万元|人|万人|吨|万吨|斤|亿斤|个|家|所|亩)/.exec(question)?.[1];
  const quoted = [...question.matchAll(/[“"「]([^”"」]{1,20})[”"」]/g)].map((match) => match[1]!);
  const intent = SUMMARY_WORDS.test(question) && indicators.length === 0 ? 'summary' : 'specific';
  return {
    question,
    intent,
    quoted,
    regions,
    indicators,
    yearIntent: detectYearIntent(question),
    years,
    expansions: [...expansions],
    english,
    ...(askedUnit ? { askedUnit } : {}),
  };
}
