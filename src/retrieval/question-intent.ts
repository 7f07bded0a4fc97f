// Question understanding, computed once per question and read by retrieval, the refusal decision,
// sentence selection and the model prompt: the normalized standalone text, the subject region(s) told
// apart from places mentioned as objects, region groups, the year and the part of the report it points
// to, the kind of answer wanted, the topic, and what a follow-up carried over from the conversation.
import { normalizeQuestionText, isTraditional } from '../corpus/normalize-text.ts';
import { findPlaces, type PlaceMention } from '../corpus/places.ts';
import { findRegionGroups, type RegionGroup } from '../corpus/region-groups.ts';
import { getRegion, resolveRegion, type RegionEntry } from '../corpus/regions.ts';
import { normalizeDigits } from '../corpus/clean-text.ts';
import type { Turn } from '../types.ts';
import { analyzeQuery, isEnglish, type QueryAnalysis } from './analyze-query.ts';
import { GENERIC_TOPIC_WORDS, LATIN_TOPIC_TERMS, OUT_OF_SCOPE, RESIDENT_WORDS, WANTED_PATTERNS } from './lexicon.ts';
import { words } from '../index/tokenize.ts';

/** What kind of answer the question wants. */
export type WantedKind = 'figure' | 'amount' | 'rank' | 'count' | 'measures' | 'tasks' | 'verdict' | 'yesno' | 'fact';

/** Where the asked year sits against the corpus: the plan year, the review year, or outside both. */
export type YearScope = 'plan' | 'review' | 'plan_year_outcome' | 'future' | 'other' | 'unspecified';

export interface QuestionIntent extends QueryAnalysis {
  /** The question as asked. */
  asked: string;
  /** Subject regions of the table (in the corpus or not), in the question's order; a group expands here. */
  subjects: RegionEntry[];
  /** Regions the question mentions as objects (天津 taking over functions *from 北京*, a rank *in 全国*). */
  objects: RegionEntry[];
  group?: RegionGroup;
  /** Names read as a region one character off: `苏洲` → 苏州市. */
  approximations: { written: string; region: string }[];
  /** Named subject places the table does not know or the corpus lacks no report of (臺灣 → 台湾省 is known). */
  unknownPlaces: string[];
  /** The region sent beside the question (the page's picker, `region` in the API), and whether the question overrode it. */
  hint?: { region: string; overridden: boolean };
  yearScope: YearScope;
  wanted: WantedKind;
  /** A target set against last year's outcome (`今年新增就业目标比去年实际多还是少？`): both parts are read. */
  versusLastYear?: boolean;
  /** Urban or rural residents alone (`农村居民人均可支配收入`); left out when both or neither are named. */
  residents?: 'urban' | 'rural';
  /** Content words of the topic, beyond the indicators (`房价`, `高标准农田`). */
  topicTerms: string[];
  /** The question asks something the reports never cover (a person's biography, share prices, the weather). */
  outOfScope?: string;
  /** What a follow-up took from the conversation. */
  carried: { region: boolean; topic: boolean };
  traditional: boolean;
}

export interface UnderstandRequest {
  question: string;
  history?: readonly Turn[];
  /** A region hint (the page's picker, the API's `region`): used only when the question names no place. */
  region?: string;
  /**
   * The report years (plan years) the question may mean: those the corpus holds, or a function giving those
   * of the regions the question turns out to be about (`2025年` for a region whose latest report is 2024 is a
   * year not covered), so that the question is understood once.
   */
  years?: readonly number[] | ((regions: readonly RegionEntry[]) => readonly number[]);
}

/** Words that make a place name part of a named zone or area (`苏州工业园区`, `浦东新区`, `长株潭都市圈`). */
const ZONE_AFTER = /^(?:工业园区|园区|新区|高新区|高新技术产业开发区|经开区|经济技术开发区|开发区|自贸区|自贸试验区|自由贸易试验区|片区|都市圈|城市群|综合保税区|综保区|港区|保税港区)/;

/** A follow-up that compares with what was asked before: `和重庆比呢`, `跟浙江相比哪个高`, `compared with Zhejiang?`. */
const FOLLOW_UP_COMPARISON = /^(?:那|那么)?(?:和|与|跟|同|比)|相比|对比|比较|哪个(?:更)?(?:高|低|大|多|快)|谁(?:更)?(?:高|低|大|多|快)|compared? (?:with|to)|versus|\bvs\b|higher|lower/i;

