// The answer step, offline and pure: the clauses of a region's passages that speak of the question's
// topic and carry an answer of the wanted kind from the wanted part of the report — or, when none does,
// one typed refusal with the closest thing the report does say. Read by the extractive answerer, the
// model path (the same decision) and the evaluation.
import { splitSentences } from '../chunking/split-sentences.ts';
import { tokenize } from '../index/tokenize.ts';
import type { QuestionIntent } from '../retrieval/question-intent.ts';
import { INDICATORS, type Indicator } from '../retrieval/lexicon.ts';
import type { Passage } from '../types.ts';
import { parseTargetClause } from './extract-targets.ts';
import { mentionsIndicator } from './grounding.ts';

export interface Clause {
  text: string;
  /** Offset of the clause in its passage's text. */
  start: number;
}

/** A quoted piece of a passage that answers (or comes closest to answering) the question. */
export interface Pick {
  passage: Passage;
  region: string;
  /** Verbatim pieces of the passage, in order; joined with …… when not contiguous. */
  pieces: Clause[];
  /** The whole sentence the pieces come from (offset in the passage). */
  sentenceStart: number;
  indicator?: Indicator;
  /**
   * The asked indicator's own figure where the quote lists several (`A、B、C分别增长6%、5%、6%左右`: B is
   * 5%左右); null when the list has none that is the one asked (urban and rural, everyone's asked).
   */
  figure?: string | null;
  score: number;
}

export type RefusalReason =
  | { reason: 'unknown_place'; places: string[] }
  | { reason: 'region_not_in_corpus'; regions: string[] }
  | { reason: 'out_of_scope'; topic: string }
  | { reason: 'year_not_covered'; region: string; scope: 'future' | 'plan_year_outcome' | 'no_review' | 'review_target' | 'other'; year?: number }
  | { reason: 'topic_absent'; region: string; what: string }
  | { reason: 'near_miss'; region: string; what: string }
  | { reason: 'no_region_named'; what: string }
  | { reason: 'nothing_relevant' };

export type Refusal = RefusalReason & { closest: Pick[] };

const HAS_NUMBER = /\d/;
const ASKS_RATE = /强度|(?<!人)率|比重|占比|比例|增速|增幅|涨幅|增长了?多少|增长几|percentage|share of|intensity|\brate\b|how fast/i;
const RATE = /\d(?:\.\d+)?\s*%|百分点/;
/** An absolute amount: a number with a unit that is not a percentage. */
const AMOUNT = /\d(?:[\d.]*)\s*(?:万亿|亿|万|千)?(?:元|美元|人民币|斤|吨|人次|人|户|家|个|亩|千瓦|立方米|公里|平方公里|辆|件|座|所|项|套|张|条|台|艘|标箱|吨公里)/;
const CURRENCY = /\d(?:[\d.]*)\s*(?:万亿|亿|万|千)?(?:元|美元)/;
/** A question about what was aimed at, and one about what was achieved (`目标完成了吗` is about the outcome). */
const ASKS_TARGET = /目标|预期|target|goal|\baim/i;
const ASKS_OUTCOME = /完成|实现|达到|达成|超额|实际|做到|achiev|\bmet\b|meet|actual|outcome/i;
const RANK = /第\s*\d+|第[一二三四五六七八九十]+(?:位|名)?|首位|第一|前列|榜首|居首/;
/** A clause that adds to the figure before it (`新增586.3万亩`, `增加305.7万吨`). */
const INCREMENT = /^(?:新增|增加|减少|多|少)\d/;
/** A clause that continues the one before it with a predicate of the same subject: `，增长5.8%`, `，稳居全国第6`. */
const CONTINUES = /^(?:同比|比上年|分别|增长|增速|下降|降低|提高|达到|达|居|位居|稳居|排|列|突破|超过|实现|占|总量|总额|规模|年均|产量|总产|单产|面积|收入)/;
const HEADING_ONLY = /^(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+是|[一二三四五六七八九十]要)[^，；]{0,40}[。]?$/;
const LONG_PIECE = 120;

const ALL_INDICATOR_WORDS = INDICATORS.flatMap((indicator) => indicator.terms);
function mentionsAnyIndicator(text: string): boolean {
  return ALL_INDICATOR_WORDS.some((word) => text.includes(word));
}

/** Words of doctrine rather than of what will be done. */
const DOCTRINE = /习近平|总书记|党中央|重要讲话|重要指示|重要论述/;

