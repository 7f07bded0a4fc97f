// The evidence for one ask in one region's report: every statement of the report scored for how well it
// answers — how much of the topic it speaks of (concepts weighted by their rarity, each matched by its
// report forms, synonyms and abbreviations), how close it is to the question in the embedder's space, and
// whether it carries an answer of the asked kind (a figure of the asked unit and part, attached to the
// topic) — instead of a yes/no word match. The decision to answer or refuse reads these scores
// (decide.ts); nothing here refuses. Pure.
import { splitSentences } from '../chunking/split-sentences.ts';
import { tokenize } from '../index/tokenize.ts';
import { jieba } from '../corpus/jieba.ts';
import { escapeRegExp } from '../corpus/normalize-text.ts';
import { ACROSS, REPORT, INDICATORS, TERMS } from '../lexicon/lexicon.ts';
import type { Ask, Concept, Form, Intent } from '../understand/intent.ts';
import type { Passage, TargetRow } from '../types.ts';
import { isRate, readFigures, type Figure } from './figures.ts';
import { ANSWER_MODEL, type Features } from './answer-model.ts';
import { figureFits } from './figure-fit.ts';

export interface Clause {
  text: string;
  /** Offset in the passage's text. */
  start: number;
}

interface SentenceInfo {
  text: string;
  start: number;
  clauses: Clause[];
  /** Figures of each clause, offsets within the clause. */
  figures: Figure[][];
  /** Position among the passage's sentences. */
  position: number;
}

/** A statement that may answer: contiguous clauses of one sentence, with the figure that answers when one is asked. */
export interface Candidate {
  passage: Passage;
  sentence: { text: string; start: number; position: number };
  /** The clauses to quote, in order, contiguous. */
  pieces: Clause[];
  /** The figure of the asked kind, as written (`5%左右`), when the ask wants one. */
  figure?: Figure;
  /** The row of the targets table this candidate is, when it is one. */
  row?: TargetRow;
  /** A target stated in words (与经济增长同步): the answer is the words, not a figure. */
  worded?: string;
  /** The figure is the topic's in a `分别` list of several. */
  listed?: boolean;
  /** The item of the `分别` list the figure is of, as the report writes it (乡村旅游经营收入). */
  item?: string;
  /** The `分别` list gives each group's figure (城镇和农村居民…分别增长5.2%、7.3%) where everyone's was asked: all of them answer. */
  eachItem?: boolean;
  /** The indicator the figure is of, when another than the ask's (出口 where 进出口 was asked: what comes closest). */
  of?: Ask['indicator'];
  /** The items of the list this sentence opens (办好10件为民实事：一是…), when its lead speaks of the topic. */
  list?: ListItem[];
  features: Features;
  score: number;
}

export interface EvidenceInput {
  intent: Intent;
  ask: Ask;
  region: string;
  /** The region's passages in the report years asked about, in report order. */
  passages: readonly Passage[];
  /** Rank of each retrieved passage (0 = best). */
  retrieved: ReadonlyMap<string, number>;
  /** Inverse document frequency of a word over the corpus (rarer words weigh more), and how many passages use it. */
  idf: (word: string) => number;
  documentFrequency: (word: string) => number;
  writtenIdf?: (text: string) => number | undefined;
  /** Only statements that write this (a year asked that is not the report's: 到2035年) answer. */
  mustMention?: string;
  /** Only quotes that name one of these (a place inside the region: 沈阳, 沈阳市) answer. */
  placeForms?: readonly string[];
  /** Cosine similarity of each sentence of a passage with the question, in `splitSentences` order, when the index has sentence vectors. */
  similarities?: (passage: Passage) => ArrayLike<number> | undefined;
  /** The region's rows of the targets table (plan-year targets, verified), when the ask is about one. */
  rows?: readonly TargetRow[];
  /** A passage by id (for the targets table's rows). */
  passage?: (id: string) => Passage | undefined;
}

export interface Evidence {
  ask: Ask;
  region: string;
  /** The question's language (a topic read through translation is held to its own threshold). */
  language: Intent['language'];
  /** Candidates of the allowed part, best first. */
  candidates: Candidate[];
  /** The statement that speaks most of the topic anywhere in the report (any part, any kind): what comes closest. */
  closest?: Candidate;
  /** How much of the topic the report speaks of at best (0–1), anywhere. */
  mentioned: number;
  /** The topic's own words (as the question wrote them) that the report uses nowhere. */
  absent: string[];
  /**
   * For measures asked of a field the report gives a section of its own (加强生态文明建设，推进绿色低碳发展 for 绿色发展):
   * the run-in lead of each of that section's paragraphs (推动生态环境综合治理。大力发展绿色低碳经济。…), in order.
   */
  sectionLeads: Candidate[];
}

// Sentences and clauses ----------------------------------------------------------------------------------

const sentenceCache = new WeakMap<Passage, SentenceInfo[]>();

/** Clauses end at a comma, semicolon or colon, and at an enumeration comma that closes a figure. */
// (A unit closes a figure only after a number: 全省旅游人次、旅游总收入 is one list of names, not two clauses.)
const CLAUSE_END = /(?<=[，；：,;:])|(?<=(?:\d|%|以上|左右|以内|以下|\d[万亿千百]?(?:人次|人|元|斤|吨|亩|个|家|次|所|项))、)/;

export function clausesOf(sentence: string, offset: number): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  for (const piece of sentence.split(CLAUSE_END)) {
    if (piece) clauses.push({ text: piece, start: offset + start });
    start += piece.length;
  }
  return clauses;
}

export function sentencesOf(passage: Passage): SentenceInfo[] {
  let sentences = sentenceCache.get(passage);
  if (!sentences) {
    sentences = splitSentences(passage.text).map((span, position) => {
      const clauses = clausesOf(span.text, span.start);
      return { text: span.text, start: span.start, clauses, figures: clauses.map((clause) => readFigures(clause.text)), position };
    });
    sentenceCache.set(passage, sentences);
  }
  return sentences;
}

/** An item is quoted by as many of its first clauses as fit in this many characters, at least one (实施中小学“强县中增学位建宿舍扩食堂”工程，…). */
const LIST_ITEM_MAX = 45;
/** How many passages after its lead a list may run on into (a long paragraph is cut into passages). */
const LIST_PASSAGES = 6;

/** The sentences after one, read as needed: on into the following passages while they are of its section. */
function* sentencesAfter(passage: Passage, position: number, following: readonly Passage[]): Generator<{ passage: Passage; next: SentenceInfo }> {
  for (const next of sentencesOf(passage).slice(position + 1)) yield { passage, next };
  const section = passage.sectionPath.join('/');
  for (const holder of following) {
    if (holder.sectionPath.join('/') !== section) return;
    for (const next of sentencesOf(holder)) yield { passage: holder, next };
  }
}

/** One item of a list a sentence opens, with the passage it is quoted from. */
export interface ListItem {
  passage: Passage;
  piece: Clause;
}

/**
 * The list a sentence opens, each item without its marker and by its first clauses: after its colon
 * (办好10件为民实事：一是…；二是…; 包括：A；B；C), or in the sentences after it that each open with a marker
 * (扎实办好“十件民生实事”。（1）…。（2）…), on into the next passage of its section when a long paragraph was
 * cut there. Fewer than three items are no list: [].
 */
export function listItems(passage: Passage, position: number, following: readonly Passage[] = []): ListItem[] {
  const sentence = sentencesOf(passage)[position];
  // An item opens no list of its own (⑤城镇新增就业70万人。 before ⑥…).
  if (!sentence || REPORT.sentence('sentence.list_item').test(sentence.text)) return [];
  const segments: ListItem[] = [];
  const lead = REPORT.sentence('sentence.list_lead').exec(sentence.text);
  if (lead) {
    const colon = sentence.text.slice(lead.index).search(/[：:]/) + lead.index;
    segments.push({ passage, piece: { text: sentence.text.slice(colon + 1), start: sentence.start + colon + 1 } });
  }
  // A count announced by its noun (打好七大攻坚战。): the paragraphs after it that open with that noun, each by its lead.
  const announced = lead ? null : REPORT.sentence('sentence.counted_lead').exec(sentence.text);
  const counted = announced?.[2];
  if (counted) {
    const count = ACROSS.counts[announced![1]!] ?? Number.POSITIVE_INFINITY;
    for (const { passage: holder, next } of sentencesAfter(passage, position, following)) {
      // (A passage may begin inside a paragraph: its first sentence opens nothing unless it names the noun.)
      const opens = next.start > 0 && holder.text[next.start - 1] === '\n';
      const named = next.text.includes(counted) && (opens || next.start === 0);
      if ((opens && !named) || segments.length >= count) break;
      if (named && !segments.some((segment) => segment.piece.text === next.text)) segments.push({ passage: holder, piece: { text: next.text, start: next.start } });
    }
    // (Fewer than three such paragraphs: the items are written otherwise, 扎实办好十件民生实事。一是…，二是….)
    if (segments.length < 3) segments.length = 0;
  }
  // The items go on while one ends with ；(the list's separator) or the next opens with a marker (（2）…).
  for (const { passage: holder, next } of segments.length > 0 && counted ? [] : sentencesAfter(passage, position, following)) {
    const going = segments.length > 0 && /[；;]\s*$/.test(segments.at(-1)!.piece.text);
    if (!going && !REPORT.sentence('sentence.list_item').test(next.text)) break;
    segments.push({ passage: holder, piece: { text: next.text, start: next.start } });
  }
  const items: ListItem[] = [];
  for (const { passage: holder, piece } of segments.flatMap(splitAtMarkers)) {
    let text = piece.text;
    let start = piece.start;
    const marker = REPORT.sentence('sentence.list_item').exec(text);
    if (marker) {
      text = text.slice(marker[0].length);
      start += marker[0].length;
    }
    const clauses = text.split(/(?<=[，,])/);
    let kept = clauses[0]!;
    for (const clause of clauses.slice(1)) {
      if ([...kept].length + [...clause].length > LIST_ITEM_MAX) break;
      kept += clause;
    }
    text = kept.replace(/[：:，,、；;。\s]+$/, '');
    if ([...text].length >= 4) items.push({ passage: holder, piece: { text, start } });
  }
  return items.length >= 3 ? items : [];
}

