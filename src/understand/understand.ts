// Understanding a request, once: the question (with its history and the page's region) becomes one
// typed intent — whether it is in scope, the subject regions told apart from places mentioned as
// objects, the year scope against the years the corpus holds, the asks (each with its topic and the kind
// of answer it wants), how it is answered (one region, a comparison, across regions, key tasks) and what a
// follow-up carried from the intent before it. Everything downstream reads the intent, never the text.
import { isTraditional, normalizeQuestionText } from '../corpus/normalize-text.ts';
import { normalizeDigits } from '../corpus/clean-text.ts';
import { findPlaces, type PlaceMention } from '../corpus/places.ts';
import { findGazetteerPlaces } from '../corpus/gazetteer.ts';
import { findRegionGroups, type RegionGroup } from '../corpus/region-groups.ts';
import { getRegion, resolveRegion, type RegionEntry } from '../corpus/regions.ts';
import { ACROSS, cue, englishNoun, KIND_RULES, REPORT, SCOPE_RULES, TERMS, TIME, UNITS, type AnswerKind } from '../lexicon/lexicon.ts';
import type { Turn } from '../types.ts';
import type { Across, AcrossAsk, Ask, Intent, Ranking, Shape, YearScope } from './intent.ts';
import { blank, englishPhraseSpans, hasEnglishWord, hyphenatedNames, isVerbLike, readConcepts, type PlacedConcept, type Vocabulary } from './topic.ts';

export interface UnderstandRequest {
  question: string;
  history?: readonly Turn[];
  /** The page's picker or the API's `region`: used only when the question names no place. */
  region?: string;
}

export interface UnderstandContext extends Vocabulary {
  /** The report years the corpus holds, ascending. */
  years: readonly number[];
  /** The report years a region's reports are of, ascending ([] when it has none). */
  yearsOf(region: string): readonly number[];
}

/** Whether a text is English rather than Chinese (more than twice as many Latin letters as characters). */
export function isEnglish(text: string): boolean {
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  const hanzi = (text.match(/[\u3400-\u9fff]/g) ?? []).length;
  return latin > hanzi * 2;
}

const fresh = (pattern: RegExp): RegExp => new RegExp(pattern.source, pattern.flags);

interface Subjects {
  subjects: PlaceMention[];
  objects: PlaceMention[];
  group?: RegionGroup;
}

/**
 * Whether a place's possessed noun is another place's too (China's GDP and Shanghai's GDP): the two are asked
 * about alike, neither is the frame of the other.
 */
function possessedAlike(text: string, place: PlaceMention, places: readonly PlaceMention[]): boolean {
  const possessed = (mention: PlaceMention): string => cue('places.possessed').exec(text.slice(mention.index + mention.length))?.[1]?.toLowerCase() ?? '';
  const own = possessed(place);
  return own !== '' && places.some((other) => other !== place && possessed(other) === own);
}

/** Tells the subject places from the objects: the first place and those coordinated with it, or all in a comparison. */
function splitSubjects(text: string, places: readonly PlaceMention[], groups: ReturnType<typeof findRegionGroups>, hinted: boolean): Subjects {
  // A group mention covers the places inside it (京津冀 names no place twice); 全国 as the frame of a rank
  // (全国哪个省…, 居全国第三) is no place asked about.
  const outside = places.filter(
    (place) =>
      !groups.some((group) => place.index >= group.index && place.index < group.index + group.length) &&
      !(place.entry?.level === 'national' && cue('places.national_as_rank').test(text.slice(Math.max(0, place.index - 2), place.index + place.length + 3))) &&
      !(place.entry?.level === 'national' && (hinted || places.some((other) => other.entry?.level !== 'national')) && cue('places.national_as_whole').test(text.slice(place.index, place.index + place.length + 8)) && !possessedAlike(text, place, places)),
  );
  // 全国 / national qualifying a thing of another place named (national 'little giant' firms of Suzhou, 全国文明城市),
  // neither coordinated with it nor compared: no place asked about.
  const regional = outside.filter((place) => place.entry && place.entry.level !== 'national');
  if (regional.length > 0 && !cue('compare.any').test(text)) {
    for (const national of outside.filter((place) => place.entry?.level === 'national')) {
      const coordinated = regional.some((other) => {
        const [first, second] = other.index < national.index ? [other, national] : [national, other];
        return cue('places.coordinator').test(text.slice(first.index + first.length, second.index)) || possessedAlike(text, national, [other]);
      });
      if (!coordinated) outside.splice(outside.indexOf(national), 1);
    }
  }
  const firstGroup = groups[0];
  if (firstGroup && (outside.length === 0 || firstGroup.index < outside[0]!.index)) return { subjects: [], objects: outside, group: firstGroup.group };
  if (outside.length === 0) return { subjects: [], objects: [] };
  const comparison = cue('compare.any').test(text);
  // (An English place after an auxiliary, does Tianjin aim, is the subject, a place named before it an object.)
  const subjectAt = comparison ? -1 : outside.findIndex((place, position) => position > 0 && place.entry && cue('places.english_subject').test(text.slice(0, place.index)));
  if (subjectAt > 0) return { subjects: [outside[subjectAt]!], objects: outside.filter((_, position) => position !== subjectAt) };
  const subjects: PlaceMention[] = [outside[0]!];
  const objects: PlaceMention[] = [];
  for (let position = 1; position < outside.length; position++) {
    const place = outside[position]!;
    const previous = outside[position - 1]!;
    const between = text.slice(previous.index + previous.length, place.index);
    const coordinated = (cue('places.coordinator').test(between) || possessedAlike(text, previous, [place])) && subjects.includes(previous);
    const nationalRank = place.entry?.level === 'national' && cue('places.national_as_rank').test(text.slice(Math.max(0, place.index - 2), place.index + place.length + 3));
    if (!nationalRank && (coordinated || (comparison && place.entry))) subjects.push(place);
    else objects.push(place);
  }
  return { subjects, objects };
}

/** The first kind rule that matches, else a statement. */
function kindOf(text: string): AnswerKind {
  return KIND_RULES.find((rule) => rule.pattern.test(text))?.kind ?? 'statement';
}

/** Years written and years named in words, in the question's order of kinds. */
function readTime(text: string): { written: number[]; relative: number[]; periods: { first: number; last: number }[] } {
  const written = [...text.matchAll(fresh(TIME.written.pattern))].map((match) => Number(match[1])).filter((year) => year >= 1949 && year < 2100);
  const relative = TIME.relative.filter((rule) => rule.pattern.test(text)).map((rule) => rule.offset);
  const periods = TIME.periods.filter((period) => period.pattern.test(text)).map(({ first, last }) => ({ first, last }));
  return { written, relative, periods };
}

/**
 * Where the asked year sits against the reports of the subject regions (their report years; the corpus's when
 * none is named): the plan year, the year before it (the review), an outcome of the plan year (which a report
 * written at its start does not have), a later year, or another year.
 */
function yearScopeOf(time: { written: number[]; relative: number[] }, outcome: boolean, target: boolean, planYears: readonly number[], text: string): YearScope {
  const latest = Math.max(...planYears);
  const { written } = time;
  if (written.some((year) => year > latest)) return 'future';
  if (written.includes(latest) && outcome && !planYears.includes(latest + 1)) return 'plan_year_outcome';
  if (written.some((year) => planYears.includes(year))) return 'plan';
  if (written.some((year) => planYears.includes(year + 1))) return 'review';
  if (written.length > 0) return 'other';
  if (time.relative.includes(1)) return 'future';
  if (time.relative.includes(-2) && !time.relative.includes(-1)) return 'other';
  if (time.relative.includes(-1)) return 'review';
  if (time.relative.includes(0)) return 'plan';
  if (outcome && !target) return 'review';
  if (target || TIME.plan.pattern.test(text)) return 'plan';
  if (TIME.review.pattern.test(text)) return 'review';
  return 'unspecified';
}