/** Headings and the targets statement are not measures: `用力拓展消费市场 提振企业发展信心`, `主要预期目标是：…`. */
function isNotAMeasure(sentence: string, passage: Passage): boolean {
  const bare = sentence.replace(/[。！？\s]+$/, '');
  if (HEADING_ONLY.test(sentence) || passage.sectionPath.some((heading) => heading.includes(bare))) return true;
  if (bare.length < 25 && !HAS_NUMBER.test(bare)) return true;
  // The general requirements and the targets are not measures.
  const leaf = passage.sectionPath.at(-1) ?? '';
  if (/总体要求|指导思想|预期目标/.test(leaf) && !/重点|任务|工作安排/.test(leaf)) return true;
  // Doctrine (`习近平总书记始终倾情牵挂…`) and a year's characterization (`2023年，是…的重要一年`) are not measures.
  if (DOCTRINE.test(bare) && !HAS_NUMBER.test(bare.replace(/(?:19|20)\d{2}年|\d+周年|第[一二三四五六七八九十\d]+/g, ''))) return true;
  if (/^(?:19|20)\d{2}年[，,]?是/.test(bare)) return true;
  const percentages = (sentence.match(/%/g) ?? []).length;
  const indicators = INDICATORS.filter((indicator) => indicator.target && indicator.terms.some((term) => sentence.includes(term))).length;
  return /预期目标/.test(sentence) || percentages >= 4 || (percentages >= 2 && indicators >= 2);
}

export function clausesOf(sentence: string, offset: number): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  // Clauses end at a comma, semicolon or colon, and at an enumeration comma that closes a figure
  // (`城镇新增就业60万人以上、城镇调查失业率…`), not at one inside a list of names (`城镇、农村居民`).
  for (const piece of sentence.split(/(?<=[，；：,;:])|(?<=(?:\d|%|以上|左右|以内|以下|[万亿]?(?:人|元|斤|吨|亩|个|家|次|所|项))、)/)) {
    if (piece) clauses.push({ text: piece, start: offset + start });
    start += piece.length;
  }
  return clauses;
}

/**
 * Whether the question asks a rate of the indicator a clause names: with several indicators asked, only the
 * words about that one count (`城镇新增就业和失业率`: a rate for 失业率, a count for 新增就业).
 */
function asksRate(intent: QuestionIntent, named?: Indicator | true): boolean {
  if (typeof named !== 'object' || intent.indicators.length < 2) return ASKS_RATE.test(intent.question);
  const others = intent.indicators.filter((indicator) => indicator.id !== named.id).flatMap((indicator) => [...indicator.terms, ...indicator.triggers]);
  // Another indicator's words go with the rate word that follows them (`居民消费价格涨幅`).
  const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const own = [...others]
    .sort((left, right) => right.length - left.length)
    .reduce((text, word) => text.replace(new RegExp(`${escape(word)}(?:指数)?(?:涨幅|增速|增幅|增长率|比重|强度|率)?`, 'gi'), ' '), intent.question);
  return ASKS_RATE.test(own);
}

/** Whether a clause carries an answer of the wanted kind (of the indicator it names, when it names one). */
function hasWanted(text: string, asked: QuestionIntent, named?: Indicator | true): boolean {
  // An indicator's figures come in its own units (`新增就业岗位多少个` is answered in 万人): the unit asked yields to them.
  const intent = typeof named === 'object' && named.figureUnits && asked.askedUnit ? { ...asked, askedUnit: undefined } : asked;
  switch (intent.wanted) {
    case 'amount':
      return intent.askedUnit ? new RegExp(`\\d[\\d.]*\\s*(?:万亿|亿|万|千)?${intent.askedUnit}`).test(text) : AMOUNT.test(text) && (!intent.indicators.some((indicator) => indicator.id === 'gdp_growth') || CURRENCY.test(text));
    case 'count':
      return intent.askedUnit ? new RegExp(`\\d[\\d.]*\\s*(?:万亿|亿|万|千)?${intent.askedUnit}`).test(text) : AMOUNT.test(text);
    case 'rank':
      return RANK.test(text) || HAS_NUMBER.test(text);
    case 'figure':
    case 'verdict':
    case 'yesno':
      // A rate asked (强度, 比重, 增速 …) is answered by a percentage, not by a count in the same clause.
      if (asksRate(intent, named) && !intent.askedUnit) return RATE.test(text) && (typeof named !== 'object' || !named.rateContext || new RegExp(named.rateContext).test(text));
      return intent.askedUnit ? new RegExp(`\\d[\\d.]*\\s*(?:万亿|亿|万|千)?${intent.askedUnit}`).test(text) : HAS_NUMBER.test(text.replace(/(?:19|20)\d{2}年/g, ''));
    default:
      return true;
  }
}