/** Items written in one sentence, each after a comma with its marker (一是…，二是…，三是…): one segment each. */
function splitAtMarkers(segment: ListItem): ListItem[] {
  const { text, start } = segment.piece;
  const cuts = [0, ...[...text.matchAll(REPORT.sentence('sentence.inline_item'))].map((match) => match.index ?? 0)];
  if (cuts.length < 2) return [segment];
  return cuts.map((cut, position) => ({ passage: segment.passage, piece: { text: text.slice(cut, cuts[position + 1] ?? text.length), start: start + cut } }));
}

/** The sentence of a passage that holds a character offset, or undefined. */
export function sentenceAt(passage: Passage, offset: number): SentenceInfo | undefined {
  return sentencesOf(passage).find((candidate) => candidate.start <= offset && offset < candidate.start + candidate.text.length);
}

// Matching the topic ---------------------------------------------------------------------------------------

interface CompiledConcept {
  concept: Concept;
  weight: number;
  test: (text: string) => number;
  /** The whole of a share asked beside its part (GDP of the digital economy's share of GDP): it names no subject alone. */
  whole?: boolean;
}


/** Whether a mention at `index` is the region's own (not the whole of a share, a part's, per unit of it). */
function ownMention(text: string, index: number, length: number): boolean {
  const before = text.slice(Math.max(0, index - 12), index);
  const after = text.slice(index + length, index + length + 6);
  return !REPORT.mention.some((rule) => rule.pattern.test(rule.side === 'before' ? before : after));
}

/** The lower case of the text last asked for (a sentence is tested by every form of every concept in turn). */
let lastText = '';
let lastLower = '';
function lowerCase(text: string): string {
  if (text !== lastText) {
    lastText = text;
    lastLower = text.toLowerCase();
  }
  return lastLower;
}

function formTester(form: Form, strict: boolean, indicator?: Concept['indicator'], longer: readonly string[] = []): (text: string) => boolean {
  const excludes = strict ? (indicator?.excludes ?? []).map((pattern) => new RegExp(pattern, 'g')) : [];
  if (form.pattern) {
    const pattern = new RegExp(form.text);
    return (text) => pattern.test(text);
  }
  if (form.gapped) {
    const chars = [...form.text];
    const pattern = new RegExp(chars.map(escapeRegExp).join('[\\u4e00-\\u9fff]{0,2}'));
    return (text) => pattern.test(text) && !text.includes(form.text);
  }
  const needle = form.text.toLowerCase();
  if (!strict) return (text) => lowerCase(text).includes(needle);
  return (text) => {
    // Most texts do not hold the form at all: no need to clear its look-alikes from them.
    if (!lowerCase(text).includes(needle)) return false;
    // An indicator's look-alike phrases (单位地区生产总值能耗 for GDP) are not mentions of it.
    const cleaned = excludes.length > 0 ? excludes.reduce((current, pattern) => current.replace(pattern, (match) => ' '.repeat(match.length)), text) : text;
    const lower = lowerCase(cleaned);
    for (let index = lower.indexOf(needle); index >= 0; index = lower.indexOf(needle, index + 1)) {
      // A mention inside a longer form of the same concept (生产总值 in 地区生产总值) is judged where the longer one starts.
      const outer = longer.map((form) => ({ form, at: lower.lastIndexOf(form.toLowerCase(), index) })).find(({ form, at }) => at >= 0 && at + form.length >= index + needle.length);
      if (outer ? ownMention(cleaned, outer.at, outer.form.length) : ownMention(cleaned, index, needle.length)) return true;
    }
    return false;
  };
}

/** Word statistics of the corpus. */
export interface WordStatistics {
  idf: (word: string) => number;
  documentFrequency: (word: string) => number;
  /** The rarity of a text by the passages that write it (for a word the tokenizer never yields alone); undefined when none does. */
  writtenIdf?: (text: string) => number | undefined;
}

/**
 * A concept's weight: the rarity of its own word where the corpus uses it, else of its commonest report form (a word
 * the corpus writes in no form says nothing by itself, unless it is a dictionary noun: then it is the rarest); an
 * indicator weighs more (it is the question's point), a single character less.
 */
function conceptWeight(concept: Concept, statistics: WordStatistics, share: boolean): number {
  const { minRarity, maxRarity, indicatorFactor } = ANSWER_MODEL.weights;
  // A form's rarity: of its own word where the corpus has it, else of the rarest word it is made of (城镇新增就业).
  const rarityOf = (text: string): number | undefined => {
    const lower = text.toLowerCase();
    if (statistics.documentFrequency(lower) > 0) return statistics.idf(lower);
    // (A word the tokenizer never yields alone, 助餐 of 助餐点: the passages that write it.)
    const written = lower.length >= 2 ? statistics.writtenIdf?.(lower) : undefined;
    if (written !== undefined) return written;
    const parts = tokenize(lower).filter((token) => token !== lower && statistics.documentFrequency(token) > 0);
    return parts.length > 0 ? Math.max(...parts.map((token) => statistics.idf(token))) : undefined;
  };
  const plain = concept.forms.filter((form) => !form.pattern && !form.gapped);
  const own = plain.find((form) => form.text === concept.written);
  const ownRarity = own ? rarityOf(own.text) : undefined;
  const rarities = plain.map((form) => rarityOf(form.text)).filter((value): value is number => value !== undefined);
  // (A concept several forms name is as rare as its commonest form: any of them says it. One the corpus writes in no
  // form at all, 咖啡 of 咖啡产业, is as specific as a word can be: what the question is about, which no 产业 statement
  // answers.)
  const rarity = ownRarity ?? (rarities.length > 0 ? Math.min(...rarities) : dictionaryNoun(concept.written) ? maxRarity : minRarity);
  const clamped = Math.min(maxRarity, Math.max(minRarity, rarity));
  // In a share asked (数字经济占GDP比重) the indicator is the whole: the part is the point.
  if (concept.anchor) return clamped * indicatorFactor * 2;
  if (concept.measure) return clamped * 0.4;
  if (concept.verb) return clamped * 0.35;
  if (concept.untranslated) return minRarity * 0.5;
  // A word the bilingual dictionary translated is less certain than the lexicon's own terms.
  if (concept.forms.every((form) => form.weight <= 0.7 && !form.gapped)) return clamped * 0.5;
  if (concept.indicator) return share ? clamped * 0.5 : clamped * indicatorFactor;
  return concept.written.length === 1 ? clamped * 0.5 : clamped;
}

/** Whether jieba's dictionary knows a word whole as a noun (咖啡, not a typo such as 失叶率 nor a phrase such as 信贷投放). */
function dictionaryNoun(word: string): boolean {
  const tags = jieba.tag(word);
  return tags.length === 1 && tags[0]!.word === word && tags[0]!.tag === 'n';
}

/**
 * Whether the word right before a mention is a verb (新建改建助餐点: built, not a kind of 助餐), as jieba tags it —
 * not one between the compound's own words (保障性租赁住房 for 保障性住房: 租赁 makes another kind of housing).
 */
function verbBefore(before: string, topicForms: readonly string[] = []): boolean {
  const last = jieba.tag(before.slice(-4)).at(-1);
  if (last === undefined || !/^v/.test(last.tag) || last.word.length < 2 || !before.endsWith(last.word)) return false;
  const ahead = before.slice(0, -last.word.length);
  return !topicForms.some((form) => ahead.endsWith(form));
}