/** A comparison with last year's outcome: `比去年实际多还是少`, `和去年相比`, `compared with last year`. */
const VERSUS_LAST_YEAR = /(?:比|和|与|较|同|跟)(?:去年|上年|上一年)(?:的)?(?:实际|完成|实绩)?(?:相比|比|数)?(?:多|少|高|低|快|慢|增|减|相比|怎么样|如何|呢)|比(?:去年|上年)实际|compar(?:e|ed|es)(?: it)? (?:with|to) last year|than last year(?:'s| actual)?/i;

/** Latin words that name an indicator rather than a topic of their own. */
const INDICATOR_ACRONYMS = /^(?:GDP|CPI|PPI|PMI|FDI|R&D)$/i;

/** Connectors between coordinated regions: `江苏和浙江`, `辽宁、吉林`, `Xinjiang or Jilin`. */
const COORDINATOR = /^\s*(?:和|与|及|以及|跟|同|、|，|,|\/|或|还是|对比|比|vs\.?|and|or|versus|&)\s*$/i;
/** Words that make the other named regions part of a comparison rather than objects. */
const COMPARISON = /比较|对比|相比|比(?!重|例|率)|高于|低于|谁|哪个(?:更|高|低|大|多|快)|哪一个|分别|各(?:自|是|为)|compare|versus|\bvs\b|than\b|which (?:has|is|one|of)|higher|lower|both/i;
const NATIONAL_AS_RANK = /(?:在|居|列|占|位居|稳居|排)全国|全国(?:第|首位|前列|排名|排第|平均|水平|占比)|nationwide rank|in the country|in china/i;
const TIME_WORDS = /今年|去年|上年|上一年|明年|本年|全年|前年|(?:19|20)\d{2}\s*年?|this year|last year|next year|in (?:19|20)\d{2}/gi;

function placeOf(mention: PlaceMention): { entry?: RegionEntry; unknown?: string } {
  return mention.entry ? { entry: mention.entry } : mention.unknown ? { unknown: mention.unknown } : {};
}

interface Subjects {
  subjects: PlaceMention[];
  objects: PlaceMention[];
  group?: RegionGroup;
}

/** Tells the subject places from the objects: the first place and those coordinated with it, or all in a comparison. */
function splitSubjects(text: string, places: PlaceMention[], groups: ReturnType<typeof findRegionGroups>): Subjects {
  // A group mention covers the places inside it (`京津冀` names no place twice).
  const outside = places.filter((place) => !groups.some((group) => place.index >= group.index && place.index < group.index + group.length));
  const firstGroup = groups[0];
  if (firstGroup && (outside.length === 0 || firstGroup.index < outside[0]!.index)) {
    return { subjects: [], objects: outside, group: firstGroup.group };
  }
  if (outside.length === 0) return { subjects: [], objects: [] };
  const comparison = COMPARISON.test(text);
  const subjects: PlaceMention[] = [outside[0]!];
  const objects: PlaceMention[] = [];
  for (let position = 1; position < outside.length; position++) {
    const place = outside[position]!;
    const previous = outside[position - 1]!;
    const between = text.slice(previous.index + previous.length, place.index);
    const coordinated = COORDINATOR.test(between) && subjects.includes(previous);
    const nationalRank = place.entry?.level === 'national' && NATIONAL_AS_RANK.test(text.slice(Math.max(0, place.index - 2), place.index + place.length + 3));
    if (!nationalRank && (coordinated || (comparison && place.entry))) subjects.push(place);
    else objects.push(place);
  }
  return { subjects, objects };
}

function wantedKind(text: string, analysis: QueryAnalysis): WantedKind {
  if (analysis.intent === 'summary') return 'tasks';
  for (const [kind, pattern] of WANTED_PATTERNS) if (pattern.test(text)) return kind as WantedKind;
  return 'fact';
}

function yearScopeOf(text: string, analysis: QueryAnalysis, planYears: readonly number[]): YearScope {
  const latest = Math.max(...planYears);
  const outcome = /实际|完成了|实现了|跑出|达到了|最终|全年实现|actual|achieved|turned out/i.test(text);
  const written = analysis.years.filter((year) => year >= 2000 && year < 2100);
  if (written.some((year) => year > latest)) return 'future';
  if (written.includes(latest) && outcome) return 'plan_year_outcome';
  if (written.some((year) => planYears.includes(year))) return 'plan';
  if (written.some((year) => planYears.includes(year + 1))) return 'review';
  if (written.length > 0) return 'other';
  if (analysis.yearIntent === 'review') return 'review';
  if (analysis.yearIntent === 'plan') return 'plan';
  return 'unspecified';
}

/** The topic's content words: the question without places, time words, question words and generic words. */
export function topicTermsOf(text: string, places: readonly { index: number; length: number }[]): string[] {
  let rest = text;
  for (const place of [...places].sort((left, right) => right.index - left.index)) rest = `${rest.slice(0, place.index)} ${rest.slice(place.index + place.length)}`;
  rest = rest.replace(TIME_WORDS, ' ');
  const terms = words(rest).filter((token) => token.length >= 2 && !GENERIC_TOPIC_WORDS.has(token) && !/^[千万亿百十]+(?:元|人|个)?$/.test(token));
  // Latin names in a Chinese question (`5G`, `AI`, `QFLP`) are topic words as written; an indicator's (GDP) is not.
  const latin = /[\u4e00-\u9fff]/.test(rest)
    ? [...rest.matchAll(/(?<![A-Za-z0-9&.])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{2,}(?:\.\d+)?(?![A-Za-z0-9&])/g)]
        .map((match) => match[0])
        .filter((token) => !INDICATOR_ACRONYMS.test(token))
        .map((token) => LATIN_TOPIC_TERMS[token.toLowerCase()] ?? token)
    : [];
  return [...new Set([...terms, ...latin])];
}

/** The previous user turn and the intent it had, for follow-ups. */
function previousQuestion(history: readonly Turn[]): string | undefined {
  return [...history].reverse().find((turn) => turn.role === 'user')?.content;
}

/** The last two regions a history asked about (one each per question, latest first), for a comparison. */
function comparedRegions(history: readonly Turn[]): string[] {
  const names: string[] = [];
  for (const turn of [...history].reverse()) {
    if (turn.role !== 'user') continue;
    for (const name of carriedRegions([turn])) if (!names.includes(name)) names.push(name);
    if (names.length >= 2) return names.slice(0, 2).reverse();
  }
  return names.length > 0 ? names : carriedRegions(history);
}

/** Region (canonical names) a history names as its subject, latest first. */
function carriedRegions(history: readonly Turn[]): string[] {
  for (const turn of [...history].reverse()) {
    const text = normalizeQuestionText(turn.content);
    const places = findPlaces(text);
    const groups = findRegionGroups(text);
    const { subjects, group } = splitSubjects(text, places, groups);
    if (group) return group.members;
    const names = subjects.flatMap((subject) => (subject.entry ? [subject.entry.name] : []));
    if (names.length > 0) return names;
  }
  return [];
}

export function understandQuestion(request: UnderstandRequest): QuestionIntent {
  const history = request.history ?? [];
  const yearsFor = (regions: readonly RegionEntry[]): readonly number[] => {
    const years = typeof request.years === 'function' ? request.years(regions) : request.years;
    return years && years.length > 0 ? years : [2024];
  };
  const normalized = normalizeDigits(normalizeQuestionText(request.question));
  const places = findPlaces(normalized);
  const groups = findRegionGroups(normalized);
  const split = splitSubjects(normalized, places, groups);
  const hint = request.region !== undefined ? resolveRegion(normalizeQuestionText(request.region)) : undefined;

  // A place abroad or one the corpus lacks that is not the question's subject (`全国对美国出口`, `江苏对苏州工业园区`)
  // is part of its topic, not a place to answer for; so is a region naming a zone (`苏州高新区`).
  const notTopic = (text: string, mentions: readonly PlaceMention[]): PlaceMention[] => {
    const subjectsOf = splitSubjects(text, [...mentions], findRegionGroups(text)).subjects;
    const isSubject = (place: PlaceMention): boolean => subjectsOf.some((subject) => subject.index === place.index);
    // A region of the corpus as an object (天津承接北京…) leaves the topic; a place the corpus lacks (台湾, 吉林市) stays in it.
    return mentions.filter((place) => isSubject(place) || (!place.unknown && place.entry?.inCorpus !== false && !ZONE_AFTER.test(text.slice(place.index + place.length))));
  };
  // Follow-ups: the region and the topic the question leaves out come from the conversation.
  const ownTopic = topicTermsOf(normalized, [...notTopic(normalized, places), ...groups]);
  const probe = analyzeQuery(normalized, { regions: [] });
  const previous = previousQuestion(history);
  // The previous question as it was understood (itself perhaps a follow-up), not as it was typed.
  const before = previous ? history.slice(0, history.map((turn) => turn.content).lastIndexOf(previous)) : [];
  const previousIntent = previous ? understandQuestion({ question: previous, history: before, ...(request.years ? { years: request.years } : {}) }) : undefined;
  // A follow-up naming only a part of the previous topic (`去年实际产量呢？` after 粮食产量) keeps that topic.
  const previousWords = previousIntent ? [...previousIntent.topicTerms, ...previousIntent.indicators.flatMap((indicator) => indicator.terms)] : [];
  const narrowsPrevious = probe.indicators.length === 0 && ownTopic.length > 0 && ownTopic.every((term) => previousWords.some((word) => word !== term && word.includes(term)));
  const topicless = (probe.indicators.length === 0 && ownTopic.length === 0 && probe.intent !== 'summary') || narrowsPrevious;
  let standalone = normalized;
  const carried = { region: false, topic: false };
  if (previous && previousIntent && topicless) {
    const previousText = previousIntent.question;
    const previousPlaces = [...findPlaces(previousText), ...findRegionGroups(previousText)];
    let previousTopic = previousText;
    for (const place of [...previousPlaces].sort((left, right) => right.index - left.index)) previousTopic = `${previousTopic.slice(0, place.index)}${previousTopic.slice(place.index + place.length)}`;
    // The previous year travels with the topic unless the new question names its own (`那今年的目标呢？`).
    if (new RegExp(TIME_WORDS.source, 'i').test(normalized)) previousTopic = previousTopic.replace(TIME_WORDS, ' ');
    previousTopic = previousTopic.replace(/[？?。！!]+\s*$/, '');
    if (previousTopic.trim()) {
      standalone = `${standalone} ${previousTopic.trim()}`;
      carried.topic = true;
    }
  }
  // A follow-up that names no year speaks of the year of the question before it (`新增就业呢？` after 今年…).
  if (previous && previousIntent && !carried.topic && !new RegExp(TIME_WORDS.source, 'i').test(normalized)) {
    const previousYear = new RegExp(TIME_WORDS.source, 'i').exec(previousIntent.question)?.[0];
    if (previousYear) standalone = `${standalone} ${previousYear}`;
  }
  let subjects: RegionEntry[] = [];
  const unknownPlaces: string[] = [];
  const approximations: { written: string; region: string }[] = [];
  if (split.group) subjects = split.group.members.map((name) => getRegion(name)!).filter(Boolean);
  for (const subject of split.subjects) {
    const place = placeOf(subject);
    if (place.entry) {
      if (!subjects.includes(place.entry)) subjects.push(place.entry);
      if (subject.approximate) approximations.push({ written: subject.written, region: place.entry.name });
    } else if (place.unknown) unknownPlaces.push(place.unknown);
  }
  const namedPlace = subjects.length > 0 || unknownPlaces.length > 0;
  // A follow-up comparing with one new place (`和重庆比哪个高？` after a question about 四川) keeps the region before it.
  if (namedPlace && previous && topicless && subjects.length === 1 && unknownPlaces.length === 0 && FOLLOW_UP_COMPARISON.test(normalized)) {
    const before = carriedRegions(history).map((name) => getRegion(name)!).filter((entry) => entry && entry !== subjects[0]);
    if (before.length > 0) {
      subjects = [...before, ...subjects];
      carried.region = true;
    }
  }
  if (!namedPlace && hint) subjects = [hint];
  else if (!namedPlace && previous) {
    // A comparison naming no place (`哪个更低？`, `Which one is lower?`) is between the last two regions asked about.
    const names = topicless && FOLLOW_UP_COMPARISON.test(normalized) ? comparedRegions(history) : carriedRegions(history);
    if (names.length > 0) {
      subjects = names.map((name) => getRegion(name)!).filter(Boolean);
      carried.region = true;
    }
  }
  // A specific region named beside 全国 (`江苏落实国家战略`) asks about that region, unless 全国 is coordinated with it.
  const analysis = analyzeQuery(standalone, { regions: subjects.filter((entry) => entry.level !== 'national' || subjects.length === 1 || split.subjects.some((subject) => subject.entry === entry)) });
  const english = isEnglish(normalized) || (carried.topic && isEnglish(request.question));
  // A broad word (`就业方面`, `研发`) names a field, not the indicator: its sentences count, not only the target's.
  const lowerStandalone = standalone.toLowerCase();
  const broad = analysis.indicators.filter((indicator) => !indicator.terms.some((term) => lowerStandalone.includes(term.toLowerCase())) && indicator.triggers.some((word) => /^[\u4e00-\u9fff]{2}$/.test(word) && lowerStandalone.includes(word)));
  const broadWords = broad.flatMap((indicator) => indicator.triggers.filter((word) => /^[\u4e00-\u9fff]{2}$/.test(word) && lowerStandalone.includes(word)));
  analysis.indicators = analysis.indicators.filter((indicator) => !broad.includes(indicator));
  const ownTerms = topicTermsOf(standalone, [...notTopic(standalone, findPlaces(standalone)), ...findRegionGroups(standalone)]);
  // English questions name their topic in English: the lexicon's report terms stand in for it.
  const topicTerms = broadWords.length > 0 ? [...new Set([...broadWords, ...ownTerms.filter((term) => !broadWords.some((word) => term.includes(word)))])] : ownTerms.length > 0 ? ownTerms : analysis.expansions.filter((term) => !GENERIC_TOPIC_WORDS.has(term) && !analysis.indicators.some((indicator) => indicator.terms.includes(term)));
  const outOfScope = OUT_OF_SCOPE.find(([, pattern]) => pattern.test(normalized))?.[0];
  const urban = RESIDENT_WORDS.urban.test(standalone);
  const rural = RESIDENT_WORDS.rural.test(standalone);
  const residents = urban !== rural && !/城乡/.test(standalone) ? (urban ? 'urban' : 'rural') : undefined;
  const versusLastYear = VERSUS_LAST_YEAR.test(normalized);
  return {
    ...analysis,
    question: standalone,
    english,
    asked: request.question,
    subjects,
    objects: split.objects.flatMap((object) => (object.entry ? [object.entry] : [])),
    ...(split.group ? { group: split.group } : {}),
    approximations,
    unknownPlaces,
    ...(hint ? { hint: { region: hint.name, overridden: namedPlace && !subjects.includes(hint) } } : {}),
    yearScope: yearScopeOf(standalone, analysis, yearsFor(analysis.regions)),
    wanted: wantedKind(standalone, analysis),
    ...(residents ? { residents } : {}),
    ...(versusLastYear ? { versusLastYear } : {}),
    topicTerms,
    ...(outOfScope ? { outOfScope } : {}),
    carried,
    traditional: isTraditional(request.question),
  };
}

const WANTED_WORDS: Record<WantedKind, string> = {
  figure: 'a figure (a rate or a number with its unit)',
  amount: 'an absolute amount with its unit (not a growth rate, not a per-capita figure)',
  rank: 'a rank or position',
  count: 'a count with its unit',
  measures: 'the concrete measures planned, with their numbers',
  tasks: 'the list of key tasks',
  verdict: 'a comparison with a verdict computed from the figures',
  yesno: 'yes or no, with the figure that decides it',
  fact: 'the statement that answers it',
};

/** What is asked, in one line, for the model's prompt: regions, year and part, kind of answer, topic. */
export function describeAsked(intent: QuestionIntent): string {
  const regions = intent.subjects.length > 0 ? intent.subjects.map((entry) => entry.name).join('、') : 'no region named (the national report, 全国)';
  const when = { plan: 'the plan year (targets and tasks)', review: 'the previous year (its outcomes, in the review)', plan_year_outcome: 'outcomes of the plan year, which reports written at its start do not have', future: 'a year after the latest report', other: `the year ${intent.years.join(', ')}`, unspecified: 'any year' }[intent.yearScope];
  const topic = [...intent.indicators.map((indicator) => indicator.label), ...intent.topicTerms].join('、') || intent.question;
  return `region: ${regions}; year: ${when}; wanted: ${WANTED_WORDS[intent.wanted]}; topic: ${topic}`;
}