/** Whether a clause's figure is in a unit of the indicator the clause names (when the indicator has units). */
function unitFits(text: string, named: Indicator | true | undefined, intent: QuestionIntent): boolean {
  if (typeof named !== 'object' || !named.figureUnits || !['figure', 'verdict', 'yesno', 'count', 'amount'].includes(intent.wanted)) return true;
  const question = intent.question.toLowerCase();
  const key = Object.keys(named.figureUnits).find((word) => word && question.includes(word)) ?? '';
  return (named.figureUnits[key] ?? []).some((unit) => (unit === '%' ? /\d\s*%/ : new RegExp(`\\d[\\d.]*\\s*(?:万亿|亿|万|千|百)?${unit}`)).test(text));
}

/** Report words that say whom a resident figure is about: urban or rural residents alone, or both (城乡). */
const RESIDENTS_IN_REPORT = { urban: /城镇|城市居民/, rural: /农村|农民|农牧民/ };

/**
 * Whether a clause's figure is of the residents asked (`农村居民人均可支配收入` is not answered by
 * `全体居民人均可支配收入增长6%以上`): for an indicator set apart for urban and rural residents.
 */
function residentsFit(text: string, named: Indicator | true | undefined, intent: QuestionIntent): boolean {
  if (!intent.residents || typeof named !== 'object' || !named.scopeLabels) return true;
  return RESIDENTS_IN_REPORT[intent.residents].test(text) || /城乡/.test(text);
}

/**
 * The asked indicator's figure in a `分别` list (`固定资产投资、社会消费品零售总额分别增长6%、5%`: 5%), read by
 * the targets parser; null when the quote lists several figures and none is the one asked (urban and rural
 * where everyone's was asked); undefined when the quote holds no such list.
 */
function listedFigure(pieces: readonly Clause[], indicator: Indicator | undefined, intent: QuestionIntent): string | null | undefined {
  if (!indicator) return undefined;
  for (const clause of pieces.flatMap((piece) => piece.text.split(/[，；,;]/))) {
    if (!clause.includes('分别')) continue;
    const parsed = parseTargetClause(clause).filter((target) => target.indicator === indicator.id);
    if (parsed.length === 0) continue;
    return parsed.find((target) => target.scope === (intent.residents ?? 'all'))?.value ?? null;
  }
  return undefined;
}

export interface TopicMatcher {
  /** Whether a text (a sentence, or the clauses kept) speaks of the topic. */
  speaksOf: (text: string) => boolean;
  /** The same with the topic's most specific word alone: what the closest statement of a refusal needs. */
  speaksOfLoosely: (text: string) => boolean;
  /** Whether one clause names the topic itself (an indicator word or the core term). */
  names: (clause: string) => Indicator | true | undefined;
  /** What the question is about, for refusals: `房价涨幅`, `地区生产总值`. */
  what: string;
  /** The topic words a quote must name (one per coordinated part of the question). */
  cores: string[];
  /** The topic as the question writes it, when the report uses the phrase: a sentence with it ranks first. */
  phrase?: string;
}

/**
 * The topic as a test on text: the asked indicators (with their report synonyms and excluded look-alikes)
 * and the rarest content word of the topic that the region's report uses at all.
 */