/**
 * For the head of a compound (吞吐量 of 货物吞吐量): whether the text names it unqualified somewhere — right after
 * nothing, a function word or one of the topic's own forms — rather than as another thing's (集装箱吞吐量).
 */
function unqualifiedHead(text: string, form: string, topicForms: readonly string[]): boolean {
  for (let index = text.indexOf(form); index >= 0; index = text.indexOf(form, index + 1)) {
    const before = text.slice(Math.max(0, index - 8), index);
    // (The compound's own modifier may stand before it with 总 between: 项目总投资额 for 重大项目投资.)
    const modifierEnd = before.replace(/总$/, '');
    if (REPORT.headUnqualified.test(before) || topicForms.some((other) => other !== form && modifierEnd.endsWith(other)) || verbBefore(before, topicForms.filter((other) => other !== form))) return true;
  }
  return false;
}

export function compileTopic(ask: Ask, statistics: WordStatistics, loose = false): CompiledConcept[] {
  // A share asked (数字经济占GDP比重) reads the share's whole as part of the topic.
  // So does a topic beside the indicator (“新三样”出口: 产品出口 is the part asked about, not a part of the whole).
  const ofAPart = ask.concepts.some((concept) => !concept.indicator && !concept.verb && !concept.measure && !concept.untranslated && !concept.anchor);
  const strict = !ask.share && !ofAPart;
  const topicForms = ask.concepts.flatMap((concept) => concept.forms.filter((form) => !form.pattern && !form.gapped).map((form) => form.text));
  return ask.concepts.map((concept) => {
    // Measures and statements of an indicator may name a part of it (进口 of 进出口: 打造一批特色进口商品展销店): the
    // Chinese words a question names the indicator by count too, for less; a figure must be the indicator's own.
    const named: Form[] = concept.indicator && !wantsFigure(ask) ? [...concept.forms, ...concept.indicator.triggers.filter((trigger) => /^[\u4e00-\u9fff]+$/.test(trigger) && !concept.forms.some((form) => form.text === trigger)).map((trigger) => ({ text: trigger, weight: ANSWER_MODEL.weights.indicatorWord }))] : concept.forms;
    // (Measures of a field, 交通, speak of its things, 高铁、高速公路、机场, for less; a figure must be the field's own.)
    const members = wantsFigure(ask) ? [] : [...new Set(named.flatMap((form) => (form.pattern ? [] : (TERMS.fields[form.text] ?? []))))].filter((member) => !named.some((form) => form.text === member));
    const forms: Form[] = [...named, ...members.map((member) => ({ text: member, weight: ANSWER_MODEL.weights.fieldMember }))];
    const testers = forms.map((form) => {
      const longer = forms.filter((other) => !other.pattern && !other.gapped && other.text.length > form.text.length && other.text.includes(form.text)).map((other) => other.text);
      const test = formTester(form, strict && concept.indicator !== undefined, concept.indicator, longer);
      // A compound's head qualified by another noun counts for little.
      if (!concept.head || form.pattern || form.gapped) return { weight: form.weight, test, qualified: undefined };
      return { weight: form.weight, test, qualified: (text: string) => !unqualifiedHead(text, form.text, topicForms) };
    });
    // The words a longer word is made of count together: 收入 alone says half of 农民收入.
    const parts = forms.filter((form) => form.part).map((form) => form.text);
    const partShare = (text: string): number => (parts.length > 1 ? parts.filter((part) => text.includes(part)).length / parts.length : 1);
    // The whole of a share asked (the economy of what share of the economy) is named by a share that names no whole (数字经济占比达42%).
    const wholeUnnamed = ask.share && concept.indicator !== undefined && ask.concepts.some((other) => !other.indicator);
    // (So by its head after 占 and a word of all: 占全部投资比重 names total fixed-asset investment.)
    const term = concept.indicator?.terms[0] ?? '';
    const head = tokenize(term).filter((token) => token.length >= 2 && token !== term && term.endsWith(token)).at(-1);
    const wholeByHead = wholeUnnamed && head ? new RegExp(`占(?:全部|全社会|全省|全市|全区|全国)?的?${escapeRegExp(head)}`) : undefined;
    // What the classifier asked counts (房子 of 多少套房子) is named by a figure in it that ends its phrase (保交楼项目
    // 新交付15.7万套、), not by one counting the noun after it (16所“双一流”建设高校).
    const inClassifier = concept.counted && ask.unit ? new RegExp(`\\d[万亿千百]*${escapeRegExp(ask.unit)}(?![\\u4e00-\\u9fff“"「])`) : undefined;
    return {
      concept,
      weight: conceptWeight(concept, statistics, ask.share),
      // (Read loosely, as whether the report speaks of the topic at all, every concept counts.)
      ...(wholeUnnamed && !loose ? { whole: true } : {}),
      test: (text: string) => {
        let best = wholeUnnamed && (REPORT.clause('clause.share_unnamed').test(text) || wholeByHead?.test(text)) ? 0.8 : inClassifier?.test(text) ? (forms[0]?.weight ?? 1) * 0.25 : 0;
        for (const [position, tester] of testers.entries()) {
          if (tester.weight <= best || !tester.test(text)) continue;
          const weight = forms[position]!.part ? tester.weight * partShare(text) : tester.weight;
          best = Math.max(best, tester.qualified?.(text) ? weight * 0.3 : weight);
        }
        return best;
      },
    };
  });
}

const LATIN = /[A-Za-z]/;

/** How much of the topic a text speaks of, 0–1: the concepts' weights, each times how well a form of it matched. */
export function coverage(topic: readonly CompiledConcept[], text: string): number {
  let total = 0;
  let matched = 0;
  // An anchor (a place inside the region) is required of the quote, not part of how much of the topic it says.
  const scored = topic.some((concept) => !concept.concept.anchor) ? topic.filter((concept) => !concept.concept.anchor) : topic;
  // An English verb (attract, retain) is how the question asks, read through a dictionary that seldom gives the
  // report's verb (引留): it says more where the text uses it and nothing against a text that does not, unless
  // the verbs are all the topic there is.
  const nouns = scored.some((concept) => !concept.concept.verb);
  // What is measured (产值, output) or how it is asked says nothing of a topic the text does not name (新增产值超10亿元龙头企业
  // for car output): a text must name something of what the question is about.
  // (Nor does the whole of a share, 占比 alone: 一般贸易占比 is no share of the digital economy.)
  const subject = (concept: CompiledConcept): boolean => !concept.concept.verb && !concept.concept.measure && !concept.whole;
  const hasSubject = scored.some(subject);
  let subjectFound = false;
  for (const concept of scored) {
    const found = concept.test(text);
    if (found === 0 && nouns && concept.concept.verb && LATIN.test(concept.concept.written)) continue;
    if (found > 0 && subject(concept)) subjectFound = true;
    total += concept.weight;
    matched += concept.weight * found;
  }
  if (hasSubject && !subjectFound) return 0;
  return total > 0 ? matched / total : 0;
}

// Kinds of answer -------------------------------------------------------------------------------------------

/** Indicator words of the lexicon, for telling a clause that names another indicator. */
const INDICATOR_WORDS = INDICATORS.flatMap((indicator) => indicator.terms.filter((term) => term.length >= 2).map((term) => ({ term, id: indicator.id })));

function namesOtherIndicator(text: string, ask: Ask): boolean {
  return INDICATOR_WORDS.some(({ term, id }) => id !== ask.indicator?.id && text.includes(term) && !ask.concepts.some((concept) => concept.forms.some((form) => form.text.includes(term) || term.includes(form.text))));
}

/**
 * A target the plan states in words in a clause (与经济增长同步, 两位数增长, 只增不减), as written, when the ask is
 * for a target (or a figure with no year) with no unit to state and not asked as a number (几个点): a rate asked, only
 * words that state a rate.
 */
function wordedTarget(clause: string, ask: Ask, passage: Passage): string | undefined {
  if (passage.part !== 'plan' || ask.aim === 'outcome' || ask.unit || ask.numeral || ask.kind === 'rank' || ask.kind === 'count') return undefined;
  for (const rule of REPORT.worded) {
    if (ask.rate && !rule.rate) continue;
    const match = rule.pattern.exec(clause);
    if (match) return match[0];
  }
  return undefined;
}

/** Whether a figure is one the question names as a bar (3万亿元 for 破3万亿了吗), in value (rates as written). */
function meetsStated(figure: Figure, ask: Ask): boolean {
  return (ask.stated ?? []).some((written) =>
    readFigures(written).some((stated) => {
      if (isRate(stated) !== isRate(figure)) return false;
      const [left, right] = isRate(stated) ? [stated.number, figure.number] : [stated.value, figure.value];
      return Math.abs(left - right) <= Math.abs(left) * 0.005;
    }),
  );
}

const YEAR_WRITTEN = /((?:19|20)\d{2})年/g;

