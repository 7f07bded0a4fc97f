// What a request asks, understood once (src/understand/understand.ts) and read by everything after it:
// retrieval, the evidence, the decision to answer or refuse, the composed answer and the model's prompt.
// Nothing downstream reads the question's text for its meaning again.
import type { RegionGroup } from '../corpus/region-groups.ts';
import type { RegionEntry } from '../corpus/regions.ts';
import type { AnswerKind, Indicator } from '../lexicon/lexicon.ts';

export type { AnswerKind, Indicator };

export type Language = 'zh' | 'en';

/** Where the asked year sits against the report: its plan, its review of the year before, or outside both. */
export type YearScope = 'plan' | 'review' | 'plan_year_outcome' | 'future' | 'other' | 'unspecified';

/** One thing the topic may be written as in a report, with how much it says (1: the word itself). */
export interface Form {
  text: string;
  weight: number;
  /** `text` is a regular expression of the lexicon (a report's own way of writing an indicator). */
  pattern?: boolean;
  /** `text` abbreviates what reports spell out: its characters in order, a few apart (文旅 in 文化旅游). */
  gapped?: boolean;
  /** `text` is one of the words a longer word of the question is made of (收入 of 农民收入): the parts count together. */
  part?: boolean;
  /** Read only where the region's report writes none of the concept's other forms (冰雪 of 冰雪经济, asked in English). */
  fallback?: boolean;
}

/** One word of the topic with the forms reports write it in (外贸: 外贸, 进出口, 对外贸易). */
export interface Concept {
  /** As the question has it (in English questions, the English phrase). */
  written: string;
  forms: Form[];
  /** The concept names an indicator of the lexicon. */
  indicator?: Indicator;
  /** Named by a general word (就业方面, 研发): the field, not only the indicator's figure. */
  broad?: boolean;
  /** What the answer must be about above all (a place inside the region: 沈阳 in 辽宁省's report). */
  anchor?: boolean;
  /** A word of what is measured (产量, output), not of what it is measured of. */
  measure?: boolean;
  /** An English word no dictionary translates: kept as written, weighing little. */
  untranslated?: boolean;
  /** A verb, adjective or adverb of the question (扶持, 撑腰): how it asks, weighing less than what it asks about. */
  verb?: boolean;
  /** A name an English question spells in pinyin, found as the reports write it (Yixinou → 义新欧). */
  name?: boolean;
  /** The head of a compound the question asks (吞吐量 of 货物吞吐量): a mention qualified by another noun is another thing's. */
  head?: boolean;
  /** What the classifier asked counts (房子 of 多少套房子): a figure in that classifier (15.7万套) names it. */
  counted?: boolean;
}

/** One question within the request: its topic and the kind of answer it wants. */
export interface Ask {
  kind: AnswerKind;
  /** The indicator asked about, when the ask names one. */
  indicator?: Indicator;
  /** The words of the topic (the indicator's among them), each with its report forms. */
  concepts: Concept[];
  /** How to name the topic in a refusal (房价涨幅, 地区生产总值). */
  label: string;
  /** A rate or share is asked (增长多少, 比重, 强度), not an amount. */
  rate: boolean;
  /** How the thing went is asked (外贸咋样, how did … do): its level and its growth both answer. */
  performance?: boolean;
  /** The question asks no rate or change anywhere (旅游收入多少, how much coal): a growth answers none of its asks. */
  level?: boolean;
  /** The figure is asked as a number (几个点, what percent): words (平稳增长) do not answer it. */
  numeral?: boolean;
  /** How fast it grows is asked (增速, how fast … grow): a growth answers even an indicator measured otherwise (R&D intensity). */
  growth?: boolean;
  /** A running total asked (累计, accumulated): not answered by what was added in the year. */
  cumulative?: boolean;
  /** What is added in the year asked (新建多少公里, how many new): not answered by the running total reached. */
  added?: boolean;
  /** A share of a whole is asked (数字经济占GDP比重): the whole is part of the topic. */
  share: boolean;
  /** The unit the figure is asked in (多少元 → 元). */
  unit?: string;
  /** Figures the question names as a bar, as written (破3万亿了吗 → 3万亿): the figure that meets one answers. */
  stated?: string[];
  /** A target, an outcome, or either. */
  aim: 'target' | 'outcome' | 'any';
  /** Urban or rural residents alone. */
  residents?: 'urban' | 'rural';
  /** Phrases the question quotes, which the answer must be about. */
  quoted: string[];
}