export function topicMatcher(intent: QuestionIntent, reportText: string, idf: (term: string) => number): TopicMatcher {
  // A figure of one of the places asked about is theirs to give, not another place's.
  const subjectNames = intent.subjects.map((entry) => entry.name);
  const indicatorWords = intent.indicators.flatMap((indicator) => indicator.terms.concat(indicator.triggers.filter((word) => /[\u4e00-\u9fff]/.test(word))));
  // With an indicator asked, the indicator is the topic; the other words (`粮食生产`'s 生产) only rank.
  const residual = intent.indicators.length > 0 ? [] : intent.topicTerms.filter((term) => !indicatorWords.some((word) => word.includes(term) || term.includes(word)));
  const byLength = [...residual].sort((left, right) => right.length - left.length || idf(right) - idf(left));
  // The topic as the question writes it (`扩大有效投资`), when the report uses that very phrase.
  const phrase = intent.indicators.length > 0 ? undefined : topicPhrases(intent).filter((run) => run.length >= 4 && reportText.includes(run)).sort((left, right) => right.length - left.length)[0];
  const core = byLength[0];
  const absentCore = core !== undefined && !reportText.includes(core) ? core : undefined;
  // Coordinated topics (`高新技术企业数量和技术合同成交额`) each count: the longest word of each part.
  const cores = [core, ...coordinatedCores(intent.question, byLength)].filter((term, index, all): term is string => term !== undefined && all.indexOf(term) === index);
  const names = (clause: string): Indicator | true | undefined => {
    const indicator = intent.indicators.find((candidate) => mentionsIndicator(clause, candidate, intent.question, subjectNames));
    if (indicator) return indicator;
    if (cores.some((term) => clause.includes(term))) return true;
    if (intent.wanted === 'measures' && residual.some((term) => clause.includes(term))) return true;
    return intent.quoted.some((phrase) => clause.includes(phrase)) ? true : undefined;
  };
  // A topic of several words (`扩大有效投资`, `旅游收入`) is spoken of where two of its words are, not one.
  const maximal = residual.filter((term) => reportText.includes(term) && !residual.some((other) => other !== term && other.includes(term)));
  const required = cores.length === 1 ? Math.min(2, maximal.length) : 0;
  const speaksOfLoosely = (text: string): boolean => {
    const byIndicator = intent.indicators.length === 0 || intent.indicators.some((indicator) => mentionsIndicator(text, indicator, intent.question, subjectNames));
    const byCore = cores.length === 0 || cores.some((term) => text.includes(term));
    const byQuote = intent.quoted.length === 0 || intent.quoted.some((phrase) => text.includes(phrase));
    return byIndicator && byCore && byQuote && (intent.indicators.length > 0 || core !== undefined || intent.quoted.length > 0);
  };
  const speaksOf = (text: string): boolean => speaksOfLoosely(text) && maximal.filter((term) => text.includes(term)).length >= required;
  // What the question is about, in its own words and order (`房价涨幅`), for the refusal.
  const asWritten = topicPhrases(intent).sort((left, right) => right.length - left.length)[0];
  const scoped = intent.residents ? intent.indicators[0]?.scopeLabels?.[intent.residents] : undefined;
  const what = (intent.wanted === 'amount' ? intent.indicators[0]?.terms[0] : (scoped ?? intent.indicators[0]?.label)) ?? asWritten ?? core ?? absentCore ?? intent.topicTerms[0] ?? '';
  return { speaksOf, speaksOfLoosely, names, what, cores, ...(phrase ? { phrase } : {}) };
}

/** Runs of the question made of topic words only (`扩大有效投资` from `有哪些扩大有效投资的举措`). */
function topicPhrases(intent: QuestionIntent): string[] {
  const words = new Set(intent.topicTerms);
  const runs: string[] = [];
  // Runs of Chinese and of the Latin topic words (`新建5G基站`, `PM2.5年均浓度`).
  for (const run of intent.question.split(/[^\u4e00-\u9fffA-Za-z0-9.]+/)) {
    let current = '';
    for (let index = 0; index < run.length; ) {
      const word = [...words].filter((candidate) => run.startsWith(candidate, index)).sort((left, right) => right.length - left.length)[0];
      if (word) {
        current += word;
        index += word.length;
      } else {
        if (current) runs.push(current);
        current = '';
        index++;
      }
    }
    if (current) runs.push(current);
  }
  return runs;
}

/** The longest topic word of each part of a question joined by 和 / 及 / 、 (beyond the first part's). */
function coordinatedCores(question: string, byLength: readonly string[]): string[] {
  const parts = question.split(/和|及|以及|、|与|并且/);
  if (parts.length < 2) return [];
  return parts.flatMap((part) => byLength.filter((term) => part.includes(term)).slice(0, 1));
}