/**
 * Whether the last year written before a figure is one after the report's (到2025年, 2035年): a goal of that year.
 * An earlier year before a figure is a comparison's (1961年以来最严重, 创2010年以来最好), not its time.
 */
function ofOtherYear(before: string, reportYear: number): boolean {
  const last = [...before.matchAll(YEAR_WRITTEN)].at(-1);
  return last !== undefined && Number(last[1]) > reportYear;
}

/** Whether the ask wants a figure (rather than statements or measures). */
export function wantsFigure(ask: Ask): boolean {
  return ask.kind === 'figure' || ask.kind === 'amount' || ask.kind === 'count' || ask.kind === 'rank' || ask.kind === 'yesno' || ask.kind === 'verdict';
}

/** A sentence that is no measure: a heading alone, doctrine, a year's characterization, the targets statement. */
function isNotAMeasure(sentence: SentenceInfo, passage: Passage): boolean {
  const bare = sentence.text.replace(/[。！？\s]+$/, '');
  if (REPORT.sentence('sentence.heading_only').test(sentence.text) || passage.sectionPath.some((heading) => heading.includes(bare))) return true;
  // A short sentence without a figure is a lead or a slogan, unless it says something concrete is made (打造一批…展销店).
  if (bare.length < 25 && !/\d/.test(bare) && !REPORT.sentence('sentence.concrete_measure').test(bare)) return true;
  const leaf = passage.sectionPath.at(-1) ?? '';
  if (REPORT.sentence('sentence.general_section').test(leaf) && !REPORT.sentence('sentence.task_section').test(leaf)) return true;
  if (isFraming(sentence)) return true;
  const percentages = (sentence.text.match(/%/g) ?? []).length;
  return REPORT.sentence('sentence.targets_statement').test(sentence.text) || percentages >= 4;
}

/**
 * Whether a sentence frames the work rather than says what will be done: doctrine without figures (今年政府工作的总体要求是：
 * 以习近平…), a year's characterization (今年是新中国成立75周年，…封关运作的攻坚之年) — however fully it names the topic.
 */
function isFraming(sentence: SentenceInfo): boolean {
  const bare = sentence.text.replace(/[。！？\s]+$/, '');
  // (Its digits of years, anniversaries, ordinals and notes, ［13］, are no figures.)
  if (REPORT.sentence('sentence.doctrine').test(bare) && !/\d/.test(bare.replace(/(?:19|20)\d{2}年|\d+周年|第[一二三四五六七八九十\d]+|[［[]\d+[］\]]/g, ''))) return true;
  return REPORT.sentence('sentence.year_character').test(bare);
}

/** The figures of a `分别` list mapped to its items: `游客人数、旅游收入分别增长8%、8.5%` → 旅游收入: 8.5%. */
type Listed = { figure: Figure; clause: number; item: string; eachItem?: boolean; ambiguous?: boolean; fits: (ask: Ask) => boolean; items: readonly string[] };

function respectively(sentence: SentenceInfo, from: number, topic: readonly CompiledConcept[], ask: Ask, upTo = sentence.clauses.length - 1): Listed | undefined {
  const text = sentence.clauses.slice(from).map((clause) => clause.text).join('');
  // (A 分别 of a later clause, …孤儿补贴标准分别提高到1150元/月和1600元/月, is another statement's list.)
  const reach = sentence.clauses.slice(from, upTo + 1).map((clause) => clause.text).join('').length;
  // Each 分别 of the sentence in turn; one that names no items of its own (…分别新增65家和30家，累计分别达到956家和561家)
  // is of the items before it. The first whose figure fits the ask answers.
  let first: Listed | undefined;
  let carried: readonly string[] | undefined;
  for (let at = text.indexOf('分别'); at >= 0 && at < reach; at = text.indexOf('分别', at + 2)) {
    const listed = listAt(sentence, from, text, at, topic, ask, carried);
    if (!listed) continue;
    first ??= listed;
    if (!listed.ambiguous && listed.fits(ask)) return listed;
    carried = listed.items;
  }
  return first;
}

/** The word naming urban and rural residents at once (城乡), as the residents' lists both hold it. */
const BOTH_RESIDENTS = TERMS.residents.urban.filter((word) => TERMS.residents.rural.includes(word));

/** One item naming both residents (城乡居民人均可支配收入分别增长5.5%、6.5%) as its two: 城镇…, 农村…. */
function bothResidents(items: string[]): string[] {
  if (items.length !== 1) return items;
  const item = items[0]!.trim();
  const both = BOTH_RESIDENTS.find((word) => item.startsWith(word));
  return both ? [TERMS.residents.urban[0]!, TERMS.residents.rural[0]!].map((word) => word + item.slice(both.length)) : items;
}

function listAt(sentence: SentenceInfo, from: number, text: string, at: number, topic: readonly CompiledConcept[], ask: Ask, carried?: readonly string[]): Listed | undefined {
  const head = text.slice(0, at).replace(/^.*[，；：]/, '');
  const split = head.split(/、|和|及/).filter((item) => item.trim());
  // (An indicator with the residents' own figures, income, reads 城乡 as its two items.)
  const own = ask.indicator?.scopeLabels ? bothResidents(split) : split;
  const written = own.length < 2 && carried ? carried : own;
  if (written.length < 2) return undefined;
  // Items that share the last one's head written once (一、二、三产业; 一产、二产、三产增加值): each with the head
  // (一产业, 二产业, 三产业; 一产增加值, …).
  // (The first item may carry the words leading into the list, 其中一、二、三产增加值: its last characters are the item.)
  const last = written.at(-1)!;
  const width = [...written[written.length > 2 ? 1 : 0]!].length;
  const short = width <= 2 && written.slice(1, -1).every((item) => [...item].length === width) && [...written[0]!].length >= width && [...last].length > width;
  // (Items that are words, 粮食、蔬菜、肉蛋奶产量, share the measure the last ends with, 产量 — the last may be longer;
  // characters, 一、二、三产增加值, share what follows the first character, 产增加值.)
  const measured = width >= 2 ? (TERMS.quantities.find((word) => last.endsWith(word) && last.length > word.length) ?? [...TERMS.measures].find((word) => last.endsWith(word) && last.length > word.length)) : undefined;
  const shared = measured ?? [...last].slice(width).join('');
  const items = short ? written.map((item, position) => (position === 0 ? [...item].slice(-width).join('') : item) + (position < written.length - 1 ? shared : '')) : written;
  // The list's figures run to the end of its clause (…分别增长6%、5%、6%左右，地方一般公共预算收入… is another statement).
  const rest = text.slice(at);
  const tail = rest.slice(0, (rest.search(/[，；。,;]/) + 1 || rest.length + 1) - 1);
  const figures = readFigures(tail).filter((figure) => figure.dimension !== 'rank');
  if (figures.length !== items.length) return undefined;
  // Whether a figure of the list fits the ask, read in the list's words before it (分别新增65家: what was added).
  const fitsAt = (figure: Figure) => (asked: Ask): boolean => figureFits({ ...figure, index: at + figure.index }, asked, text);
  // (The quote runs to the list's last figure: 汽车、太阳能电池、集成电路圆片产量分别增长33.4% reads as all three's.)
  const listEnd = clauseOf(sentence, from, at, figures.at(-1)!);
  const listed = (position: number, how: Partial<Pick<Listed, 'eachItem' | 'ambiguous'>> = {}): Listed => ({ figure: figures[position]!, clause: listEnd, item: itemName(items[position]!), ...how, fits: fitsAt(figures[position]!), items });
  let best = -1;
  let bestScore = 0;
  // A list of the residents' figures (城镇和农村居民人均可支配收入分别增长5.5%和8.2%: the items share the words after
  // them): the residents asked get their item; everyone asked gets every item, none of them alone.
  if (ask.indicator?.scopeLabels) {
    const scopes = items.map((item) => (REPORT.residents('urban').test(item) ? 'urban' : REPORT.residents('rural').test(item) ? 'rural' : undefined));
    if (scopes.every((scope) => scope !== undefined) && new Set(scopes).size === scopes.length) {
      best = ask.residents ? scopes.indexOf(ask.residents) : 0;
      if (best < 0) return undefined;
      return listed(best, ask.residents ? {} : { eachItem: true });
    }
  }
  // With an anchor (沈阳 in 沈阳、大连地区生产总值分别增长…), only its own item.
  const anchors = topic.filter((concept) => concept.concept.anchor);
  // (An item naming the compound's head is the topic's before one naming only its modifier: 跨国公司地区总部, not
  // 外资研发中心, for 外资总部.)
  const heads = topic.filter((concept) => concept.concept.head && !concept.concept.verb && !concept.concept.measure);
  const scores = items.map((item) => (anchors.length > 0 && !anchors.some((anchor) => anchor.test(item) > 0) ? 0 : anchors.length > 0 ? 1 : coverage(topic, item) + (heads.some((head) => head.test(item) > 0) ? 1 : 0)));
  scores.forEach((score, position) => {
    if (score > bestScore) {
      bestScore = score;
      best = position;
    }
  });
  if (best < 0) return undefined;
  // Every item speaking of the topic alike (一产、二产、三产增加值 for value added): none of them is the topic's.
  if (items.length > 1 && scores.every((score) => score === bestScore)) return listed(best, { ambiguous: true });
  return listed(best);
}