/** What is out of scope, whatever came before: a rule's reason, or noise (no word of Chinese or English). */
function outOfScopeOf(text: string, context: UnderstandContext): string | undefined {
  const rule = SCOPE_RULES.find((candidate) => candidate.pattern.test(text));
  if (rule) return rule.reason;
  if (/[\u3400-\u9fff]/.test(text)) return undefined;
  if (!/[A-Za-z]/.test(text)) return /\d/.test(text) ? undefined : 'noise';
  return hasEnglishWord(text, context) ? undefined : 'noise';
}

/** The asks of one sub-question: one per indicator named, or per coordinated part with a topic of its own. */
function asksOf(part: string, offset: number, concepts: readonly PlacedConcept[], whole: string, english: boolean): { concepts: PlacedConcept[]; span: string }[] {
  const named = concepts.filter((concept) => concept.index >= offset && concept.index < offset + part.length);
  // The whole of a share asked (GDP of R&D spending as a share of GDP) is no ask of its own: beside another indicator,
  // the share's own (研发经费投入强度 is of GDP), it leaves the topic, as 占GDP比重 does in Chinese.
  const wholeOfShare = (concept: PlacedConcept): boolean => concept.indicator !== undefined && cue('asks.share_whole').test(whole.slice(Math.max(0, concept.index - 40), concept.index));
  // (So in a sub-question after another whose only indicator is the whole, and what share of provincial GDP did it make
  // up: it, and the words before the whole, are of the topic before.)
  const shareWhole = offset > 0 && !named.some((concept) => concept.indicator && !wholeOfShare(concept)) ? named.find(wholeOfShare) : undefined;
  const inside = shareWhole ? named.filter((concept) => concept.index > shareWhole.index) : named.some((concept) => concept.indicator && !wholeOfShare(concept)) ? named.filter((concept) => !wholeOfShare(concept)) : named;
  const indicators = inside.filter((concept) => concept.indicator);
  if (indicators.length >= 2) {
    // Each indicator with the words up to the next one (城镇新增就业和失业率: a rate for 失业率 only).
    const asks = indicators.map((concept, position) => {
      const next = indicators[position + 1];
      const end = next ? next.index : offset + part.length;
      const others = inside.filter((other) => !other.indicator && other.index > concept.index && other.index < end);
      return { concepts: [concept, ...others], span: whole.slice(concept.index, end) };
    });
    // A topic listed before them (investment, retail sales and …) is an ask of its own.
    const first = indicators[0]!;
    const leading = inside.filter((concept) => !concept.indicator && !concept.verb && concept.index < first.index);
    const listed = leading.length > 0 && cue('asks.coordinator').test(whole.slice(leading.at(-1)!.index + leading.at(-1)!.length, first.index));
    return listed ? [{ concepts: leading, span: whole.slice(leading[0]!.index, first.index) }, ...asks] : asks;
  }
  // Coordinated topics (高新技术企业数量和技术合同成交额): each part with a content word of its own (in English, not
  // a verb alone: attract and retain graduates is one ask; jieba's verbs of a Chinese question are often nouns, 托育).
  // (Not inside an apposition between dashes or brackets: the 'new three' — EVs, lithium batteries and solar products —
  // names one thing; nor inside quotation marks: the "three highlands and four new" strategy.)
  // (Nor urban and rural residents named together: each is asked, see residents.each.)
  const apposition = part
    .replace(/[—–-]{1,2}\s[^—–]*?\s[—–-]{1,2}|[（(][^）)]*[）)]|"[^"]+"|“[^”]+”|「[^」]+」/g, (span) => '\u0000'.repeat(span.length))
    .replace(fresh(cue('residents.each')), (span) => '\u0000'.repeat(span.length));
  const pieces = [...apposition.split(fresh(cue('asks.coordinator')))].filter((piece) => piece !== undefined && piece.trim() !== '').map((piece) => {
    const at = apposition.indexOf(piece);
    return part.slice(at, at + piece.length);
  });
  // (In English one of them may be an indicator: R&D intensity and technology-contract turnover. A Chinese question
  // coordinates words before one head as often, 城镇和农村居民收入, and keeps them one ask.)
  if (pieces.length >= 2 && (indicators.length === 0 || (english && indicators.length === 1))) {
    let at = offset;
    const groups = pieces.map((piece) => {
      const start = whole.indexOf(piece, at);
      at = start + piece.length;
      return { concepts: inside.filter((concept) => concept.index >= start && concept.index < start + piece.length), span: piece, start };
    });
    // (A phrase the lexicon knows is not cut at its own 'and': large and medium-sized projects is one ask.)
    const cut = inside.some((concept) => groups.slice(1).some(({ start }) => concept.index < start && concept.index + concept.length > start));
    // (An everyday word of one character is a topic of its own: 新基建…多少个项目、投多少钱.)
    const own = (concept: PlacedConcept): boolean => (concept.written.length >= 2 || TERMS.colloquial[concept.written] !== undefined) && !(concept.verb && /[A-Za-z]/.test(concept.written));
    if (!cut && groups.length >= 2 && groups.every((group) => group.concepts.some(own))) {
      // (A clause before the asking one, with no question word of its own, is background: After last year's surge,
      // what foreign-trade growth is Xinjiang targeting?) Not items listed after a colon: Tibet's power sector: installed
      // capacity, and how much did … grow?
      const asking = groups.findIndex((group) => cue('asks.question_word').test(group.span));
      const background = english && asking > 0 && !/[:：]/.test(whole.slice(0, groups[asking]!.start)) && groups.slice(0, asking).every((group) => !cue('asks.question_word').test(group.span) && /,\s*$/.test(whole.slice(group.start, groups[asking]!.start)));
      return (background ? groups.slice(asking) : groups).map(({ concepts, span }) => ({ concepts, span }));
    }
  }
  return [{ concepts: inside, span: part }];
}

/** How a question across regions asks: a threshold, the national target as one, a ranking, a value, or a listing. */
function readAcrossAsk(text: string, subjectCount: number, group: boolean, wantsVerdict: boolean): AcrossAsk {
  for (const rule of ACROSS.versusNational) if (rule.pattern.test(text)) return { kind: 'threshold', operator: rule.operator, number: Number.NaN, versusNational: true };
  for (const rule of ACROSS.thresholds) {
    const match = rule.pattern.exec(text);
    if (match?.[1]) {
      const millions = ACROSS.millions.pattern.test(text.slice(match.index + match[0].length)) ? ACROSS.millions.factor : 1;
      return { kind: 'threshold', operator: rule.operator, number: Number(match[1]) * millions };
    }
  }
  const countOf = (written: string | undefined): number | undefined => (written === undefined ? undefined : /^\d+$/.test(written) ? Number(written) : ACROSS.counts[written]);
  const ranks = ACROSS.ranks;
  const top = countOf((ranks.top.pattern.exec(text) ?? ranks.topAfterSuperlative.pattern.exec(text) ?? ranks.topEnglish.pattern.exec(text))?.[1]);
  const bottom = countOf(ranks.bottom.pattern.exec(text)?.[1]);
  if (bottom) return { kind: 'rank', order: 'asc', count: bottom };
  if (ranks.lowest.pattern.test(text)) return { kind: 'rank', order: 'asc', count: top ?? 1 };
  if (ranks.highest.pattern.test(text)) return { kind: 'rank', order: 'desc', count: top ?? 1 };
  if (top) return { kind: 'rank', order: 'desc', count: top };
  if (ranks.sort.pattern.test(text)) return { kind: 'rank', order: ranks.ascending.pattern.test(text) ? 'asc' : 'desc' };
  const value = ACROSS.value.pattern.exec(text);
  if (value?.[1]) return { kind: 'value', number: Number(value[1]), ...(value[2] ? { qualifier: value[2] } : {}) };
  if (subjectCount >= 2 && !group && (wantsVerdict || cue('compare.any').test(text))) return { kind: 'compare' };
  return { kind: 'list' };
}