export type Operator = '>=' | '>' | '<=' | '<';

/** How a question across regions asks, answered from the targets table. */
export type AcrossAsk =
  | { kind: 'rank'; order: 'desc' | 'asc'; /** How many; undefined = the whole ranking. */ count?: number }
  | { kind: 'threshold'; operator: Operator; number: number; /** The national target is the threshold. */ versusNational?: boolean }
  | { kind: 'value'; number: number; qualifier?: string }
  | { kind: 'list' }
  | { kind: 'compare' };

export interface Across {
  ask: AcrossAsk;
  indicator: Indicator;
  /** The residents asked (income targets set apart for urban and rural residents). */
  scope: 'all' | 'urban' | 'rural';
  /** Provinces, cities, or every region, when the question names no group or regions. */
  population: 'provinces' | 'cities' | 'all';
}

/** Why a request is none of the reports' business. */
export type OutOfScope = 'greeting' | 'thanks' | 'noise' | 'people' | 'biography' | 'request' | 'markets' | 'weather' | (string & {});

/** How the request is answered: one region, a comparison, across regions from the table, key tasks, the plan's main targets, or this year's target against last year's outcome. */
export type Shape = 'single' | 'compare' | 'across' | 'ranking' | 'tasks' | 'targets' | 'versus_last_year';

/** A ranking of the regions by what their reports say (哪个省去年GDP增速最快): each report's own figure, ordered. */
export interface Ranking {
  order: 'desc' | 'asc';
  /** How many to name; ties at the cut are kept. */
  count: number;
  population: 'provinces' | 'cities' | 'all';
}

export interface Intent {
  /** The question as asked. */
  asked: string;
  /** The question normalized: simplified characters, half-width digits and letters. */
  text: string;
  language: Language;
  traditional: boolean;
  /** Set when the request is out of scope: nothing else is read. */
  outOfScope?: OutOfScope;
  /** The regions asked about, in the question's order (a group's members; a follow-up's carried regions). */
  subjects: RegionEntry[];
  /** Regions mentioned as objects (天津 taking over functions *from 北京*). */
  objects: RegionEntry[];
  group?: RegionGroup;
  /** Named places the corpus has no report of, or that are not Chinese regions. */
  unknownPlaces: string[];
  /** Of those, places inside a region the corpus holds (沈阳 in 辽宁省): its report may speak of them. */
  /** Places inside a region the corpus holds (武汉 in 湖北省), with the names its report may write them by (武汉市, 武汉). */
  within: { place: string; written: string; forms: string[]; region: RegionEntry }[];
  /** Names read as a region one character off: 苏洲 → 苏州市. */
  approximations: { written: string; region: string }[];
  /** The region sent beside the question, and whether the question overrode it. */
  hint?: { region: string; overridden: boolean };
  time: {
    scope: YearScope;
    /** Years written in the question. */
    written: number[];
    /** Distances from the report year named in words (今年 0, 去年 -1). */
    relative: number[];
  };
  asks: Ask[];
  shape: Shape;
  /** For `tasks`: the main targets are asked too (主要目标和重点工作说一下): the plan's statement of them leads. */
  withTargets?: boolean;
  /** For `across`: how it asks and about what. */
  across?: Across;
  /** For `ranking`: the order, how many, among which regions. */
  ranking?: Ranking;
  /** What a follow-up took from the conversation. */
  carried: { regions: boolean; topic: boolean; year: boolean };
  /** What retrieval searches with: the question (with a carried topic) and report terms for English and synonyms. */
  search: { text: string; terms: string[] };
}

/** The report terms of an ask's concepts: every form, most telling first. */
export function formsOf(ask: Ask): string[] {
  return [...new Set(ask.concepts.flatMap((concept) => [...concept.forms].sort((left, right) => right.weight - left.weight).map((form) => form.text)))];
}

/** The words of an ask that name a field (民生 of 民生方面的重点工作): neither how it asks (a verb) nor a phrase it quotes. */
export function fieldConcepts(ask: Ask): Concept[] {
  return ask.concepts.filter((concept) => !concept.verb && !ask.quoted.some((phrase) => phrase.includes(concept.written) || concept.written.includes(phrase)));
}