/** An item of a `分别` list as the answer names it (其中城镇 → 城镇). */
const itemName = (item: string): string => item.trim().replace(/^其中/, '');

/** The clause a `分别` list's figure ends in (`at`: where 分别 is in the clauses from `from`). */
function clauseOf(sentence: SentenceInfo, from: number, at: number, figure: Figure): number {
  let offset = at + figure.index + figure.text.length;
  let clause = from;
  for (let position = from; position < sentence.clauses.length; position++) {
    offset -= sentence.clauses[position]!.text.length;
    clause = position;
    if (offset <= 0) break;
  }
  return clause;
}

// Scoring ---------------------------------------------------------------------------------------------------

function partFit(passage: Passage, intent: Intent): number {
  const asked = intent.time.scope === 'review' ? 'review' : intent.time.scope === 'plan' || intent.time.scope === 'plan_year_outcome' || intent.time.scope === 'future' ? 'plan' : undefined;
  if (!asked) return passage.part === 'plan' ? 0.75 : 0.5;
  if (passage.part === asked) return 1;
  return passage.part === 'other' ? 0.5 : 0;
}

function score(features: Features): number {
  const weights = ANSWER_MODEL.weights;
  return weights.topic * features.topic + weights.heading * features.heading + weights.dense * features.dense + weights.fit * features.fit + weights.part * features.part + weights.retrieved * features.retrieved + weights.figureNear * features.figureNear;
}

/** The part of the report an ask may be answered from: a figure of the asked year only from its part. */
function allowedPart(intent: Intent, ask: Ask): ReadonlySet<Passage['part']> | undefined {
  if (intent.time.scope === 'review') return new Set(['review', 'other']);
  if (intent.time.scope === 'plan') return new Set(['plan', 'other']);
  // Measures asked with no year are the plan's (what will be done).
  if (ask.kind === 'measures') return new Set(['plan', 'other']);
  return undefined;
}

/** The ask with each concept's fallback forms only where the region's passages write none of its other forms. */
function withFallbacks(ask: Ask, passages: readonly Passage[]): Ask {
  if (!ask.concepts.some((concept) => concept.forms.some((form) => form.fallback))) return ask;
  const written = (form: Form): boolean => !form.pattern && !form.gapped && passages.some((passage) => passage.text.includes(form.text));
  const concepts = ask.concepts.map((concept) => (concept.forms.some((form) => !form.fallback && written(form)) ? { ...concept, forms: concept.forms.filter((form) => !form.fallback) } : concept));
  return { ...ask, concepts };
}

/** Every statement of the region that may answer the ask, scored; and what comes closest anywhere. */
export function gatherEvidence(input: EvidenceInput, options: { related?: boolean } = {}): Evidence {
  const { intent } = input;
  const ask = withFallbacks(input.ask, input.passages);
  // Whether the report speaks of the topic at all: its words anywhere, as the whole of a share or another thing's head too.
  const loose = compileTopic({ ...ask, share: true, concepts: ask.concepts.map(({ head: _head, ...concept }) => concept) }, input, true);
  // Which of the topic's concepts the report speaks of anywhere. A loose translation (a dictionary's guess, an English
  // word as written) that the report never uses says nothing of any statement: it leaves the topic. One of the
  // topic's own words the report never uses is what the report does not mention.
  // (Read per passage: a form spread over two sentences counts as seen, which only makes “absent” rarer.)
  const seen = loose.map((compiled) => input.passages.some((passage) => compiled.test(passage.text) > 0));
  // Only beside one of the topic's own words that the report uses: a topic of guesses alone keeps them all.
  const anchored = loose.some((compiled, position) => seen[position] && !looselyTranslated(compiled.concept) && !compiled.concept.anchor && !compiled.concept.verb);
  // So does how the question asks (a verb: 撑腰, 鼓, ran) where the report never writes it, and a word of the question
  // no report writes in any form that is no word of the dictionary (a typo, 失叶率; a phrase jieba guessed, 实事里老楼).
  // (A dictionary noun no report writes, 咖啡 of 咖啡产业, is what the report does not mention: it stays, and weighs
  // as the rarest word would.)
  const unwritten = (concept: Concept): boolean =>
    input.writtenIdf !== undefined && !concept.indicator && !concept.anchor && !dictionaryNoun(concept.written) && concept.forms.every((form) => form.pattern === true || form.gapped === true || input.writtenIdf!(form.text) === undefined);
  const kept = loose.map((compiled, position) => !anchored || seen[position]! || !(looselyTranslated(compiled.concept) || compiled.concept.verb || unwritten(compiled.concept)));
  const keep = (list: CompiledConcept[]): CompiledConcept[] => list.filter((_, position) => kept[position]);
  const topic = keep(compileTopic(ask, input));
  const looseTopic = keep(loose);
  // An indicator the report does not give is not unmentioned where the report speaks of what it measures (研发 of R&D intensity).
  const spoken = (concept: Concept): boolean => (concept.indicator?.triggers ?? []).some((trigger) => /[\u4e00-\u9fff]/.test(trigger) && input.passages.some((passage) => passage.text.includes(trigger)));
  // How the question asks (要建, 扶持) is never what the report fails to mention.
  const absent = loose.filter((compiled, position) => !seen[position] && kept[position] && !compiled.concept.anchor && !compiled.concept.verb && !looselyTranslated(compiled.concept) && !spoken(compiled.concept)).map((compiled) => compiled.concept.written);
  const figureAsk = wantsFigure(ask);
  const parts = allowedPart(intent, ask);
  const candidates: Candidate[] = [];
  let closest: Candidate | undefined;
  let closestScore = 0;
  let lead = 0;
  let leadSection = '';
  const nouns = topic.filter((concept) => !concept.concept.verb);
  let sinceLead = 0;
  let mentioned = 0;
  for (const [passageIndex, passage] of input.passages.entries()) {
    const sentences = sentencesOf(passage);
    const similarities = input.similarities?.(passage);
    const rank = input.retrieved.get(passage.id);
    const retrieved = rank === undefined ? 0 : 1 / (1 + rank);
    const heading = coverage(topic, passage.sectionPath.at(-1) ?? '');
    const allowed = !parts || parts.has(passage.part);
    const part = partFit(passage, intent);
    // A short lead sentence naming the topic (全力做大海洋经济。) makes the sentences after it its measures (into the
    // next passage of the same section).
    if (passage.sectionPath.join('/') !== leadSection) lead = 0;
    leadSection = passage.sectionPath.join('/');
    for (const sentence of sentences) {
      const dense = similarities ? (similarities[sentence.position] ?? 0) : 0;
      // A lead's measures run to the end of its paragraph, not into the next one's.
      if (sentence.start > 0 && passage.text[sentence.start - 1] === '\n') lead = 0;
      const whole = coverage(looseTopic, sentence.text);
      if (whole > mentioned) mentioned = whole;
      // What comes closest speaks of the topic itself (not of a look-alike: 单位国内生产总值能耗 for GDP) where any statement does.
      const strict = coverage(topic, sentence.text);
      // (And, for a figure asked, one that gives a figure in the clause naming the topic: 外贸进出口总额增长7.3% where the
      // amount is not given, over 推动外贸扩量提质.)
      // (The clause names the whole topic: 煤炭先进产能占比达到83% gives no figure of 原煤产量.)
      const figured = figureAsk && strict >= 0.9 && sentence.clauses.some((clause, at) => sentence.figures[at]!.length > 0 && coverage(topic, clause.text) >= 0.9) ? 0.3 : 0;
      const closeness = strict + 0.5 * whole + 0.4 * part + 0.05 * retrieved + figured;
      if (whole > 0 && (!closest || closeness > closestScore)) {
        closestScore = closeness;
        closest = { passage, sentence: { text: sentence.text, start: sentence.start, position: sentence.position }, pieces: [{ text: sentence.text, start: sentence.start }], features: { topic: whole, heading, dense, fit: 0, part, retrieved, figureNear: 0 }, score: 0 };
      }
      if (!allowed || (whole === 0 && heading === 0 && (lead === 0 || ask.kind !== 'measures'))) continue;
      if (input.mustMention && !sentence.text.includes(input.mustMention)) continue;
      if (figureAsk) {
        candidates.push(...figureCandidates(passage, sentence, ask, topic, { heading, headingText: passage.sectionPath.at(-1) ?? '', dense, part, retrieved, anyYear: input.mustMention !== undefined }));
        continue;
      }
      const own = strict;
      // A lead names what the measures are about; how the question asks (扶持, 撑腰) it need not say (推动民营经济实现大发展。).
      const nounCoverage = nouns.length > 0 && nouns.length < topic.length ? coverage(nouns, sentence.text) : own;
      const isLead = Math.max(own, nounCoverage) >= 0.9 && hasRunInShape(sentence.text);
      // Another run-in lead (全力做大海洋经济。) opens another topic's measures: the lead before it ends.
      // (A passage's first sentence may go on with the paragraph of the passage before: only a line break opens one.)
      const opensParagraph = sentence.start > 0 && passage.text[sentence.start - 1] === '\n';
      if (!isLead && opensParagraph && hasRunInShape(sentence.text)) lead = 0;
      // A lead inside a paragraph of several (…推动民营经济实现大发展。…建设海洋经济强省。…) reaches a few sentences only.
      if (lead > 0 && ++sinceLead > ANSWER_MODEL.weights.leadReach) lead = 0;
      const afterLead = lead;
      if (isLead) {
        lead = Math.max(own, nounCoverage);
        sinceLead = 0;
      }
      // A short lead sentence that names the topic whole (全力做大海洋经济。) opens its measures.
      if (isFraming(sentence) || (ask.kind === 'measures' && own < 0.9 && isNotAMeasure(sentence, passage))) continue;
      // A measure that names the topic only as one item of a long run (…普惠金融、养老金融、数字金融五篇大文章) passes it by.
      const passing = ask.kind === 'measures' && own > 0 && coverage(topic, sentence.text.replace(REPORT.clause('clause.enumeration'), '')) === 0;
      const ownMeasure = passing ? own * ANSWER_MODEL.weights.enumeratedMention : own;
      const topicScore = ask.kind === 'measures' ? Math.max(ownMeasure, ANSWER_MODEL.weights.headingAsTopic * Math.max(heading, afterLead)) : own;
      if (topicScore === 0) continue;
      // A goal asked (有什么目标) is best answered by statements with figures.
      const figures = /\d/.test(sentence.text.replace(/(?:19|20)\d{2}年/g, '')) ? (ask.aim === 'target' ? 2 : 1) : 0;
      const features: Features = { topic: topicScore, heading, dense, fit: figures, part, retrieved, figureNear: 0 };
      // A sentence opening a list whose lead names the topic (办好10件为民实事：…) answers with the list.
      const items = listItems(passage, sentence.position, input.passages.slice(passageIndex + 1, passageIndex + 1 + LIST_PASSAGES));
      const firstItem = items[0]?.passage === passage ? items[0].piece.start : undefined;
      const leadText = firstItem !== undefined && firstItem > sentence.start ? passage.text.slice(sentence.start, Math.min(firstItem, sentence.start + sentence.text.length)) : sentence.text;
      const list = items.length > 0 && coverage(topic, leadText) >= ANSWER_MODEL.thresholds.statementTopic ? { list: items } : {};
      candidates.push({ passage, sentence: { text: sentence.text, start: sentence.start, position: sentence.position }, pieces: [{ text: sentence.text, start: sentence.start }], ...list, features, score: score(features) });
    }
  }
  if (!input.placeForms) candidates.push(...tableCandidates(input, topic));
  // (Or its section's heading names it: 高标准高质量推进雄安新区建设 over 年内完成投资超2000亿元.)
  let placed = input.placeForms ? candidates.filter((candidate) => input.placeForms!.some((form) => candidate.pieces.some((piece) => piece.text.includes(form)) || (candidate.passage.sectionPath.at(-1) ?? '').includes(form))) : candidates;
  // A name the question quotes (“义新欧”中欧班列, the 'new three') is what a figure must be of: its sentence names it.
  const quoted = namesQuoted(ask);
  if (figureAsk && quoted) placed = placed.filter((candidate) => quoted(candidate.sentence.text));
  candidates.splice(0, candidates.length, ...placed);
  candidates.sort((left, right) => right.score - left.score || left.passage.ordinal - right.passage.ordinal || left.sentence.start - right.sentence.start);
  // Where the asked indicator is not given, a related one the report gives instead comes closest (出口 for 进出口).
  const related = options.related === false ? undefined : relatedClosest(input);
  const sectionLeads = ask.kind === 'measures' && !input.placeForms ? leadsOfSection(input, topic, parts) : [];
  return { ask, region: input.region, language: intent.language, candidates, ...(related ? { closest: related } : closest ? { closest } : {}), mentioned, absent, sectionLeads };
}