/** A cache of previous questions understood (a conversation re-sends its history with every turn). */
const understood = new Map<string, Intent>();
const CACHE_LIMIT = 2000;

function cacheKey(request: UnderstandRequest, context: UnderstandContext): string {
  return JSON.stringify([request.question, request.region ?? '', (request.history ?? []).filter((turn) => turn.role === 'user').map((turn) => turn.content), context.years]);
}

/** Understands a request: the one place a question's text is read for its meaning. */
export function understand(request: UnderstandRequest, context: UnderstandContext): Intent {
  const key = cacheKey(request, context);
  const cached = understood.get(key);
  if (cached) return cached;
  const intent = understandFresh(request, context);
  if (understood.size >= CACHE_LIMIT) understood.delete(understood.keys().next().value!);
  understood.set(key, intent);
  return intent;
}

/** The previous user turn, understood with the history before it (itself perhaps a follow-up). */
function previousIntent(history: readonly Turn[], context: UnderstandContext): Intent | undefined {
  const index = history.map((turn) => turn.role).lastIndexOf('user');
  if (index < 0) return undefined;
  return understand({ question: history[index]!.content, history: history.slice(0, index) }, context);
}

/** The regions of the last two questions asked about (latest last), for a comparison naming no place. */
function lastTwoRegions(previous: Intent | undefined, history: readonly Turn[], context: UnderstandContext): RegionEntry[] {
  const regions: RegionEntry[] = [];
  let current = previous;
  let rest = history;
  while (current && regions.length < 2) {
    for (const entry of [...current.subjects].reverse()) if (!regions.includes(entry)) regions.unshift(entry);
    const index = rest.map((turn) => turn.role).lastIndexOf('user');
    rest = rest.slice(0, Math.max(0, index));
    current = previousIntent(rest, context);
    if (regions.length >= 2) break;
  }
  return regions.slice(-2);
}