/** The topic the question asks about is not in the region's report at all (its core word or indicator). */
export function topicAbsent(intent: QuestionIntent, reportText: string): boolean {
  const indicatorWords = intent.indicators.flatMap((indicator) => indicator.terms);
  if (intent.indicators.length > 0) return !intent.indicators.some((indicator) => mentionsIndicator(reportText, indicator, intent.question));
  const residual = intent.topicTerms.filter((term) => !indicatorWords.some((word) => word.includes(term) || term.includes(word)));
  // The most specific word of the topic (the longest) must be in the report: 城镇化率, not just 常住人口.
  const core = [...residual].sort((left, right) => right.length - left.length)[0];
  return core !== undefined && !reportText.includes(core);
}

interface Scored {
  passage: Passage;
  sentence: { text: string; start: number };
  clauses: Clause[];
  keep: boolean[];
  indicator?: Indicator;
  score: number;
}

function termScore(tokens: Set<string>, weights: ReadonlyMap<string, number>): number {
  let score = 0;
  for (const [term, weight] of weights) if (tokens.has(term)) score += weight;
  return score;
}

const sentenceCache = new Map<string, { text: string; start: number; tokens: Set<string> }[]>();

function sentencesOf(passage: Passage): { text: string; start: number; tokens: Set<string> }[] {
  // Keyed by id and length: an id reused by a replaced report never returns the old text's sentences.
  const key = `${passage.id}\u0000${passage.text.length}`;
  let sentences = sentenceCache.get(key);
  if (!sentences) {
    sentences = splitSentences(passage.text).map((span) => ({ text: span.text, start: span.start, tokens: new Set(tokenize(span.text)) }));
    if (sentenceCache.size > 20_000) sentenceCache.clear();
    sentenceCache.set(key, sentences);
  }
  return sentences;
}

export interface FindInput {
  intent: QuestionIntent;
  region: string;
  /** The region's passages to look in (all of them, or the retrieved ones), with a bonus for retrieval rank. */
  passages: readonly { passage: Passage; bonus: number }[];
  weights: ReadonlyMap<string, number>;
  topic: TopicMatcher;
}