/** The plan's statement of its main targets (主要预期目标是：…), whole: what a question about the targets as such asks. */
export function targetsStatements(passages: readonly Passage[]): Candidate[] {
  const features: Features = { topic: 1, heading: 0, dense: 0, fit: 1, part: 1, retrieved: 0, figureNear: 0 };
  // To its full stop or the end of its paragraph: a statement of targets goes on past its first semicolon (…；规模以上工业增加值增长6.5%左右；…).
  const through = (passage: Passage, start: number): string => {
    const stop = passage.text.indexOf('。', start);
    const paragraph = passage.text.indexOf('\n', start);
    const end = Math.min(stop < 0 ? passage.text.length : stop + 1, paragraph < 0 ? passage.text.length : paragraph);
    return passage.text.slice(start, end).trim();
  };
  const quote = (passage: Passage, start: number, position: number, text: string): Candidate => ({ passage, sentence: { text, start, position }, pieces: [{ text, start }], features, score: score(features) });
  for (const [at, passage] of passages.entries()) {
    if (passage.part !== 'plan') continue;
    const sentence = sentencesOf(passage).find((candidate) => REPORT.sentence('sentence.targets_statement').test(candidate.text) && /\d/.test(candidate.text));
    if (!sentence) continue;
    const text = through(passage, sentence.start);
    const statement = quote(passage, sentence.start, sentence.position, text);
    // A statement the passage cuts (国内生产总值增长5%左右； at its end) goes on in the next passage, to its full stop.
    const next = passages[at + 1];
    if (/[；;，,：:]$/.test(text) && sentence.start + text.length >= passage.text.trimEnd().length && next && next.part === 'plan') {
      const rest = through(next, 0);
      if (/\d/.test(rest)) return [statement, quote(next, 0, 0, rest)];
    }
    return [statement];
  }
  return [];
}

/** A paragraph's run-in lead: its first sentence, short (推动生态环境综合治理。). */
const RUN_IN_LEAD_MAX = 30;

/** Whether a sentence has the shape of a run-in lead: short, one statement (no comma), closed by 。. */
function hasRunInShape(sentence: string): boolean {
  const text = sentence.trim();
  return text.endsWith('。') && !/[，,]/.test(text) && [...text].length <= RUN_IN_LEAD_MAX;
}

/**
 * The section (of the asked part) whose heading speaks of the whole topic, and the run-in lead of each of its
 * paragraphs — when it has at least two; else none. A section that only mentions the topic among others does not count.
 */
/** The least weight of a form that names a section heading (a colloquial equivalent's 0.5 does not). */
const SECTION_FORM_WEIGHT = 0.6;

function leadsOfSection(input: EvidenceInput, topic: readonly CompiledConcept[], parts: ReadonlySet<Passage['part']> | undefined): Candidate[] {
  const substantive = topic.filter((concept) => !concept.concept.verb && !concept.concept.measure && !concept.concept.untranslated);
  if (substantive.length === 0) return [];
  let best: { heading: string; score: number } | undefined;
  const matching = new Set<string>();
  const total = substantive.reduce((sum, concept) => sum + concept.weight, 0);
  for (const passage of input.passages) {
    if (parts && !parts.has(passage.part)) continue;
    const heading = passage.sectionPath.at(-1);
    if (!heading || passage.sectionPath.length < 2) continue;
    // How much of the topic the heading names in any of its forms (a translation's weight aside) — not an everyday
    // word's loose equivalent (老百姓 → 民生) nor a field's things, which name no section of their own.
    const score = substantive.reduce((sum, concept) => sum + (concept.test(heading) >= SECTION_FORM_WEIGHT ? concept.weight : 0), 0) / total;
    if (score >= ANSWER_MODEL.thresholds.sectionHeading) matching.add(heading);
    if (score >= ANSWER_MODEL.thresholds.sectionHeading && (!best || score > best.score)) best = { heading, score };
  }
  // Words that several headings share (抓实抓好…, 聚焦…) name the pattern of a list, not a field of its own.
  if (!best || matching.size > 1) return [];
  const leads: Candidate[] = [];
  let closed = false;
  for (const passage of input.passages) {
    if (closed || passage.sectionPath.at(-1) !== best.heading || (parts && !parts.has(passage.part))) continue;
    for (const sentence of sentencesOf(passage)) {
      // The address to the delegates (各位代表！) closes the tasks: what follows is no part of the section.
      if (REPORT.sentence('sentence.address').test(sentence.text)) {
        closed = true;
        break;
      }
      // A paragraph's first sentence: the passage's first (when it does not open with the heading itself), or one after a line break.
      const opensParagraph = sentence.start === 0 ? !best.heading.includes(sentence.text.trim()) && !sentence.text.startsWith(best.heading.slice(0, 6)) : passage.text[sentence.start - 1] === '\n';
      // A run-in lead is a statement of its own that its paragraph goes on from: 推动生态环境综合治理。…
      const goesOn = sentence.start + sentence.text.length < passage.text.length && passage.text[sentence.start + sentence.text.length] !== '\n';
      if (!opensParagraph || !goesOn || !hasRunInShape(sentence.text) || /\d/.test(sentence.text)) continue;
      const features: Features = { topic: best.score, heading: best.score, dense: 0, fit: 0, part: 1, retrieved: 0, figureNear: 0 };
      leads.push({ passage, sentence: { text: sentence.text, start: sentence.start, position: sentence.position }, pieces: [{ text: sentence.text, start: sentence.start }], features, score: score(features) });
    }
  }
  // A heading of several fields (全力促进科技创新、产业焕新、城市更新) whose one lead names the topic (持续释放城市更新生产力。):
  // that lead's paragraph answers, not the section's every lead.
  if (leads.some((lead) => coverage(topic, lead.sentence.text) >= ANSWER_MODEL.thresholds.sectionHeading)) return [];
  return leads.length >= 2 ? leads : [];
}