/** Understands a request without the cache (a question never seen before; its history may be cached). */
export function understandFresh(request: UnderstandRequest, context: UnderstandContext): Intent {
  const history = request.history ?? [];
  // A statement leading into the question (Harbin's ice festival went viral. What visitor goal does Heilongjiang
  // set?) is context: the question is read alone, the lead's place standing in for a place it does not name.
  const led = leadIn(normalizeDigits(normalizeQuestionText(request.question)).trim());
  // (What it says it does not ask, the level, not the growth rate, is left out.)
  const text = led.question.replace(fresh(cue('asks.excluded')), (excluded) => ' '.repeat(excluded.length)).trim();
  const english = isEnglish(text);
  const base = { asked: request.question, text, language: english ? ('en' as const) : ('zh' as const), traditional: isTraditional(request.question) };
  const outOfScope = outOfScopeOf(text, context);
  const hintEntry = request.region !== undefined ? resolveRegion(normalizeQuestionText(request.region)) : led.leadPlace;
  if (outOfScope) {
    return {
      ...base,
      outOfScope,
      subjects: [],
      objects: [],
      unknownPlaces: [],
      within: [],
      approximations: [],
      time: { scope: 'unspecified', written: [], relative: [] },
      asks: [],
      shape: 'single',
      carried: { regions: false, topic: false, year: false },
      search: { text, terms: [] },
    };
  }

  // Places: subjects, objects, a group, places the corpus lacks, names one character off.
  // (A place inside a name the lexicon knows, China of China-Europe trains, is no place asked about.)
  // (Names of hyphenated names are read once, for the places and for the topic.)
  const hyphenated = english ? hyphenatedNames(text, context) : [];
  const named = english ? [...englishPhraseSpans(text), ...hyphenated] : [];
  const insideName = (place: { index: number; length: number }, strictly: boolean): boolean => named.some((span) => span.index <= place.index && place.index + place.length <= span.index + span.length && (!strictly || span.length > place.length));
  const places = findPlaces(text).filter((place) => !insideName(place, true));
  // (So is a group the lexicon names as a thing, the Chengdu-Chongqing economic circle, beside a place asked about.)
  const groups = findRegionGroups(text).filter((group) => !insideName(group, !places.some((place) => !insideName(place, false))));
  const split = splitSubjects(text, places, groups, hintEntry !== undefined);
  let subjects: RegionEntry[] = split.group ? split.group.members.map((name) => getRegion(name)).filter((entry): entry is RegionEntry => entry !== undefined) : [];
  const unknownPlaces: string[] = [];
  const within: Intent['within'] = [];
  const approximations: { written: string; region: string }[] = [];
  for (const subject of split.subjects) {
    if (subject.entry) {
      if (!subjects.includes(subject.entry)) subjects.push(subject.entry);
      if (subject.approximate) approximations.push({ written: subject.written, region: subject.entry.name });
      // A region of the table the corpus has no report of, inside one it has (成都市 in 四川省).
      const parent = subject.entry.parent ? getRegion(subject.entry.parent) : undefined;
      if (context.yearsOf(subject.entry.name).length === 0 && parent && context.yearsOf(parent.name).length > 0) within.push({ place: subject.entry.name, written: subject.written, forms: placeForms(subject.entry.name, subject.written, subject.entry.aliases), region: parent });
    } else if (subject.unknown) {
      unknownPlaces.push(subject.unknown);
      const parent = subject.foreign ? undefined : parentInCorpus(subject.unknown, context);
      if (parent) within.push({ place: subject.unknown, written: subject.written, forms: placeForms(subject.unknown, subject.written, []), region: parent });
    }
  }
  // The national target as the bar (高于全国的省份) names no region asked about.
  if (subjects.length === 1 && subjects[0]!.level === 'national' && ACROSS.versusNational.some((rule) => rule.pattern.test(text))) subjects = [];
  const namedPlace = subjects.length > 0 || unknownPlaces.length > 0;

  // The topic: the text without its subject places, groups and time words. A region of the corpus named as an
  // object leaves the topic (天津承接北京…); a place the corpus lacks (台湾, 吉林市) or a zone (苏州工业园区) stays in it.
  const isSubject = (place: PlaceMention): boolean => split.subjects.some((subject) => subject.index === place.index);
  const placeSpans = places.filter((place) => isSubject(place) || (!place.unknown && place.entry?.inCorpus !== false && !cue('places.zone_after').test(text.slice(place.index + place.length)) && !cue('places.level_after').test(text.slice(place.index + place.length))));
  const timeSpans = [...text.matchAll(fresh(TIME.words.pattern))].map((match) => ({ index: match.index ?? 0, length: match[0].length }));
  // Words asking for a figure as such (有具体数字吗) say how the question asks, not what about.
  const requestSpans = [...text.matchAll(fresh(cue('asks.figure_request')))].map((match) => ({ index: match.index ?? 0, length: match[0].length }));
  // So does what a question word asks in (辆 of 多少辆, 大 of 多大): 多少辆车 has the topic 车, not 辆车.
  const questionSpans = english
    ? []
    : [...text.matchAll(fresh(cue('asks.question_span')))].map((match) => {
        const measure = match.slice(1).find((group) => group !== undefined) ?? '';
        return { index: (match.index ?? 0) + match[0].length - measure.length, length: measure.length };
      });
  // (Refusals name the topic as the question writes it, its question words included: 没有给出“产多少粮”.)
  // (A word written again in another clause, … growth, and is there a threshold it wants retail sales to cross?, may be
  // another ask's topic: it is kept there, once per ask.)
  // (Not a comma inside brackets: 'new three' exports (EVs, lithium batteries, solar cells) … those exports.)
  const readTopic = (spans: readonly { index: number; length: number }[]): { labelText: string; concepts: PlacedConcept[] } => {
    const blanked = blank(text, [...spans, ...groups, ...timeSpans, ...requestSpans]);
    return { labelText: blanked, concepts: readConcepts(blank(blanked, questionSpans), english, context, (left, right) => CLAUSE_BREAK.test(text.slice(left, right).replace(BRACKETED, '')), hyphenated) };
  };
  let { labelText, concepts } = readTopic(placeSpans);
  // A region named as the object of one word and nothing else (南通怎么对接上海, plug into Shanghai's growth): the region
  // is what the question is about, and stays in the topic. (How it is done, closely, is no word of its own.)
  // (Read as the reports write the region, 上海 for Shanghai, not as a dictionary glosses the word.)
  if (concepts.filter((concept) => !concept.verb).length <= 1 && placeSpans.some((place) => !isSubject(place))) {
    ({ labelText, concepts } = readTopic(placeSpans.filter(isSubject)));
    const objectAt = (concept: PlacedConcept): PlaceMention | undefined => placeSpans.find((place) => !isSubject(place) && place.entry && concept.index < place.index + place.length && place.index < concept.index + concept.length);
    concepts = concepts.map((concept) => {
      const place = objectAt(concept);
      return place?.entry ? { ...concept, forms: placeForms(place.entry.name, place.written, place.entry.aliases).map((form) => ({ text: form, weight: 1 })) } : concept;
    });
  }

  // Asks: each sub-question (？, ；, or a clause with a question word of its own) and, within one, each indicator
  // or coordinated topic.
  // A sub-question that only asks for the figure (苏州今年要产多少粮？有具体数字吗？) asks nothing of its own.
  const parts = subQuestions(text).filter((part, position, all) => position === 0 || all.length < 2 || part.text.replace(fresh(cue('asks.figure_request')), '').replace(/[\s，,。.？?！!]/g, '') !== '');
  const target = cue('asks.target').test(text);
  const outcome = cue('asks.outcome').test(text);
  const aim: Ask['aim'] = outcome && !target ? 'outcome' : target && !outcome ? 'target' : 'any';
  const residentsOf = (span: string): Ask['residents'] => {
    const urban = cue('residents.urban').test(span);
    const rural = cue('residents.rural').test(span);
    return urban !== rural && !cue('residents.both').test(span) && !cue('residents.each').test(span) ? (urban ? 'urban' : 'rural') : undefined;
  };
  const questionResidents = residentsOf(text);
  // (A name spelled in pinyin, quoted or not, is what the reports write for it: 'Yixinou' → 义新欧.)
  const names = concepts.filter((concept) => concept.name);
  const spelled = (phrase: string): boolean => names.some((concept) => concept.written.toLowerCase() === phrase.toLowerCase());
  const quoted = [...[...text.matchAll(fresh(cue('quoted')))].map((match) => (match[1] ?? match[2]!).trim()).filter((phrase) => !spelled(phrase)), ...names.map((concept) => concept.forms[0]!.text)];

  // A question of no change anywhere (旅游收入多少): levels, which no growth answers.
  // (A bare name with no question word, Tianjin factory output 2023?, asks whatever figure the report gives of it.)
  const level = cue('asks.question_word').test(text) && !cue('asks.rate').test(text) && !cue('asks.growth').test(text) && !cue('asks.change').test(text) && !cue('asks.performance').test(text);
  let asks: Ask[] = [];
  for (const part of parts) {
    // Whose figure a sub-question asks: the residents it names; everyone where it names residents as such (跟全国居民收入
    // 增速比 after 农民收入涨了多少); else the question's.
    const residents = parts.length < 2 ? questionResidents : (residentsOf(part.text) ?? (cue('residents.named').test(part.text) ? undefined : questionResidents));
    // The measure word of a unit asked in English (trains of how many … trains: 列) is the unit, not the topic.
    const unitSpan = english ? UNITS.askedInEnglish.map((rule) => fresh(rule.pattern).exec(part.text)).find((match) => match !== null) : undefined;
    // A clause before the one that asks, with no question word of its own (河北去年遭了洪灾，今年灾后重建要干到什么程度？), is
    // the question's background: its words leave the topic where the asking clause has one of its own.
    const clauses = part.text.split(/(?<=[，,])/);
    const asking = clauses.findIndex((clause) => cue('asks.question_word').test(clause));
    const backgroundEnd = asking > 0 ? part.offset + clauses.slice(0, asking).join('').length : part.offset;
    // What a classifier asked counts, the noun right after it (多少套房子): the classifier names it in a figure (15.7万套).
    const countedAt = countedNounAt(part.text, part.offset);
    for (const found of asksOf(part.text, part.offset, concepts, text, english)) {
      const inUnit = (concept: PlacedConcept): boolean => unitSpan != null && concept.measure === true && concept.index >= part.offset + unitSpan.index && concept.index < part.offset + unitSpan.index + unitSpan[0].length;
      const asked = found.concepts.filter((concept) => concept.index >= backgroundEnd);
      const foreground = !english && (asked.some((concept) => concept.indicator || (!concept.verb && concept.written.length >= 2)) || asked.length >= 2) ? asked : found.concepts;
      const group = { ...found, concepts: foreground.filter((concept, position) => !inUnit(concept) && foreground.findIndex((other) => other.written === concept.written && other.indicator === concept.indicator) === position) };
      // (A coordinated part with a question word of its own, and which zones will it focus on, asks as it says.)
      const ownQuestion = !part.text.startsWith(group.span) && cue('asks.question_word').test(group.span);
      const written = kindOf(group.span) === 'statement' && !ownQuestion ? kindOf(part.text) : kindOf(group.span);
      // A share asked (how large … relative to its GDP; what was … as a share of GDP) is a figure, not an amount or a statement.
      const indicator = group.concepts.find((concept) => concept.indicator)?.indicator;
      // So is an indicator asked without a question word of figures (What was Beijing's R&D intensity in 2023?): an
      // indicator is a figure (a field asked, 就业方面, is not).
      // (And a bare name of a measure with no question word, Fujian forest coverage?, asks its figure.)
      const bareMeasure = written === 'statement' && !cue('asks.question_word').test(part.text) && group.concepts.some((concept) => concept.measure || REPORT.clause('clause.ratio_word').test(concept.forms[0]?.text ?? ''));
      const figureOfIndicator = (written === 'statement' && group.concepts.some((concept) => concept.indicator && !concept.broad)) || bareMeasure;
      // (So is what a plan sets asked as a share or in a unit: what deficit, as a share of GDP and in yuan, does … plan for.)
      const inUnitAsked = written === 'measures' && (cue('asks.share').test(group.span) || unitOf(group.span, part.text).unit !== undefined);
      const kind = ((written === 'amount' || written === 'statement') && cue('asks.share').test(group.span)) || figureOfIndicator || inUnitAsked ? 'figure' : written;
      // A sub-question without a topic of its own asks about the topic before it (是多少？在世界排第几？). The residents
      // asked (农村 of 农村居民收入) say whose figure, not what it is of.
      const own = residents ? group.concepts.filter((concept) => !cue('residents.word').test(concept.written)) : group.concepts;
      // (So does one of verbs only: 比前年多收了多少？ after 粮食总产多少？ asks about grain, the verb beside it.)
      const before = asks.at(-1)?.concepts ?? [];
      // (And one that names only what is measured: how much did each produce? after which mined more coal.)
      const verbsOnly = own.length > 0 && own.every((concept) => concept.verb || concept.measure || concept.written.length === 1) && before.length > 0;
      // (And one whose words all repeat the heads of the topic before, and how many projects are there? after how much
      // will Ningxia spend on people's livelihood projects: that topic. Not a modifier repeated: how big is the deficit
      // after what deficit-to-GDP ratio asks the deficit itself.)
      const echoes = !verbsOnly && own.length > 0 && before.length > 0 && own.every((concept) => before.some((other) => other.written !== concept.written && other.written.endsWith(concept.written)));
      const topic = verbsOnly ? [...before, ...own] : echoes ? before : own.length > 0 ? own : group.concepts.length > 0 ? group.concepts : before;
      const ownIndicator = indicator ?? (group.concepts.length === 0 ? asks.at(-1)?.indicator : undefined);
      const sizeAndSpeed = cue('asks.size_and_speed').test(part.text);
      asks.push({
        kind: sizeAndSpeed && kind === 'amount' ? 'figure' : kind,
        ...(ownIndicator ? { indicator: ownIndicator } : {}),
        concepts: topic.map((concept) => {
          const { written, forms, indicator: conceptIndicator, broad, measure, untranslated, verb, head } = concept;
          const counted = countedAt !== undefined && !conceptIndicator && 'index' in concept && concept.index === countedAt;
          return { written, forms, ...(conceptIndicator ? { indicator: conceptIndicator } : {}), ...(broad ? { broad } : {}), ...(measure ? { measure } : {}), ...(untranslated ? { untranslated } : {}), ...(verb ? { verb } : {}), ...(head ? { head } : {}), ...(counted ? { counted } : {}) };
        }),
        // An amount of an indicator of growth is named by what it is an amount of (地区生产总值, not 地区生产总值增长).
        label: kind === 'amount' && ownIndicator ? (english ? englishNoun(ownIndicator) : ownIndicator.terms[0]!) : labelOf(topic, labelText, residents, ownIndicator, english, cue('asks.share').test(group.span)),
        // (A size and a growth asked together, how large and how fast, is how the thing went: neither alone.)
        // (Nor is whether a thing rose, did grain output increase, with no figure named: any change answers, 增产21.14亿斤.)
        rate: asksRate(group.span, group.concepts) && !sizeAndSpeed && !(kind === 'yesno' && statedOf(part.text).stated === undefined),
        ...(cue('asks.growth').test(group.span) ? { growth: true } : {}),
        ...(cue('asks.numeral').test(group.span) ? { numeral: true } : {}),
        ...(cue('asks.performance').test(part.text) || sizeAndSpeed ? { performance: true } : {}),
        ...(level ? { level: true } : {}),
        ...(cue('asks.cumulative').test(group.span) ? { cumulative: true } : {}),
        ...(cue('asks.added').test(part.text) && !cue('asks.reached').test(part.text) && !cue('asks.cumulative').test(group.span) ? { added: true } : {}),
        share: cue('asks.share').test(group.span),
        ...unitOf(group.span, part.text),
        ...statedOf(part.text),
        aim,
        ...(residents ? { residents } : {}),
        // A name quoted in one sub-question is what that one is about (“疆电外送”送了多少电？新能源装机到多少了？).
        quoted: parts.length > 1 ? quoted.filter((phrase) => part.text.includes(phrase)) : quoted,
      });
    }
  }
  // One ask for a share and for an amount in a unit (what deficit, as a share of GDP and in yuan): two, the share and
  // the amount; a share's whole (GDP) is of the share only.
  asks = asks.flatMap((ask) => {
    if (!(ask.share && ask.unit && UNITS.units.find((entry) => entry.unit === ask.unit)?.dimension !== 'rate')) return [ask];
    const { unit: _unit, ...share } = ask;
    // (The indicator is the share's whole where the ask names a part beside it.)
    const whole = ask.concepts.some((concept) => !concept.indicator) ? ask.indicator : undefined;
    const { indicator: _indicator, ...withoutIndicator } = ask;
    const concepts = whole ? ask.concepts.filter((concept) => concept.indicator !== whole) : ask.concepts;
    const named = ask.indicator && concepts.some((concept) => concept.indicator === ask.indicator);
    return [share, { ...(named ? ask : withoutIndicator), kind: 'amount' as const, rate: false, share: false, concepts }];
  });
  // Two sub-questions of one topic and one kind are one ask (not a rate and an amount: how much, and at what growth rate).
  asks = asks.filter((ask, index) => !asks.slice(0, index).some((other) => other.kind === ask.kind && other.rate === ask.rate && sameTopic(other, ask)));
  // Urban and rural residents named one beside the other (城镇和农村居民, urban and rural residents): an ask for each,
  // its topic with the words the reports name those residents by.
  // (So does 城乡 of a topic that is no indicator of residents, 城乡低保标准, in the ask it is written in: the reports
  // give the cities' and the countryside's standards apart, or one statement of both, which both asks find.)
  const each = cue('residents.each').test(text);
  const both = !each && cue('residents.both').test(text) && !asks.some((ask) => ask.indicator?.scopeLabels);
  if (each || both) {
    asks = asks.flatMap((ask) =>
      ask.concepts.length === 0 || (both && !ask.concepts.some((concept) => cue('residents.both').test(concept.written)))
        ? [ask]
        : (['urban', 'rural'] as const).map((scope) => ({
            ...ask,
            residents: scope,
            concepts: ask.indicator?.scopeLabels ? ask.concepts.filter((concept) => concept.indicator || !cue('residents.word').test(concept.written)) : [...ask.concepts.filter((concept) => !cue('residents.word').test(concept.written)), { written: TERMS.residents[scope][0]!, forms: TERMS.residents[scope].map((form) => ({ text: form, weight: 1 })) }],
            label: ask.indicator?.scopeLabels ? ask.indicator.scopeLabels[scope] : scopedLabel(ask.label, scope, english),
          })),
    );
  }
  // A topic of its own: a word that is not only how the question asks (挖, 产量, an untranslated word).
  // (A word of what is measured alone, output, is how it is asked too: last year's output? after grain targets.)
  const substantive = (concept: Ask['concepts'][number]): boolean => concept.indicator !== undefined || (!concept.verb && !concept.measure && !concept.untranslated && !TERMS.colloquial[concept.written] && !TERMS.measures.has(concept.written.toLowerCase()));
  const ownTopic = asks.some((ask) => ask.concepts.some(substantive));

  // Follow-ups: what the question leaves out comes from the intent before it, unless the question stands alone.
  const time = readTime(text);
  const ownTime = time.written.length > 0 || time.relative.length > 0;
  // (A question with no topic of its own after a statement, How many is it aiming for?, asks on about the statement's.)
  const previous = !ownTopic && led.lead ? understand({ question: led.lead }, context) : previousIntent(history, context);
  const versusLastYear = cue('compare.last_year').test(text);
  const comparisonFollowUp = cue('compare.follow_up').test(text);
  const carried = { regions: false, topic: false, year: false };
  const acrossCue = cue('across.cue').test(text);
  const wantsTopic = !ownTopic || (asks.length > 0 && asks.every((ask) => ask.concepts.every((concept) => previous?.asks.some((other) => other.concepts.some((old) => old.written !== concept.written && old.written.includes(concept.written))))));
  // A follow-up of verbs only (那今年想留住多少？ after 留在省内的毕业生) asks on about the topic before it.
  const verbsOnly = !english && asks.length > 0 && asks.every((ask) => ask.concepts.length > 0 && ask.concepts.every((concept) => !concept.indicator && (concept.verb || isVerbLike(concept.written))));
  const deictic = (cue('follow.deictic').test(text) || verbsOnly) && !namedPlace;
  // A word that makes the previous topic another indicator (人均呢？ after 地区生产总值): the two read together.
  const modifier = previous && !previous.outOfScope && !namedPlace && !deictic ? modifiedTopic(asks, previous, english, context) : undefined;
  // A follow-up naming only whose figure (农村的呢？ after an income figure): the topic before it, for those residents.
  const residentsOnly = previous && !previous.outOfScope && !namedPlace ? (cue('follow.residents_rural').test(text) ? 'rural' : cue('follow.residents_urban').test(text) ? 'urban' : undefined) : undefined;
  if (residentsOnly && previous!.asks.some((ask) => ask.concepts.length > 0)) {
    asks = previous!.asks.map((ask) => ({ ...ask, residents: residentsOnly, ...(ask.indicator?.scopeLabels ? { label: ask.indicator.scopeLabels[residentsOnly] } : {}) }));
    carried.topic = true;
  } else if (modifier) {
    asks = modifier;
    carried.topic = true;
  } else if (previous && !previous.outOfScope && !wantsTopic && deictic && !asks.some((ask) => ask.indicator) && previous.asks.some((ask) => ask.concepts.length > 0)) {
    // A question pointing back (这里面有没有子目标？): the previous topic with this question's words added. (Not one
    // naming an indicator of its own, 它的研发投入强度呢？: 它 is the region, the topic is new.)
    const own = asks.flatMap((ask) => ask.concepts).map((concept) => (verbsOnly ? { ...concept, verb: true } : concept));
    asks = previous.asks.map((ask) => ({ ...ask, kind: asks[0]?.kind ?? ask.kind, concepts: [...ask.concepts, ...own.filter((concept) => !ask.concepts.some((other) => other.written === concept.written))], aim: aim === 'any' ? ask.aim : aim }));
    carried.topic = true;
  } else if (previous && !previous.outOfScope && wantsTopic && previous.asks.some((ask) => ask.concepts.length > 0)) {
    // The previous topic, with this question's kind where it says one (排第几呢？ after a figure).
    const ownKind = asks.find((ask) => ask.kind !== 'statement')?.kind;
    // A follow-up naming its own time (去年呢？ after a target) asks what that time says, not the old aim.
    // (A target asked of an indicator asked as an amount, What was Anhui's GDP? What about this year's target?, is the
    // plan's target as it states it — a growth — not an amount: 全员劳动生产率16万元/人 answered it.)
    const targetOf = (ask: Ask): Ask => (aim === 'target' && ask.kind === 'amount' && ask.indicator?.target ? { ...ask, kind: 'figure', label: ask.indicator.label } : ask);
    asks = previous.asks.map((ask) => targetOf({ ...ask, ...(ownKind && (ownKind !== 'figure' || ask.kind === 'statement') ? { kind: ownKind } : {}), aim: aim !== 'any' || ownTime ? aim : ask.aim, rate: ask.rate || asks.some((own) => own.rate) }));
    carried.topic = true;
  } else if (previous && !previous.outOfScope && ownTopic && asks.length === 1 && asks[0]!.kind === 'statement' && !cue('asks.question_word').test(text) && previous.asks.length > 0) {
    // A topic of its own and nothing else (那货物吞吐量呢？ after 集装箱吞吐量多少？): asked as the question before asked —
    // after the report's tasks (那养老呢？), the measures of the topic.
    const before = previous.asks[0]!;
    asks = [{ ...asks[0]!, kind: before.kind === 'tasks' ? 'measures' : before.kind, rate: before.rate, aim: aim !== 'any' || ownTime ? aim : before.aim, ...(before.growth ? { growth: true } : {}), ...(before.level ? { level: true } : {}) }];
  }
  // A follow-up with no question word of its own asks a level as the question before it did (跨境电商呢？ after
  // 进出口总额多少？: its amount).
  if (previous && !previous.outOfScope && !cue('asks.question_word').test(text) && previous.asks.some((ask) => ask.level) && !cue('asks.rate').test(text) && !cue('asks.growth').test(text)) {
    asks = asks.map((ask) => ({ ...ask, level: true }));
  }
  // Growth asked of nothing named and carried from nowhere (Which province grew the slowest? 广西增长多少？): the economy's.
  // (So is how the economy went, 经济表现怎么样: its level and its growth, as 'How did X's economy do' reads.)
  const economyWent = !carried.topic && asks.length > 0 && asks.every((ask) => ask.performance && ask.concepts.length > 0 && ask.concepts.every((concept) => concept.verb || TERMS.growthAlone.startsWith(concept.written)));
  if ((!carried.topic && asks.every((ask) => ask.concepts.length === 0) && cue('asks.growth').test(text)) || economyWent) {
    const economy = readConcepts(TERMS.growthAlone, false, context).filter((concept) => concept.indicator);
    const indicator = economy[0]?.indicator;
    if (indicator) asks = [{ kind: economyWent ? 'figure' : (asks[0]?.kind ?? 'figure'), indicator, concepts: economy.map(({ written, forms }) => ({ written, forms, indicator })), label: indicator.label, rate: !economyWent, ...(economyWent ? { performance: true } : { growth: true }), share: false, aim, quoted }];
  }
  // A question across regions (Which province has the highest target?) stands alone, its topic carried or not.
  // (So does a ranking of any figure: 哪个省今年旅游收入目标最高？ after a question about 黑龙江.)
  const standsAlone = acrossCue && !namedPlace && !comparisonFollowUp && (asks.some((ask) => ask.indicator?.target) || (asks.some((ask) => ask.concepts.length > 0) && readAcrossAsk(text, 0, false, false).kind === 'rank'));
  if (!namedPlace && hintEntry) subjects = [hintEntry];
  else if (!namedPlace && previous && !standsAlone && !split.group) {
    // A comparison naming no place (哪个更低？) is between the last two regions asked about.
    const carriedRegions = comparisonFollowUp && carried.topic ? lastTwoRegions(previous, history, context) : previous.subjects;
    if (carriedRegions.length > 0) {
      subjects = [...carriedRegions];
      carried.regions = true;
    }
  } else if (namedPlace && previous && carried.topic && subjects.length === 1 && unknownPlaces.length === 0 && comparisonFollowUp) {
    // A follow-up comparing with one new place (和重庆比哪个高？ after 四川) keeps the region before it.
    const before = previous.subjects.filter((entry) => entry !== subjects[0]);
    if (before.length > 0) {
      subjects = [...before, ...subjects];
      carried.regions = true;
    }
  }
  // The year travels with the conversation when the question names none (新增就业呢？ after 今年…).
  // (Not to a target asked across regions: targets are the plan's.)
  const acrossTarget = standsAlone && cue('asks.target').test(text);
  if (previous && !ownTime && !acrossTarget && (carried.topic || carried.regions) && (previous.time.written.length > 0 || previous.time.relative.length > 0)) {
    time.written = [...previous.time.written];
    time.relative = [...previous.time.relative];
    carried.year = true;
  }

  // A specific region named beside 全国 asks about that region, unless 全国 is coordinated with it.
  if (subjects.length > 1 && subjects.some((entry) => entry.level === 'national') && !split.subjects.filter((subject) => subject.entry?.level === 'national').length) {
    subjects = subjects.filter((entry) => entry.level !== 'national');
  }
  const hint = hintEntry ? { region: hintEntry.name, overridden: namedPlace && !subjects.includes(hintEntry) } : undefined;

  // How it is answered.
  const kinds = asks.map((ask) => ask.kind);
  const targetIndicator = asks.find((ask) => ask.indicator?.target)?.indicator;
  const planYears = (() => {
    const held = [...new Set(subjects.flatMap((entry) => context.yearsOf(entry.name)))].sort();
    return held.length > 0 ? held : context.years.length > 0 ? context.years : [];
  })();
  // A period that begins after the latest report's year (十五五) is asked about by its first year: one the reports do not cover.
  const laterPeriod = planYears.length > 0 && time.written.length === 0 ? time.periods.find((period) => period.first > Math.max(...planYears)) : undefined;
  if (laterPeriod) time.written.push(laterPeriod.first);
  // This year's target and last year's outcome asked in two sub-questions (目标是多少？去年实际到了多少？; targeting for
  // 2024, compared with how many it actually added in 2023) are compared as one: the plan's target against the review.
  const partScopes = planYears.length > 0 ? parts.map((part) => yearScopeOf(readTime(part.text), cue('asks.outcome').test(part.text), cue('asks.target').test(part.text), planYears, part.text)) : [];
  const targetAndOutcome = partScopes.includes('plan') && partScopes.includes('review');
  // Years named in two clauses (河北去年遭了洪灾，今年灾后重建要干到什么程度？): the clause that asks says which year is asked.
  const askingTimes = text
    .split(/(?<=[，,；;])/)
    .filter((clause) => cue('asks.question_word').test(clause))
    .map(readTime)
    .filter((clauseTime) => clauseTime.relative.length > 0 || clauseTime.written.length > 0);
  const askedTime = askingTimes.length === 1 && time.relative.length + time.written.length > 1 ? askingTimes[0]! : time;
  const scope: YearScope = targetAndOutcome ? 'plan' : planYears.length > 0 ? yearScopeOf(askedTime, aim === 'outcome' || outcome, target, planYears, text) : 'unspecified';
  let shape: Shape = 'single';
  let withTargets = false;
  let across: Across | undefined;
  const population = cue('places.cities_only').test(text) && !cue('places.provinces_only').test(text) ? 'cities' : cue('places.provinces_only').test(text) ? 'provinces' : 'all';
  const manyRegions = split.group !== undefined || subjects.length >= 2 || (!namedPlace && !carried.regions && acrossCue);
  // The targets table answers questions about targets: of the plan year, or asking a target.
  const aboutTargets = (scope === 'plan' || (scope === 'unspecified' && target)) && !outcome;
  const amountOfRate = asks.some((ask) => ask.kind === 'amount');
  if (manyRegions && targetIndicator && aboutTargets && !amountOfRate && (carried.regions ? subjects.length >= 2 : true)) {
    const ask = readAcrossAsk(text, subjects.length, split.group !== undefined, kinds.includes('verdict'));
    if ((ask.kind !== 'list' && ask.kind !== 'value') || target) {
      shape = 'across';
      const indicator = cue('across.exports').test(text) ? (asks.find((candidate) => candidate.indicator?.id === 'exports')?.indicator ?? targetIndicator) : targetIndicator;
      across = { ask, indicator, scope: questionResidents ?? 'all', population };
    }
  }
  // A ranking of what the reports say, not of targets (哪个省去年GDP增速最快, 经济总量最大的省是哪个): each report's own figure.
  let ranking: Ranking | undefined;
  if (shape === 'single' && !namedPlace && !carried.regions && acrossCue && asks.some((ask) => ask.concepts.length > 0 && ask.kind !== 'measures' && ask.kind !== 'tasks')) {
    const ask = readAcrossAsk(text, 0, false, false);
    if (ask.kind === 'rank') {
      shape = 'ranking';
      ranking = { order: ask.order, count: ask.count ?? 3, population };
      // A ranking orders figures: what each report gives of the topic is a figure.
      asks = asks.map((own) => (own.kind === 'statement' || own.kind === 'verdict' ? { ...own, kind: 'figure' } : own));
    }
  }
  // A region asked about with nothing else asked (江西2024年政府工作报告的主要内容, Summarize Fujian's report,
  // 总结河北去年的主要成就): its key tasks, or last year's work — unless its targets are asked (主要预期目标), which the decision quotes.
  const nothingAsked = subjects.length === 1 && asks.every((ask) => ask.concepts.length === 0) && !target;
  if (shape === 'single') {
    // The main targets asked as such (主要预期目标有哪些, headline targets), of one region, no indicator named: the plan's statement of them.
    // (Listing several of them, growth, jobs, jobless rate, inflation, grain, asks the statement of them all.)
    const listed = asks.filter((ask) => ask.indicator).length;
    const mainTargets = cue('asks.main_targets').test(text) && subjects.length <= 1 && (listed === 0 || listed >= MAIN_TARGETS_LISTED) && scope !== 'review';
    // (Both asked, 主要目标和重点工作: the key tasks, the targets statement before them.)
    if (mainTargets && cue('asks.key_tasks').test(text) && !asks.some((ask) => ask.indicator)) {
      shape = 'tasks';
      withTargets = true;
    } else if (mainTargets) shape = 'targets';
    else if ((kinds.includes('tasks') || nothingAsked) && !asks.some((ask) => ask.indicator)) shape = 'tasks';
    else if (versusLastYear || targetAndOutcome) shape = 'versus_last_year';
    else if (subjects.length >= 2) shape = 'compare';
  }

  // What retrieval searches with: the question, the carried topic, and report terms for English and synonyms.
  const carriedWords = carried.topic ? asks.flatMap((ask) => ask.concepts.map((concept) => concept.written)) : [];
  const searchText = [text, ...carriedWords].join(' ');
  // (A fallback form, 冰雪 of an English phrase's 冰雪经济, is for a report that lacks the term: it is not searched.)
  const terms = [...new Set(asks.flatMap((ask) => ask.concepts.flatMap((concept) => concept.forms.filter((form) => !form.pattern && !form.gapped && !form.fallback && form.text !== concept.written).slice(0, 3).map((form) => form.text))))];
  return {
    ...base,
    subjects,
    objects: split.objects.flatMap((object) => (object.entry ? [object.entry] : [])),
    ...(split.group ? { group: split.group } : {}),
    unknownPlaces,
    within,
    approximations,
    ...(hint ? { hint } : {}),
    time: { scope, written: time.written, relative: time.relative },
    asks,
    shape,
    ...(withTargets ? { withTargets } : {}),
    ...(across ? { across } : {}),
    ...(ranking ? { ranking } : {}),
    carried,
    search: { text: searchText, terms },
  };
}