/** Every sentence of the passages that speaks of the topic, with the clauses that answer marked. */
function scoreSentences(input: FindInput, part: 'plan' | 'review' | undefined): Scored[] {
  const { intent, topic } = input;
  const scored: Scored[] = [];
  for (const { passage, bonus } of input.passages) {
    if (part && passage.part === (part === 'plan' ? 'review' : 'plan')) continue;
    // Measures sit under a heading, or after a lead sentence (`全力做大海洋经济。`), that names the topic without repeating it.
    let afterLead = false;
    for (const sentence of sentencesOf(passage)) {
      const underHeading = intent.wanted === 'measures' && (afterLead || (passage.sectionPath.length > 1 && topic.speaksOf(passage.sectionPath.at(-1)!)));
      if (!topic.speaksOf(sentence.text) && !underHeading) continue;
      if (intent.wanted === 'measures' && isNotAMeasure(sentence.text, passage)) {
        if (topic.speaksOf(sentence.text) && sentence.text.length < 25) afterLead = true;
        continue;
      }
      const clauses = clausesOf(sentence.text, sentence.start);
      const named = clauses.map((clause) => topic.names(clause.text));
      const keep = clauses.map((clause, index) => named[index] !== undefined && hasWanted(clause.text, intent, named[index]) && unitFits(clause.text, named[index], intent) && residentsFit(clause.text, named[index], intent));
      // A `分别` list goes on in clauses of bare figures (`…分别增长6%、` `5%、` `6%左右`): the list is quoted whole.
      for (let index = 1; index < clauses.length; index++) if (keep[index - 1] && /分别/.test(clauses.slice(0, index).map((clause) => clause.text).join('')) && /^\s*\d[\d.]*\s*(?:%|[万亿千]*[^\s，；、]{0,3})?[^，；]{0,6}$/.test(clauses[index]!.text.replace(/[、和及，；,;。]+$/, '')) && !mentionsAnyIndicator(clauses[index]!.text)) keep[index] = true;
      // A clause that only continues an answering one (`，增长5.8%` after a total) is part of the same statement.
      // So is a bare figure after it (`全市地区生产总值增长5.2%、约4.4万亿元`: the growth and the amount).
      for (let index = 1; index < clauses.length; index++) if (keep[index - 1] && (CONTINUES.test(clauses[index]!.text) || /^[约近超达]?\d/.test(clauses[index]!.text)) && HAS_NUMBER.test(clauses[index]!.text) && !mentionsAnyIndicator(clauses[index]!.text)) keep[index] = true;
      // A topic that is not an indicator often lists its figures one after another (`游客接待量突破10亿人次、综合收入突破1万亿元`).
      if (intent.indicators.length === 0) for (let index = 1; index < clauses.length; index++) if (keep[index - 1] && hasWanted(clauses[index]!.text, intent) && HAS_NUMBER.test(clauses[index]!.text) && !mentionsAnyIndicator(clauses[index]!.text)) keep[index] = true;
      // The topic named in a clause of its own, its figures in the clauses after it (`粮食稳产丰收，产量达到555.4亿斤`).
      // For an indicator the clause after must go on about it (产量, 达到, a bare figure), not name a new object:
      // `抓好粮食…稳产保供，建设4万亩高标准农田` states no grain output.
      const continuesTopic = (text: string): boolean => intent.indicators.length === 0 || CONTINUES.test(text) || INCREMENT.test(text) || /^[\d约近超]/.test(text);
      clauses.forEach((clause, index) => {
        if (named[index] === undefined || keep[index] || (hasWanted(clause.text, intent) && unitFits(clause.text, named[index], intent))) return;
        for (let next = index + 1; next < clauses.length && !mentionsAnyIndicator(clauses[next]!.text) && HAS_NUMBER.test(clauses[next]!.text) && continuesTopic(clauses[next]!.text); next++) {
          const text = clauses[next]!.text;
          // A figure of the same statement of another kind or unit is passed over (`粮食种植面积4237.2万亩、新增586.3万亩，
          // 总产2119.2万吨`; `全年地区生产总值迈上新台阶，总量突破5万亿元，增长4.6%` where the growth is asked).
          if (!hasWanted(text, intent, named[index]) || !unitFits(text, named[index], intent)) {
            if (INCREMENT.test(text) || CONTINUES.test(text)) continue;
            break;
          }
          if (!residentsFit(clause.text + text, named[index], intent)) break;
          for (let kept = index; kept <= next; kept++) keep[kept] = true;
        }
      });
      // A topic that is not an indicator is named once and its figures follow (`提质推进天开园建设，…累计达到1500家`).
      if (intent.indicators.length === 0 && !keep.some(Boolean) && named.some((value) => value !== undefined) && ['figure', 'count', 'amount', 'yesno', 'verdict'].includes(intent.wanted)) {
        // A count or an amount is not one of an indicator's (`确保粮食播种面积稳定在8100万亩以上` is no count of 高标准农田).
        const counted = intent.wanted === 'count' || intent.wanted === 'amount';
        clauses.forEach((clause, index) => {
          const figure = hasWanted(clause.text, intent) && (named[index] !== undefined || !counted || !mentionsAnyIndicator(clause.text));
          if (named[index] !== undefined || figure) keep[index] = figure || named[index] !== undefined;
        });
        if (!clauses.some((clause, index) => keep[index] && hasWanted(clause.text, intent))) keep.fill(false);
      }
      const answers = keep.some(Boolean) || underHeading || (['measures', 'fact', 'tasks'].includes(intent.wanted) && hasWanted(sentence.text, intent));
      if (!answers) continue;
      const indicator = named.find((value): value is Indicator => typeof value === 'object');
      const figureBonus = (HAS_NUMBER.test(sentence.text) ? (intent.wanted === 'measures' ? 1 : 0.3) : 0) + (topic.phrase && sentence.text.includes(topic.phrase) ? 2 : 0);
      scored.push({ passage, sentence, clauses, keep, ...(indicator ? { indicator } : {}), score: termScore(sentence.tokens, input.weights) + bonus + figureBonus });
    }
  }
  return scored.sort((left, right) => right.score - left.score || left.passage.ordinal - right.passage.ordinal || left.sentence.start - right.sentence.start);
}