/**
 * Whether a text names what the question quotes: the phrase itself or the report forms of its concept (new three →
 * 新三样); an English phrase of several concepts ('cookware revolution': 炊具 + 革命) where the text names each.
 * Undefined when the question quotes nothing.
 */
export function namesQuoted(ask: Ask): ((text: string) => boolean) | undefined {
  const phrases = ask.quoted.filter((phrase) => phrase.length >= 2);
  if (phrases.length === 0) return undefined;
  const normal = (text: string): string => text.toLowerCase().replace(/-/g, ' ');
  const plain = (concept: Concept): string[] => concept.forms.filter((form) => !form.pattern && !form.gapped).map((form) => form.text);
  const tests = phrases.map((phrase) => {
    const whole = [phrase, ...ask.concepts.filter((concept) => normal(concept.written) === normal(phrase)).flatMap(plain)];
    const inside = whole.length === 1 ? ask.concepts.filter((concept) => ` ${normal(phrase)} `.includes(` ${normal(concept.written)} `)) : [];
    return (text: string): boolean => whole.some((form) => text.includes(form)) || (inside.length >= 2 && inside.every((concept) => plain(concept).some((form) => text.includes(form))));
  });
  return (text) => tests.some((test) => test(text));
}

/** A concept read through a loose translation: an English word no dictionary translated, or one only the bilingual dictionary did. */
function looselyTranslated(concept: Concept): boolean {
  return concept.untranslated === true || concept.forms.every((form) => form.weight <= 0.7 && !form.gapped && !form.pattern);
}

/** The best figure of an indicator related to the asked one (出口增长5.5%左右 where 进出口 was asked). */
function relatedClosest(input: EvidenceInput): Candidate | undefined {
  const ids = input.ask.indicator?.related ?? [];
  for (const id of ids) {
    const indicator = INDICATORS.find((candidate) => candidate.id === id);
    if (!indicator) continue;
    const ask: Ask = { ...input.ask, indicator, concepts: [{ written: indicator.label, forms: indicator.terms.map((term) => ({ text: term, weight: 1 })), indicator }], label: indicator.label };
    // From a statement of the economy's indicators (…进出口…，出口增长5.5%左右), not of one product's (荔枝…出口总量增长59.2%).
    const found = gatherEvidence({ ...input, ask }, { related: false }).candidates.filter((candidate) => candidate.figure && candidate.features.topic >= ANSWER_MODEL.thresholds.figureTopic && (candidate.row !== undefined || namesOtherIndicator(candidate.sentence.text, ask)));
    // Quoted whole: what the figure is of may be said before its clause (荔枝鲜果远销欧美，出口总量增长59.2%).
    const best = found[0];
    if (best) return { ...best, ...(best.row ? {} : { pieces: [{ text: best.sentence.text, start: best.sentence.start }] }), of: indicator };
  }
  return undefined;
}

/** The targets table's row of the indicator: a verified reading of the plan's targets (worded ones too). */
function tableCandidates(input: EvidenceInput, topic: readonly CompiledConcept[]): Candidate[] {
  const { intent, ask } = input;
  if (!input.rows || !ask.indicator?.target || intent.time.scope === 'review' || ask.aim === 'outcome' || input.mustMention) return [];
  const found: Candidate[] = [];
  const everyone = input.rows.some((row) => row.indicator === ask.indicator!.id && (row.scope ?? 'all') === 'all');
  for (const row of input.rows) {
    if (row.indicator !== ask.indicator.id) continue;
    // Urban or rural residents asked: their row; else everyone's (both where only they are set).
    if (ask.residents ? row.scope !== ask.residents : everyone && (row.scope ?? 'all') !== 'all') continue;
    const passage = input.passage?.(row.passageId);
    if (!passage || !row.quoteSpan) continue;
    const quote = passage.text.slice(row.quoteSpan.start, row.quoteSpan.end);
    const valueAt = quote.indexOf(row.value);
    const figure = readFigures(row.value)[0];
    const placed = figure ? { ...figure, index: row.quoteSpan.start + Math.max(0, valueAt) } : undefined;
    if (placed && wantsFigure(ask) && !figureFits(placed, ask, quote)) continue;
    const rule = placed ? undefined : REPORT.worded.find((candidate) => candidate.pattern.test(row.value) || candidate.qualifier === row.qualifier);
    // A target in words answers a figure asked without a unit; a rate asked only when the words state a rate of change.
    if (!placed && wantsFigure(ask) && (ask.unit || ask.numeral || (ask.rate && !rule?.rate))) continue;
    const worded = placed ? undefined : (rule?.qualifier ?? row.qualifier ?? '');
    const sentence = sentenceAt(passage, row.quoteSpan.start);
    const rank = input.retrieved.get(passage.id);
    // The row speaks of its indicator; of the rest of the topic (企业 of 企业研发投入) only what its clause says.
    const topicScore = coverage(topic, `${ask.indicator.terms[0]}${quote}`);
    const dense = sentence ? (input.similarities?.(passage)?.[sentence.position] ?? 0) : 0;
    // The row is the target itself: as fit as a statement with figures where a target is asked (有什么目标, 怎么说的).
    const fit = ask.aim === 'target' && !wantsFigure(ask) ? 2 : 1;
    const features: Features = { topic: topicScore, heading: 0, dense, fit, part: 1, retrieved: rank === undefined ? 0 : 1 / (1 + rank), figureNear: 1 };
    found.push({
      passage,
      sentence: { text: sentence?.text ?? quote, start: sentence?.start ?? row.quoteSpan.start, position: sentence?.position ?? 0 },
      pieces: [{ text: quote, start: row.quoteSpan.start }],
      ...(placed ? { figure: placed } : {}),
      ...(worded !== undefined ? { worded: worded || row.value } : {}),
      // A value read from a `分别` list: the quote holds several figures, the answer names the asked one.
      // (Not a stretch goal said after it: 6%左右，力争达到6%以上.)
      ...(placed && readFigures(quote.split(/[，,]/).filter((clause) => !REPORT.clause('clause.stretch_target').test(clause)).join('，')).filter((other) => other.dimension === placed.dimension).length > 1 ? { listed: true } : {}),
      // (Everyone's asked where the plan sets only urban and rural residents' targets: the quote of both is the answer whole.)
      ...(!ask.residents && !everyone && row.scope && row.scope !== 'all' ? { eachItem: true } : {}),
      row,
      features,
      score: score(features) + ANSWER_MODEL.weights.tableBonus,
    });
  }
  return found;
}

/** Whether a text speaks of the residents asked, or of urban and rural residents both. */
function residentsFit(text: string, residents: 'urban' | 'rural'): boolean {
  return REPORT.residents(residents).test(text) || REPORT.residents('both').test(text);
}

/**
 * Whether a clause names another topic than the ask's, with nothing of the ask's topic: another indicator, or
 * (not going on from the clause before) a measure of its own before its figure (…年综合收入达到7729亿元).
 */
function startsAnotherTopic(text: string, ask: Ask, strength: number): boolean {
  if (strength > 0) return false;
  // A share asked — or the rate of an indicator that is a share, R&D intensity — the clause of the share names its whole
  // (…，占地区生产总值的34%; 研发投入达到1055亿元，占地区生产总值比重达到4.1%左右), going on about the topic before it.
  if ((ask.share || (ask.rate && ask.indicator?.rateContext !== undefined)) && REPORT.clause('clause.share').test(text)) return false;
  if (namesOtherIndicator(text, ask)) return true;
  const continues = REPORT.clause('clause.continues').test(text) || REPORT.clause('clause.increment').test(text) || REPORT.clause('clause.bare_figure').test(text);
  const beforeFigure = text.slice(0, Math.max(0, text.search(/\d/)));
  return !continues && (REPORT.clause('clause.own_measure').test(beforeFigure) || REPORT.clause('clause.counted').test(beforeFigure));
}