/** Whether a rate is asked: the rate words of the ask's own words, not of its topic's (劳动生产率 asks no rate). */
function asksRate(span: string, concepts: readonly PlacedConcept[]): boolean {
  let text = span;
  // A rate word inside a longer word of the topic (劳动生产率, 城镇化率) asks no rate; one standing alone (强度) does.
  for (const concept of concepts) {
    if (concept.indicator) continue;
    const inside = cue('asks.rate').exec(concept.written);
    if (inside && inside[0].length < concept.written.length) text = text.split(concept.written).join(' ');
  }
  return cue('asks.rate').test(text);
}

/**
 * The previous ask read with a short follow-up's own words before it (人均 + 地区生产总值 → 人均地区生产总值), when that
 * makes it another indicator of the lexicon; else undefined.
 */
function modifiedTopic(asks: readonly Ask[], previous: Intent, english: boolean, context: UnderstandContext): Ask[] | undefined {
  const own = asks.flatMap((ask) => ask.concepts);
  const before = previous.asks[0];
  if (own.length === 0 || own.length > 2 || own.some((concept) => concept.indicator) || !before) return undefined;
  const words = own.map((concept) => concept.written).join(english ? ' ' : '');
  if (words.length > (english ? 16 : 4)) return undefined;
  const combined = readConcepts(english ? `${words} ${before.label}` : `${words}${before.indicator?.terms[0] ?? before.label}`, english, context);
  const indicator = combined.find((concept) => concept.indicator)?.indicator;
  if (!indicator || indicator === before.indicator) return undefined;
  const concepts = combined.filter((concept) => concept.indicator).map(({ written, forms }) => ({ written, forms, indicator }));
  return [{ ...before, indicator, concepts, label: indicator.label, kind: asks[0]?.kind !== 'statement' ? (asks[0]?.kind ?? before.kind) : before.kind }];
}