/** The pieces to quote: the answering clauses (with their lead-in when the sentence is short), contiguous runs kept whole. */
function piecesOf(item: Scored, wholeSentence: boolean): Clause[] {
  if (wholeSentence || !item.keep.some(Boolean)) return [{ text: item.sentence.text, start: item.sentence.start }];
  // A short sentence is quoted whole unless it also carries figures the question did not ask for.
  const unrelatedFigure = item.clauses.some((clause, index) => !item.keep[index] && HAS_NUMBER.test(clause.text.replace(/(?:19|20)\d{2}年/g, '')));
  if (item.sentence.text.length <= 60 && !unrelatedFigure) return [{ text: item.sentence.text, start: item.sentence.start }];
  const pieces: Clause[] = [];
  let run: Clause | undefined;
  item.clauses.forEach((clause, index) => {
    if (!item.keep[index]) {
      run = undefined;
      return;
    }
    if (run) run.text += clause.text;
    else {
      run = { ...clause };
      pieces.push(run);
    }
  });
  return pieces.map((piece) => ({ start: piece.start, text: piece.text.replace(/[，；：,;:、]$/, '') }));
}

/** A long sentence of measures, quoted from its first clause on the topic for about LONG_PIECE characters. */
function windowPick(item: Scored, region: string): Pick {
  const first = Math.max(0, item.keep.indexOf(true));
  let text = '';
  for (const clause of item.clauses.slice(first)) {
    if (text.length >= LONG_PIECE) break;
    text += clause.text;
  }
  const start = item.clauses[first]?.start ?? item.sentence.start;
  return { passage: item.passage, region, pieces: [{ start, text: text.replace(/[，；：,;:、]$/, '') }], sentenceStart: item.sentence.start, ...(item.indicator ? { indicator: item.indicator } : {}), score: item.score };
}

function toPick(item: Scored, region: string, wholeSentence: boolean, intent: QuestionIntent): Pick {
  const pieces = piecesOf(item, wholeSentence);
  const figure = listedFigure(pieces, item.indicator, intent);
  return { passage: item.passage, region, pieces, sentenceStart: item.sentence.start, ...(item.indicator ? { indicator: item.indicator } : {}), ...(figure !== undefined ? { figure } : {}), score: item.score };
}

export type Finding = { picks: Pick[] } | { refusal: RefusalReason; closest: Pick[] };

/** The part of the report the question points to, if it points to one. */
function partFor(intent: QuestionIntent): 'plan' | 'review' | undefined {
  if (intent.yearScope === 'review') return 'review';
  if (intent.yearScope === 'plan') return 'plan';
  return undefined;
}

/**
 * What one region's report says in answer: the picks, or the refusal with the closest statement. The
 * year scope and the wanted part are decided here, once.
 */