/**
 * In a clause listing items with their figures (新增养老床位1万张、婴幼儿托位4.5万个), the figure of the item that
 * speaks of the topic most; undefined when the clause lists none or no item does.
 */
function itemFigure(clause: string, fitting: readonly Figure[], topic: readonly CompiledConcept[]): Figure | undefined {
  if (fitting.length < 2 || !clause.includes('、')) return undefined;
  let best: Figure | undefined;
  let bestCoverage = 0;
  let from = 0;
  for (const item of clause.split('、')) {
    const end = from + item.length;
    const own = fitting.find((figure) => figure.index >= from && figure.index < end);
    const covered = own ? coverage(topic, item) : 0;
    if (own && covered > bestCoverage) {
      best = own;
      bestCoverage = covered;
    }
    from = end + 1;
  }
  return best;
}

/** Whether a figure is part of a name in quotation marks (“招商引资20条”, “9条”措施), unless the question quotes that name. */
function inName(clause: string, figure: Figure, ask: Ask): boolean {
  const before = clause.slice(0, figure.index);
  const open = before.lastIndexOf('“');
  if (open < 0 || before.lastIndexOf('”') > open) return false;
  const close = clause.indexOf('”', figure.index);
  const name = clause.slice(open + 1, close < 0 ? undefined : close);
  return !ask.quoted.some((phrase) => phrase.includes(name) || name.includes(phrase));
}

/**
 * The windows of a sentence that answer a figure ask: a clause with a figure of the asked kind, with the
 * clauses before it back to the one that names the topic (each in between going on about it), and the clauses
 * after it that go on with figures of the same statement (增长5.8% after a total; 综合收入 after 游客接待量).
 */
function figureCandidates(passage: Passage, sentence: SentenceInfo, ask: Ask, topic: readonly CompiledConcept[], context: { heading: number; headingText: string; dense: number; part: number; retrieved: number; anyYear: boolean }): Candidate[] {
  const found: Candidate[] = [];
  const { clauses } = sentence;
  const strengths = clauses.map((clause) => coverage(topic, clause.text));
  for (let last = 0; last < clauses.length; last++) {
    // A rank that moved (从全国第5位跃升至第4位) is the one it moved to: the clause's last.
    const fitting = sentence.figures[last]!.filter((candidate) => figureFits(candidate, ask, clauses[last]!.text) && !inName(clauses[last]!.text, candidate, ask));
    // (A milestone passed, 迈上3万亿元新台阶, gives way to the value written after it, 达到30145.79亿元.)
    const text = clauses[last]!.text;
    const milestone = (candidate: Figure): boolean => REPORT.clause('clause.milestone').test(text.slice(candidate.index + candidate.text.length));
    const valued = fitting.filter((candidate) => !milestone(candidate) || !fitting.some((other) => other.index > candidate.index && other.dimension === candidate.dimension && !milestone(other)));
    let figure = ask.kind === 'rank' ? valued.at(-1) : (itemFigure(text, valued, topic) ?? valued[0]);
    let first = last;
    let best = strengths[last]!;
    // The figure's clause naming another topic (城镇新增就业60万人 after a GDP clause) is not the topic's.
    if (!startsAnotherTopic(clauses[last]!.text, ask, strengths[last]!)) {
      for (let back = last - 1; back >= Math.max(0, last - ANSWER_MODEL.weights.maxWindow); back--) {
        // No clause between the one naming the topic and the figure's starts another topic.
        if (back + 1 < last && startsAnotherTopic(clauses[back + 1]!.text, ask, strengths[back + 1]!)) break;
        const window = clauses.slice(back, last + 1).map((clause) => clause.text).join('');
        const windowCoverage = coverage(topic, window) * ANSWER_MODEL.weights.windowDecay ** (last - back);
        if (windowCoverage > best) {
          best = windowCoverage;
          first = back;
        }
      }
    }
    // Money raised or spent for a purpose named after it (筹措资金798亿元，实施…十大为民办实事工程): the purpose is its topic.
    let purpose = false;
    if (figure && last + 1 < clauses.length && REPORT.clause('clause.funded_purpose').test(`${text}${clauses[last + 1]!.text}`)) {
      const forward = coverage(topic, `${text}${clauses[last + 1]!.text}`) * ANSWER_MODEL.weights.windowDecay;
      if (forward > best) {
        best = forward;
        first = last;
        purpose = true;
      }
    }
    if (best === 0) continue;
    // A thing sold abroad named in the clause before (荔枝鲜果远销欧美，出口总量增长59.2%): the figure is that thing's.
    if (first > 0 && REPORT.clause('clause.sold_abroad').test(clauses[first - 1]!.text)) continue;
    // What the section's heading names the clause need not repeat (高标准高质量推进雄安新区建设 over 年内完成投资超2000亿元):
    // the heading and the window together, weighing as a heading does for measures.
    if (context.heading > 0) {
      const withHeading = ANSWER_MODEL.weights.headingAsTopic * coverage(topic, `${context.headingText}。${clauses.slice(first, last + 1).map((clause) => clause.text).join('')}`);
      if (withHeading > best) best = withHeading;
    }
    let end = purpose ? last + 1 : last;
    // A `分别` list: the figure in the topic's position (社会消费品零售总额 … 分别增长6%、5%: 5%).
    const listed = respectively(sentence, first, topic, ask, last);
    if (listed) {
      if (listed.ambiguous || !listed.fits(ask)) continue;
      figure = listed.figure;
      end = Math.max(last, listed.clause);
    }
    // No figure: a plan's target stated in words (农民收入力争两位数增长) answers a target asked.
    const worded = figure ? undefined : wordedTarget(clauses[last]!.text, ask, passage);
    if (!figure && worded === undefined) continue;
    // A figure of a year after the report's (到2025年新增粮食产能100亿斤) answers only that year asked.
    if (figure && !context.anyYear && ofOtherYear(sentence.text.slice(0, clauses[last]!.start - sentence.start + figure.index), passage.year)) continue;
    // Urban or rural residents asked: the figure is theirs (or both's), not everyone's (全体居民).
    if (ask.residents && ask.indicator?.scopeLabels && !residentsFit(clauses.slice(first, end + 1).map((clause) => clause.text).join(''), ask.residents)) continue;
    // The statement goes on: figures of the same statement after the answering one (a total's growth, a
    // non-indicator topic's next figure), up to two clauses, none naming another topic; a `分别` list's figure is its own.
    for (let next = end + 1; !listed && next <= Math.min(clauses.length - 1, end + 2); next++) {
      const text = clauses[next]!.text;
      // A clause after an enumeration comma (…10亿人次、综合收入突破1万亿元) is an item of the same statement.
      const enumerated = !ask.indicator && clauses[next - 1]!.text.endsWith('、');
      // (A note of how it was computed, 按可比价计算, is passed over.)
      if (sentence.figures[next]!.length === 0 && REPORT.clause('clause.method_note').test(text)) continue;
      if (sentence.figures[next]!.length === 0 || (!enumerated && startsAnotherTopic(text, ask, strengths[next]!))) break;
      const continues = REPORT.clause('clause.continues').test(text) || REPORT.clause('clause.bare_figure').test(text) || REPORT.clause('clause.increment').test(text);
      const fitting = continues || (!ask.indicator && sentence.figures[next]!.some((candidate) => figureFits(candidate, ask, text, false)));
      if (!fitting && !enumerated) break;
      end = next;
      // (An item enumerated with it, of another measure — 新改扩建义务教育学校100所、校舍50万平方米 — ends the statement.)
      if (!fitting) break;
    }
    const pieces = [{ text: clauses.slice(first, end + 1).map((clause) => clause.text).join('').replace(/[，；：,;:、。]$/, ''), start: clauses[first]!.start }];
    // The figure the question names as a bar (破3万亿了吗): the statement of that figure fits best.
    const fit = figure && meetsStated(figure, ask) ? 2 : 1;
    const features: Features = { topic: best, heading: context.heading, dense: context.dense, fit, part: context.part, retrieved: context.retrieved, figureNear: first === last ? 1 : 0.5 };
    found.push({ passage, sentence: { text: sentence.text, start: sentence.start, position: sentence.position }, pieces, ...(figure ? { figure } : { worded }), ...(listed ? { listed: true, item: listed.item, ...(listed.eachItem ? { eachItem: true } : {}) } : {}), features, score: score(features) });
    // The list's clauses are read; the sentence goes on (…分别增长8%、8.5%，文旅重点产业链年综合收入达到8500亿元).
    if (listed) last = end;
  }
  return found;
}