/** The figures a sub-question names as a bar (破3万亿了吗 → 3万亿). */
function statedOf(part: string): { stated?: string[] } {
  const stated = [...part.matchAll(fresh(cue('asks.stated')))].map((match) => match[1]!.replace(/\s+/g, ''));
  return stated.length > 0 ? { stated } : {};
}

/**
 * Where the noun a classifier asked counts starts in the question (房子 of 多少套房子), when the classifier is a
 * particular one (套, 家, 辆; not the general 个, which names nothing): its figure (15.7万套) stands for the noun.
 */
function countedNounAt(part: string, offset: number): number | undefined {
  const match = fresh(cue('asks.unit')).exec(part);
  const unit = match?.[1];
  if (!match || !unit || UNITS.units.find((entry) => entry.unit === unit)?.dimension !== 'count' || REPORT.clause('clause.general_classifier').test(unit)) return undefined;
  return offset + match.index + match[0].length;
}

/** Indicators a question of the main targets lists (growth, jobs, inflation) to ask their statement rather than each. */
const MAIN_TARGETS_LISTED = 3;

/** A clause ends between two words. */
const CLAUSE_BREAK = /[，,；;？?。]/;
const BRACKETED = /[（(][^）)]*[）)]/g;

/** The unit a figure is asked in (多少元 → 元), of the ask's own words, else of its sub-question's. */
function unitOf(span: string, part: string): { unit?: string } {
  // An ask with a question word of its own (完成多少投资) asks in its own unit, or none.
  const own = cue('asks.question_word').test(span);
  const unit = cue('asks.unit').exec(span)?.[1] ?? (own ? undefined : cue('asks.unit').exec(part)?.[1]) ?? UNITS.askedInEnglish.find((rule) => rule.pattern.test(part))?.unit;
  return unit ? { unit } : {};
}