export function findAnswer(input: FindInput, report: { hasReview: boolean; year: number }): Finding {
  const { intent, region } = input;
  const part = partFor(intent);
  const perIndicator = intent.indicators.length > 1;
  const limit = intent.wanted === 'measures' ? 4 : intent.wanted === 'fact' ? 2 : perIndicator ? intent.indicators.length : input.topic.cores.length > 1 ? input.topic.cores.length : 1;
  // The closest statement: the topic in the asked part first (a rate where a total was asked), then anywhere.
  const closestOf = (): Pick[] => {
    // A related indicator with a figure of the wanted kind first (出口增长5.5%左右 where 进出口 was asked).
    const related = intent.indicators.flatMap((indicator) => (indicator.related ?? []).flatMap((id) => INDICATORS.filter((candidate) => candidate.id === id)));
    if (related.length > 0) {
      const relatedIntent = { ...intent, indicators: related };
      const byRelated = scoreSentences({ ...input, intent: relatedIntent, topic: topicMatcher(relatedIntent, '', () => 0) }, part).filter((item) => item.keep.some(Boolean));
      if (byRelated.length > 0) return byRelated.slice(0, 1).map((item) => toPick(item, region, false, intent));
    }
    // The closest statement may be of other residents than those asked (everyone's income where the rural was asked).
    const { residents: _asked, ...unscoped } = intent;
    const loose = { ...input, intent: { ...unscoped, wanted: 'fact' as const }, topic: { ...input.topic, speaksOf: input.topic.speaksOfLoosely } };
    const samePart = part ? scoreSentences(loose, part) : [];
    const found = samePart.length > 0 ? samePart : scoreSentences(loose, undefined);
    return found.slice(0, 1).map((item) => toPick(item, region, false, intent));
  };
  if (intent.yearScope === 'future' || intent.yearScope === 'plan_year_outcome') {
    const planned = scoreSentences({ ...input, intent: { ...intent, wanted: intent.wanted === 'amount' ? 'figure' : intent.wanted } }, 'plan');
    const year = intent.years.find((candidate) => candidate >= report.year);
    return { refusal: { reason: 'year_not_covered', region, scope: intent.yearScope, ...(year ? { year } : {}) }, closest: planned.slice(0, 1).map((item) => toPick(item, region, false, intent)) };
  }
  if (intent.yearScope === 'review' && !report.hasReview) {
    const planned = scoreSentences({ ...input, intent: { ...intent, wanted: intent.wanted === 'amount' ? 'figure' : intent.wanted } }, 'plan');
    return { refusal: { reason: 'year_not_covered', region, scope: 'no_review' }, closest: planned.slice(0, 1).map((item) => toPick(item, region, false, intent)) };
  }
  // Last year's target: a report's review gives what was achieved, not what was aimed at (that is in the
  // previous year's report, which answers for itself where the corpus holds it). The outcome is the closest.
  if (intent.yearScope === 'review' && !intent.versusLastYear && ASKS_TARGET.test(intent.question) && !ASKS_OUTCOME.test(intent.question)) {
    const reviewed = scoreSentences({ ...input, intent: { ...intent, wanted: intent.wanted === 'amount' ? 'figure' : intent.wanted } }, 'review');
    return { refusal: { reason: 'year_not_covered', region, scope: 'review_target', year: report.year - 1 }, closest: reviewed.slice(0, 1).map((item) => toPick(item, region, false, intent)) };
  }
  let scored = scoreSentences(input, part);
  // Measures asked with no year are the plan's (what will be done); the review's achievements only where the plan has none.
  if (intent.wanted === 'measures' && part === undefined && scored.some((item) => item.passage.part === 'plan')) scored = scored.filter((item) => item.passage.part === 'plan');
  const otherYear = intent.yearScope === 'other' ? intent.years.find((year) => year !== report.year && year !== report.year - 1) : undefined;
  if (otherYear !== undefined) scored = scored.filter((item) => item.sentence.text.includes(String(otherYear)));
  const answering = scored.filter((item) => item.keep.some(Boolean) || ['measures', 'fact', 'tasks'].includes(intent.wanted));
  if (answering.length === 0) {
    if (otherYear !== undefined) return { refusal: { reason: 'year_not_covered', region, scope: 'other', year: otherYear }, closest: [] };
    const closest = closestOf();
    return { refusal: { reason: closest.length > 0 ? 'near_miss' : 'topic_absent', region, what: input.topic.what }, closest };
  }
  const chosen: Scored[] = [];
  if (perIndicator) {
    for (const indicator of intent.indicators) {
      const best = answering.find((item) => item.indicator?.id === indicator.id && !chosen.includes(item));
      if (best) chosen.push(best);
    }
  }
  const perCore = input.topic.cores.length > 1;
  if (perCore) {
    for (const term of input.topic.cores) {
      const best = answering.find((item) => item.sentence.text.includes(term) && !chosen.includes(item));
      if (best) chosen.push(best);
    }
  }
  for (const item of answering) {
    if (chosen.length >= limit) break;
    if (chosen.includes(item)) continue;
    if (chosen.length > 0 && item.score < chosen[0]!.score * 0.5) break;
    // A second pick for one indicator must add a different figure, not repeat the first.
    if (chosen.some((other) => other.passage.id === item.passage.id && other.sentence.start === item.sentence.start)) continue;
    chosen.push(item);
  }
  const whole = intent.wanted === 'measures' || intent.wanted === 'fact';
  const picks = chosen.map((item) => (whole && item.sentence.text.length > LONG_PIECE * 2 ? windowPick(item, region) : toPick(item, region, whole, intent)));
  // A named plan asked about (`“1269”行动计划是什么`): the sentence that names it and the one that spells it out.
  const first = chosen[0];
  if (first && intent.quoted.length > 0 && whole && picks.length < limit + 1) {
    const sentences = sentencesOf(first.passage);
    const next = sentences[sentences.findIndex((sentence) => sentence.start === first.sentence.start) + 1];
    if (next && !picks.some((pick) => pick.passage.id === first.passage.id && pick.sentenceStart === next.start)) {
      picks.splice(1, 0, { passage: first.passage, region, pieces: [{ text: next.text, start: next.start }], sentenceStart: next.start, score: first.score });
    }
  }
  return { picks };
}

/** The quoted text of a pick, as it appears in the answer. */
export function quoteOf(pick: Pick): string {
  return pick.pieces.map((piece) => piece.text.replace(/[。；;，,：:、]+$/, '')).join('……');
}