/** The question without the statements that lead into it, and those statements (none where every sentence asks). */
function leadIn(text: string): { question: string; lead?: string; leadPlace?: RegionEntry } {
  let end = 0;
  for (const match of text.matchAll(fresh(cue('lead.sentence_end')))) {
    const sentence = text.slice(end, (match.index ?? 0) + match[0].length);
    if (/[?？]/.test(sentence) || cue('asks.question_word').test(sentence) || cue('lead.request').test(sentence)) break;
    end = (match.index ?? 0) + match[0].length;
  }
  const question = text.slice(end).trim();
  if (end === 0 || question === '' || !(/[?？]/.test(question) || cue('asks.question_word').test(question)) || cue('lead.refers_back').test(question)) return { question: text };
  // (A question pointing back at the statement, those exports, is read with it; so is one whose places are all the
  // statement's, several of them: Liaoning, Shandong and Jiangxi all tout….)
  const leadPlaces = findPlaces(text.slice(0, end)).filter((place) => place.entry);
  if (leadPlaces.length > 1 && findPlaces(question).length === 0) return { question: text };
  return { question, lead: text.slice(0, end).trim(), ...(leadPlaces[0]?.entry ? { leadPlace: leadPlaces[0].entry } : {}) };
}

/** Where a sub-question's clauses part: after a comma, and before 'and' with a question word of its own. */
const CLAUSE_OR_AND_QUESTION = new RegExp(`(?<=[，,])|${cue('asks.and_question').source}`, 'i');

/** The sub-questions of a text: split at ？ and ；, and at a comma between clauses that each ask something. */
function subQuestions(text: string): { text: string; offset: number }[] {
  const parts: { text: string; offset: number }[] = [];
  for (const match of text.matchAll(/[^？?；;]+/g)) {
    if (!match[0].trim()) continue;
    const offset = match.index ?? 0;
    // (A clause of its own after a comma, or after 'and' before a question word: …harvest and what share of…)
    // (Not between bare question words: how large and how fast asks one thing's level and growth.)
    const pieces = match[0].split(CLAUSE_OR_AND_QUESTION);
    let start = 0;
    let current = '';
    let currentStart = 0;
    for (const piece of pieces) {
      const asks = cue('asks.question_word').test(piece);
      if (current && asks && cue('asks.question_word').test(current)) {
        parts.push({ text: current, offset: offset + currentStart });
        current = '';
        currentStart = start;
      }
      current += piece;
      start += piece.length;
    }
    if (current.trim()) parts.push({ text: current, offset: offset + currentStart });
  }
  return parts;
}

/** The Chinese names a report may write a place by: as the question wrote it, its full name, its aliases, its name without 市/县/区. */
function placeForms(name: string, written: string, aliases: readonly string[]): string[] {
  const bare = name.replace(/[市县区]$/, '');
  return [...new Set([written, name, ...aliases, ...(bare.length >= 2 ? [bare] : [])])].filter((form) => /^[\u4e00-\u9fff]+$/.test(form));
}

/** The region of the corpus a place belongs to (沈阳市 → 辽宁省, 昆山市 → 苏州市), when the gazetteer knows it once. */
function parentInCorpus(name: string, context: UnderstandContext): RegionEntry | undefined {
  const places = findGazetteerPlaces(name);
  const parents = new Set(places.map((place) => (place.city && context.yearsOf(place.city).length > 0 ? place.city : place.province)));
  if (parents.size !== 1) return undefined;
  const parent = getRegion([...parents][0]!);
  return parent && context.yearsOf(parent.name).length > 0 ? parent : undefined;
}

function sameTopic(left: Ask, right: Ask): boolean {
  return left.concepts.length === right.concepts.length && left.concepts.every((concept, index) => concept.written === right.concepts[index]?.written);
}

/** A label for urban or rural residents alone: 城镇低保标准 of 城市和农村低保标准, urban minimum living allowance. */
function scopedLabel(label: string, scope: 'urban' | 'rural', english: boolean): string {
  const others = english ? label.replace(/\b(?:urban|rural)\s+(?:and\s+)?(?:urban|rural)\s+/i, '') : label.replace(cue('residents.each'), '').replace(/^居民/, '');
  return english ? `${scope} ${others}` : `${TERMS.residents[scope][0]}${others}`;
}

/** How a refusal names the topic: the indicator's label (scoped to residents), else the question's own words. */
function labelOf(concepts: readonly { written: string; index?: number; length?: number; broad?: boolean; indicator?: unknown; verb?: boolean }[], text: string, residents: 'urban' | 'rural' | undefined, indicator: Ask['indicator'], english: boolean, share = false): string {
  // A share asked (数字经济占GDP比重) is named by its part, not by the whole.
  // (An indicator that is itself a share of the economy, R&D intensity, names it.)
  if (share && !(indicator?.rateContext) && concepts.some((concept) => !concept.indicator)) return labelOf(concepts.filter((concept) => !concept.indicator), text, residents, undefined, english);
  // (An English question's refusal names the indicator in English: no figure for GDP growth, not for 地区生产总值增长.)
  if (indicator && !concepts.some((concept) => concept.broad)) return english ? `${residents ? `${residents} ` : ''}${englishNoun(indicator)}` : residents && indicator.scopeLabels ? indicator.scopeLabels[residents] : indicator.label;
  // (As the question writes each, PM2.5 and R&D in their own case.)
  const asWritten = (concept: (typeof concepts)[number]): string => (concept.index !== undefined && concept.length !== undefined && text.slice(concept.index, concept.index + concept.length).toLowerCase() === concept.written.toLowerCase() ? text.slice(concept.index, concept.index + concept.length) : concept.written);
  if (english) return (concepts.some((concept) => !concept.verb) ? concepts.filter((concept) => !concept.verb) : concepts).map(asWritten).join(' ');
  const all = concepts.filter((concept): concept is PlacedConcept => concept.index !== undefined && concept.length !== undefined).sort((left, right) => left.index - right.index);
  // How the question asks (要建 of 要建多少个5G基站) opens or closes no label.
  const first = all.findIndex((concept) => !concept.verb);
  const last = all.length - 1 - [...all].reverse().findIndex((concept) => !concept.verb);
  const placed = first >= 0 ? all.slice(first, last + 1) : all;
  if (placed.length > 0) return text.slice(placed[0]!.index, placed.at(-1)!.index + placed.at(-1)!.length).replace(/\s+/g, '').replace(/[的，,、]+$/, '');
  return concepts.map((concept) => concept.written).join('');
}
