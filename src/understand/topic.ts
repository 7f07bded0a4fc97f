// The topic of a question as concepts, each with the forms reports write it in: the indicators of the
// lexicon (with their report terms), the question's own content words (with the synonyms, colloquial
// equivalents and abbreviations the lexicon and the corpus's vocabulary attest), Latin abbreviations
// (AI → 人工智能) and, for English, report terms from the lexicon's phrases and the bilingual dictionary
// built at ingest. Positions are kept so that a question can be split into its asks. Pure.
import { jieba } from '../corpus/jieba.ts';
import { findPlaces } from '../corpus/places.ts';
import { escapeRegExp } from '../corpus/normalize-text.ts';
import type { EnglishDictionary } from '../index/english-dictionary.ts';
import { cue, ENGLISH_FORMS, GENERIC_CHARACTERS, GENERIC_ENGLISH, GENERIC_WORDS, INDICATORS, REPORT, TERMS, type Indicator } from '../lexicon/lexicon.ts';
import type { Concept, Form } from './intent.ts';


/** What the topic reader may ask of the corpus. */
export interface Vocabulary {
  /** Whether the corpus's reports use a word (jieba's vocabulary of the corpus). */
  has(word: string): boolean;
  /** Whether a report writes a text anywhere, a word of its own or inside one (助餐点 of 老年助餐点); else `has`. */
  writes?(text: string): boolean;
  /** The share of the corpus's passages that write a text (0–1). */
  writtenShare?(text: string): number;
  english?: EnglishDictionary;
  /** The words the reports write that a name spells in pinyin (Sanjiangyuan → 三江源), most written first. */
  soundsLike?(name: string): readonly string[];
}

export interface PlacedConcept extends Concept {
  /** Where the concept is written in the text read. */
  index: number;
  length: number;
}

/** Weights of forms that are not the question's own word. */
const WEIGHT = { own: 1, indicator: 1, synonym: 0.9, english: 0.9, englishGapped: 0.8, dictionary: 0.7, abbreviation: 0.8, part: 0.75, gapped: 0.7, colloquial: 0.5, single: 0.4 } as const;

/** The most passages (a share) that a compound's head may be written in and still name something of its own (装机, not 经济). */
const SPECIFIC_HEAD_SHARE = 0.05;

/** Latin runs in a Chinese question: `5G`, `AI`, `PM2.5`, `R&D`. */
const LATIN_RUN = /(?<![A-Za-z0-9&.])(?=[A-Za-z0-9.&]*[A-Za-z])[A-Za-z0-9&]{2,}(?:\.\d+)?(?![A-Za-z0-9&])/g;
const HANZI_RUN = /[\u3400-\u9fff]+/g;
const NUMBER_WORD = /^[\d.]+$|^[千万亿百十]+(?:元|人|个)?$|^几[\u4e00-\u9fff]?$|^[一二三四五六七八九十两]+$/;

interface Span {
  index: number;
  length: number;
}

/** The text with the spans blanked (kept the same length, so that positions hold). */
export function blank(text: string, spans: readonly Span[]): string {
  const chars = [...text];
  // Work on UTF-16 indices: the text is BMP Chinese and ASCII, so code units and characters agree.
  for (const span of spans) for (let at = span.index; at < span.index + span.length && at < chars.length; at++) chars[at] = ' ';
  return chars.join('');
}

/**
 * Every trigger and report term of every indicator, longest first, so that 人均GDP is read before GDP and
 * `energy consumption per unit of GDP` before GDP (built once per process).
 */
const INDICATOR_WORDS: readonly { indicator: Indicator; word: string }[] = INDICATORS.flatMap((indicator) => [...indicator.triggers, ...indicator.terms.map((term) => term.toLowerCase())].map((word) => ({ indicator, word }))).sort((left, right) => right.word.length - left.word.length);

/** Indicators named by the text, longest trigger first; each found span is consumed. */
function findIndicators(text: string, lower: string): { indicator: Indicator; index: number; length: number; trigger: string }[] {
  const found: { indicator: Indicator; index: number; length: number; trigger: string }[] = [];
  const taken = new Array<boolean>(text.length).fill(false);
  for (const { indicator, word } of INDICATOR_WORDS) {
    const latin = /^[a-z]/.test(word);
    for (let index = lower.indexOf(word); index >= 0; index = lower.indexOf(word, index + 1)) {
      if (latin && (/[a-z]/.test(lower[index - 1] ?? '') || /[a-z]/.test(lower[index + word.length] ?? ''))) continue;
      if (taken.slice(index, index + word.length).some(Boolean)) continue;
      // An indicator's look-alike (`数字经济增长` is not 经济增长): its excluded phrases around the mention.
      const around = text.slice(Math.max(0, index - 6), index + word.length + 6);
      if ((indicator.excludes ?? []).some((pattern) => new RegExp(pattern).test(around) && new RegExp(pattern).exec(around)![0].includes(text.slice(index, index + word.length)))) continue;
      if (NOT_GDP_ECONOMY.test(text.slice(Math.max(0, index - 4), index + word.length)) && indicator.id === 'gdp_growth') continue;
      // A part's figure in the question too (海洋生产总值 is no GDP): the words before the mention say so.
      const before = text.slice(Math.max(0, index - 12), index);
      if (!latin && REPORT.mention.some((rule) => rule.side === 'before' && rule.name === 'mention.part' && rule.pattern.test(before))) continue;
      taken.fill(true, index, index + word.length);
      // One concept per indicator in a sub-question; a longer written form extends it (规上工业 … 增加值). Another
      // sub-question naming it again (外贸去年是涨是跌？进出口总额增速多少？) names it for its own ask.
      const existing = found.find((entry) => entry.indicator === indicator && !/[？?；;]/.test(text.slice(Math.min(entry.index, index), Math.max(entry.index, index))));
      if (existing) continue;
      found.push({ indicator, index, length: word.length, trigger: word });
    }
  }
  return found.sort((left, right) => left.index - right.index);
}

/** An economy that is not the region's GDP: 数字经济增长, 海洋经济, the digital economy. */
const NOT_GDP_ECONOMY = /(?:数字|民营|海洋|县域|实体|文旅|夜间|低空|冰雪|银发|平台|循环|绿色|共享|口岸|开放型|外向型|园区|湾区|枢纽|流域|首店|假日|网络|互联网|林下)经济|(?:digital|private|marine|ocean|maritime|night-time|night|low-altitude|silver|platform|real|circular|green|sharing|county|border|port|tourism) (?:economy|gdp)/i;

function indicatorConcept(found: { indicator: Indicator; index: number; length: number; trigger: string }, text: string): PlacedConcept {
  const written = text.slice(found.index, found.index + found.length);
  const forms: Form[] = found.indicator.terms.map((term) => ({ text: term, weight: WEIGHT.indicator }));
  // A short general word (就业方面, 研发) names a field, not only the indicator: its own statements count too.
  const broad = /^[\u4e00-\u9fff]{2}$/.test(written) && !found.indicator.terms.some((term) => term.includes(written) && term.length <= 3);
  if (broad) return { written, forms: [...forms, { text: written, weight: WEIGHT.own }], indicator: found.indicator, broad: true, index: found.index, length: found.length };
  // The question's own specific word counts too (经济增长), not a short one (研发 would match 研发项目).
  if (/[\u4e00-\u9fff]/.test(written) && written.length >= 3 && !forms.some((form) => form.text === written)) forms.push({ text: written, weight: WEIGHT.own });
  for (const pattern of found.indicator.reportPatterns ?? []) forms.push({ text: pattern, weight: WEIGHT.indicator, pattern: true });
  return { written, forms, indicator: found.indicator, index: found.index, length: found.length };
}

/**
 * Abbreviations of a run of words the corpus uses: each of at least two of the words gives its first character,
 * and perhaps the next ones (文化 + 旅游 → 文旅, 规模以上 + 工业 → 规上工业, 固定资产 + 投资 → 固投); not a piece of
 * one word alone (高新技术企业 is not abbreviated 高技术).
 */
function abbreviationsOf(words: readonly string[], vocabulary: Vocabulary): string[] {
  if (words.length < 2 || words.join('').length > 12) return [];
  const found = new Set<string>();
  // Each word contributes nothing, or its first character and then any of its later characters, in order.
  const contributions = (word: string): string[] => {
    const options = [''];
    const walk = (from: number, picked: string): void => {
      options.push(picked);
      if (picked.length >= 2) return;
      for (let next = from; next < word.length; next++) walk(next + 1, picked + word[next]);
    };
    walk(1, word[0]!);
    return options;
  };
  const build = (position: number, picked: string, contributors: number): void => {
    if (position === words.length) {
      if (contributors >= 2 && picked.length >= 2 && !words.join('').includes(picked) && vocabulary.has(picked)) found.add(picked);
      return;
    }
    for (const part of contributions(words[position]!)) {
      if (position === 0 && !part) continue;
      if (picked.length + part.length > 4) continue;
      build(position + 1, picked + part, contributors + (part ? 1 : 0));
    }
  };
  build(0, '', 0);
  return [...found];
}

/** Parts of speech of a word that carry the question's action or manner, not its topic (扶持, 撑腰, 落实). */
const VERB_LIKE = /^(?:v|vd|a|ad|d)$/;

const verbLike = new Map<string, boolean>();
/** Whether jieba reads a word, alone, as a verb, an adjective or an adverb (remembered per word). */
export function isVerbLike(word: string): boolean {
  let known = verbLike.get(word);
  if (known === undefined) {
    // A word jieba guessed from pieces that are all verbs (要 + 建) is a verb too.
    const tags = jieba.tag(word);
    known = tags.length >= 1 && tags.every((tag) => VERB_LIKE.test(tag.tag));
    if (verbLike.size > 50_000) verbLike.clear();
    verbLike.set(word, known);
  }
  return known;
}

/**
 * jieba's words with its guesses at new words (HMM), except that a character that is never a topic is not part
 * of a guessed word (文旅有 → 文旅, 有).
 */
function jiebaWords(text: string): string[] {
  const words: string[] = [];
  for (const word of jieba.cut(text, true).flatMap(withoutFraming)) {
    // A word jieba guessed (要产: not in its dictionary, so cut apart without guessing) may hold a framing character.
    const pieces = word.length > 2 || (word.length === 2 && !GENERIC_WORDS.has(word)) ? jieba.cut(word, false) : [word];
    const first = pieces[0]!;
    const last = pieces.at(-1)!;
    if (pieces.length > 1 && first.length === 1 && isGenericCharacter(first)) words.push(first, word.slice(1));
    else if (pieces.length > 1 && last.length === 1 && isGenericCharacter(last)) words.push(word.slice(0, -1), last);
    else words.push(word);
  }
  return words;
}

/**
 * A word jieba keeps whole that is made of framing words only (控制目标 = 控制 + 目标): its pieces, so that it
 * reads as framing too. A word with a topic piece stays whole (行动计划, not 行动 + 计划); a lexicon term too.
 */
function withoutFraming(word: string): string[] {
  if (word.length < 3 || GENERIC_WORDS.has(word) || TERMS.synonyms[word] || TERMS.colloquial[word]) return [word];
  // (A character that is never a topic counts as framing too: 新举措 = 新 + 举措.)
  const framing = (piece: string): boolean => GENERIC_WORDS.has(piece) || (piece.length === 1 && isGenericCharacter(piece));
  const cut = jieba.cutForSearch(word, true).filter((piece) => piece !== word && piece.length >= 2);
  const pieces = tiling(word, [...cut, ...[...word].filter(isGenericCharacter)]);
  if (!pieces || !pieces.every(framing) || !pieces.some((piece) => piece.length >= 2)) return [word];
  return pieces;
}

/** The pieces, in order, that spell the word end to end (longer pieces tried first: 旅客 + 吞吐量, not 旅客 + 吞吐 + …), or undefined. */
function tiling(word: string, pieces: readonly string[]): string[] | undefined {
  const byLength = [...new Set(pieces)].sort((left, right) => right.length - left.length);
  const from = (at: number): string[] | undefined => {
    if (at === word.length) return [];
    for (const piece of byLength) {
      if (!word.startsWith(piece, at)) continue;
      const rest = from(at + piece.length);
      if (rest) return [piece, ...rest];
    }
    return undefined;
  };
  return from(0);
}

/**
 * jieba's words with a character that is never a topic alone, cut off after a longer word, given back where it
 * makes a noun with the word's last character that the corpus writes (产业园 + 区 → 产业 + 园区: the reports write
 * 园区 and 产业, never 产业园区 as one word).
 */
function regrouped(words: readonly string[], vocabulary: Vocabulary): string[] {
  const out: string[] = [];
  const noun = (text: string): boolean => {
    const tags = jieba.tag(text);
    return tags.length === 1 && tags[0]!.tag.startsWith('n');
  };
  for (let position = 0; position < words.length; position++) {
    const word = words[position]!;
    const next = words[position + 1];
    const pair = next?.length === 1 && isGenericCharacter(next) ? word.slice(-1) + next : '';
    if (pair && word.length >= 3 && !vocabulary.has(word + next) && noun(pair) && vocabulary.has(pair) && vocabulary.has(word.slice(0, -1))) {
      out.push(word.slice(0, -1), word.slice(-1) + next);
      position++;
    } else out.push(word);
  }
  return out;
}

/** Adjacent words jieba cut apart that together are a term of the lexicon (民生 + 实事 → 民生实事, with its synonyms), read as one. */
function lexiconTerms(concepts: readonly PlacedConcept[], vocabulary: Vocabulary): PlacedConcept[] {
  const out: PlacedConcept[] = [];
  for (let first = 0; first < concepts.length; first++) {
    let joined: PlacedConcept | undefined;
    let last = first;
    for (let next = first + 1; next < concepts.length && next - first < 3 && concepts[next]!.index === concepts[next - 1]!.index + concepts[next - 1]!.length; next++) {
      const word = concepts.slice(first, next + 1).map((concept) => concept.written).join('');
      if (TERMS.synonyms[word] || TERMS.colloquial[word]) {
        joined = contentConcept(word, concepts[first]!.index, vocabulary);
        last = next;
      }
    }
    out.push(joined ?? concepts[first]!);
    first = last;
  }
  return out;
}

function contentConcept(word: string, index: number, vocabulary: Vocabulary): PlacedConcept {
  // (A single character the lexicon gives words for, 煤 → 煤炭, 原煤, is found inside other things' words too, 煤电: it says less.)
  const forms: Form[] = [{ text: word, weight: word.length === 1 && TERMS.synonyms[word] ? WEIGHT.single : WEIGHT.own }];
  // The words a longer word is made of (旅游 of 旅游业, 消费 of 促消费), where the corpus uses them.
  if (word.length >= 3) {
    // (A word jieba guessed whole, 普惠托位, has no search pieces: its pieces without guessing, 普惠 + 托位.)
    const searchPieces = jieba.cutForSearch(word, true).filter((part) => part !== word);
    // (A piece inside a longer piece says less than it: 能源 of 新能源车 beside 新能源 would find 生物能源.)
    const pieces = searchPieces.length > 0 ? searchPieces : jieba.cut(word, false);
    for (const part of pieces.filter((piece) => !pieces.some((other) => other !== piece && other !== word && other.length > piece.length && other.includes(piece)))) {
      if (part.length >= 2 && part !== word && !GENERIC_WORDS.has(part) && vocabulary.has(part) && !forms.some((form) => form.text === part)) forms.push({ text: part, weight: WEIGHT.part, part: true });
    }
  }
  for (const synonym of TERMS.synonyms[word] ?? []) if (synonym !== word) forms.push({ text: synonym, weight: WEIGHT.synonym });
  for (const everyday of TERMS.colloquial[word] ?? []) forms.push({ text: everyday, weight: WEIGHT.colloquial });
  // A short word may abbreviate what the report spells out (文旅 in 文化旅游, 固投 in 固定资产投资).
  // So may a report write a word the question shortens with a character between (普惠托位 in 普惠性托位).
  if (word.length >= 2 && word.length <= 4 && /^[\u4e00-\u9fff]+$/.test(word)) forms.push({ text: word, weight: WEIGHT.gapped, gapped: true });
  // (A word the lexicon gives the report's synonyms of, 托育 → 托位, is a thing asked about, whatever jieba tags it; so is
  // an everyday phrase for a field, 看病 → 医疗.)
  return { written: word, forms, index, length: word.length, ...(isVerbLike(word) && !TERMS.synonyms[word] && !(word.length >= 2 && TERMS.colloquial[word]) ? { verb: true } : {}) };
}

/**
 * The forms of the report terms an English phrase translates to: each term, then, for a report that does not write
 * the term, the word that qualifies a compound of two words (冰雪 of 冰雪经济: the report writes 冰雪旅游, 冰雪运动),
 * as a Chinese question's own words would be read. The compound's head alone (经济) names something broader, and
 * one word of a longer compound (调查 of 城镇调查失业率) names too little.
 */
function translatedForms(terms: readonly string[], weight: number, vocabulary: Vocabulary): Form[] {
  // (A single character, 港 of port, is found inside other words, 南港: it says less.)
  const forms: Form[] = terms.map((term) => ({ text: term, weight: term.length === 1 ? weight * WEIGHT.single : weight }));
  // A term's words, where it is a compound of words jieba knows (新能源 + 装机).
  const wordsOf = new Map(terms.filter((term) => term.length >= 4).map((term) => [term, tiling(term, jieba.cutForSearch(term, true).filter((piece) => piece.length >= 2 && piece !== term))] as const));
  // (Where the lexicon gives the report's several terms for it, 海洋经济 and 海洋生产总值, those are its forms.)
  const words = terms.length === 1 ? wordsOf.get(terms[0]!) : undefined;
  const modifier = words?.length === 2 ? words[0]! : undefined;
  if (modifier && !GENERIC_WORDS.has(modifier) && vocabulary.has(modifier)) forms.push({ text: modifier, weight: weight * WEIGHT.part, fallback: true });
  // The compound's head counts for a part, as a Chinese question's words do (装机 alone says half of 新能源装机: a
  // clause going on about it, 新增装机规模4000万千瓦 after 新能源全产业链…).
  // (Not a head most reports write everywhere, 经济 of 数字经济: it names something broader.)
  const head = words?.length === 2 ? words[1]! : undefined;
  if (modifier && head && !GENERIC_WORDS.has(head) && vocabulary.has(head) && (vocabulary.writtenShare?.(head) ?? 1) < SPECIFIC_HEAD_SHARE) forms.push({ text: head, weight: weight * WEIGHT.part * WEIGHT.part, part: true });
  // Each term's words with a character or two between, as the report may write them (新能源总装机 for 新能源装机),
  // or with another modifier coordinated before the head (货物和集装箱吞吐量 for 货物吞吐量).
  for (const parts of wordsOf.values()) {
    if (parts && parts.length >= 2) forms.push({ text: parts.map(escapeRegExp).join('(?:[\\u4e00-\\u9fff]{1,2}|[和与及、][\\u4e00-\\u9fff]{1,6})'), weight: weight * WEIGHT.gapped, pattern: true });
  }
  return forms;
}

/**
 * The concepts of a Chinese text (places, groups and time words already blanked): indicators, then the
 * content words left, then Latin abbreviations. Adjacent content words also give the abbreviations the
 * corpus uses for them (文化 + 旅游 → 文旅).
 */
/** Lexicon phrases (synonyms, everyday words) jieba cuts into pieces one of which is framing or a number (找工作, 新 of 新基建, 一 of 一产), longest first. */
const PHRASES_CUT_APART = [...Object.keys(TERMS.synonyms), ...Object.keys(TERMS.colloquial)]
  .filter((phrase) => phrase.length >= 2 && jieba.cut(phrase, false).some((piece) => piece !== phrase && (GENERIC_WORDS.has(piece) || NUMBER_WORD.test(piece) || (piece.length === 1 && isGenericCharacter(piece)))))
  .sort((left, right) => right.length - left.length);

/** The longest term the lexicon names that starts before a position and ends after it (数字经济 across 经济规模 of 数字经济规模). */
function namedTermAcross(text: string, at: number): Span | undefined {
  for (let start = Math.max(0, at - 6); start < at; start++) {
    for (let end = Math.min(text.length, start + 8); end > at; end--) if (TERMS.named.has(text.slice(start, end))) return { index: start, length: end - start };
  }
  return undefined;
}

function chineseConcepts(text: string, vocabulary: Vocabulary): PlacedConcept[] {
  const lower = text.toLowerCase();
  const indicators = findIndicators(text, lower);
  const concepts: PlacedConcept[] = indicators.map((found) => indicatorConcept(found, text));
  // The indicator's whole term written in the question is consumed with it (规上工业增加值, not 增加值 again).
  const consumed: Span[] = indicators.map((found) => {
    let index = found.index;
    let length = found.length;
    for (const term of found.indicator.terms) {
      const at = text.indexOf(term, Math.max(0, found.index - term.length));
      if (at >= 0 && at <= found.index && at + term.length > found.index + length) length = at + term.length - found.index;
    }
    // So are its other words written right beside it (外贸进出口: one indicator, not 外贸 beside it).
    const words = [...found.indicator.terms, ...found.indicator.triggers].filter((word) => /^[\u4e00-\u9fff]+$/.test(word));
    for (let grown = true; grown; ) {
      grown = false;
      const before = words.find((word) => text.slice(index - word.length, index) === word);
      if (before) {
        index -= before.length;
        length += before.length;
        grown = true;
      }
      const after = words.find((word) => text.startsWith(word, index + length));
      if (after) {
        length += after.length;
        grown = true;
      }
    }
    return { index, length };
  });
  let rest = blank(text, consumed);
  // Latin topic words in a Chinese question (5G, AI, PM2.5); an indicator's acronym (GDP) is not one.
  for (const match of rest.matchAll(LATIN_RUN)) {
    const token = match[0];
    if (cue('indicator.acronym').test(token)) continue;
    const mapped = TERMS.latin[token.toLowerCase()];
    const forms: Form[] = [{ text: token, weight: WEIGHT.own }, ...(mapped ? [{ text: mapped, weight: WEIGHT.synonym }] : [])];
    concepts.push({ written: token, forms, index: match.index ?? 0, length: token.length });
  }
  rest = rest.replace(LATIN_RUN, (token) => ' '.repeat(token.length));
  const content: PlacedConcept[] = [];
  // Everyday phrases and synonyms of the lexicon that jieba cuts apart, a framing word among them (找工作 = 找 + 工作):
  // read whole, before the words are.
  for (const phrase of PHRASES_CUT_APART) {
    for (let at = rest.indexOf(phrase); at >= 0; at = rest.indexOf(phrase, at + phrase.length)) {
      // (Where its first word ends a term the lexicon names, that term is read: 经济规模 of 数字经济规模 is 数字经济's size.)
      const crossing = namedTermAcross(rest, at);
      if (crossing) {
        content.push(contentConcept(rest.slice(crossing.index, crossing.index + crossing.length), crossing.index, vocabulary));
        rest = blank(rest, [crossing]);
        continue;
      }
      content.push(contentConcept(phrase, at, vocabulary));
      rest = rest.slice(0, at) + ' '.repeat(phrase.length) + rest.slice(at + phrase.length);
    }
  }
  for (const run of rest.matchAll(HANZI_RUN)) {
    let offset = run.index ?? 0;
    // A name jieba does not know comes apart with a single character among its pieces (天开园 → 天 / 开园,
    // 养老助餐点 → 养老 / 助 / 餐点): such neighbours are read as one word.
    const pieces: { word: string; at: number }[] = [];
    const single = (text: string): boolean => text.length === 1 && !isGenericCharacter(text);
    const written = (text: string): boolean => (vocabulary.writes ? vocabulary.writes(text) : vocabulary.has(text));
    let previous = '';
    // A word of two characters the corpus never uses, that jieba guessed (车产 of 新能源车产了) or that holds an
    // everyday word (挖煤: 挖 → 产量), is its characters (车, 产 → 产量; 挖, 煤), kept apart.
    const words = regrouped(jiebaWords(run[0]), vocabulary).flatMap((word) => {
      const unused = word.length === 2 && !vocabulary.has(word) && !GENERIC_WORDS.has(word);
      const characters = unused && [...word].some((character) => TERMS.colloquial[character]) ? [...word] : unused ? jieba.cut(word, false) : [word];
      return characters.length === 2 ? characters.map((character) => ({ word: character, apart: true })) : [{ word, apart: false }];
    });
    for (const { word, apart } of words) {
      const at = offset;
      offset += word.length;
      if (GENERIC_WORDS.has(word) || NUMBER_WORD.test(word)) {
        previous = '';
        continue;
      }
      const last = pieces.at(-1);
      // A character that is never a topic (上 of 亚运会上拿) joins nothing; nor does a guessed word's character.
      const joinable = !apart && !isGenericCharacter(last?.word ?? '') && !isGenericCharacter(word);
      // (Only into what the reports write: 帮 and 找 of 帮大学生找工作 are verbs beside a word, not a name.)
      if (last && last.at + last.word.length === at && joinable && (single(word) || single(previous)) && written(last.word + word)) last.word += word;
      else pieces.push({ word, at });
      previous = word;
    }
    for (const { word, at } of pieces) content.push(contentConcept(word, at, vocabulary));
  }
  // Single characters carry a topic only when nothing longer does (挖了多少煤: 煤).
  const kept = lexiconTerms(content.filter((concept) => concept.written.length >= 2 || TERMS.colloquial[concept.written] || !isGenericCharacter(concept.written)), vocabulary);
  // Adjacent content words may be abbreviated by the report (文化旅游 → 文旅): their joined phrase's abbreviations.
  for (let first = 0; first < kept.length; first++) {
    const run = [kept[first]!.written];
    let end = kept[first]!.index + kept[first]!.length;
    // Up to four words at a time (文化+旅游 → 文旅; 固定+资产+投资 → 固投): a run of noise stays linear.
    for (let next = first + 1; next < kept.length && next - first < 4 && kept[next]!.index === end; next++) {
      run.push(kept[next]!.written);
      end += kept[next]!.length;
      for (const abbreviation of abbreviationsOf(run, vocabulary)) for (const concept of kept.slice(first, next + 1)) if (!concept.forms.some((form) => form.text === abbreviation)) concept.forms.push({ text: abbreviation, weight: WEIGHT.abbreviation });
    }
  }
  // Words written alike side by side (治水治气, 稳岗扩岗: the same first character, the same length) are two things of a
  // kind: if one is what is asked about, so is the other.
  // (Nor is the second the first's head.)
  const alike = new Set<PlacedConcept>();
  for (let position = 1; position < kept.length; position++) {
    const [left, right] = [kept[position - 1]!, kept[position]!];
    if (left.index + left.length === right.index && left.written.length === right.written.length && left.written.length >= 2 && left.written[0] === right.written[0]) {
      alike.add(right);
      if (left.verb !== right.verb) {
        delete left.verb;
        delete right.verb;
      }
    }
  }
  // The head of a compound (货物 + 吞吐量, 外资 + 总部): the word right after another content word or an indicator's,
  // with nothing between.
  for (const concept of kept) {
    const before = [...kept, ...concepts.filter((other) => other.indicator)].find((other) => other.index + other.length === concept.index);
    if (before && !before.verb && !alike.has(concept)) concept.head = true;
  }
  concepts.push(...kept);
  return markMeasures(concepts).sort((left, right) => left.index - right.index);
}

/** Marks the words of what is measured (产量, output) among concepts with a topic of their own beside them. */
function markMeasures(concepts: PlacedConcept[]): PlacedConcept[] {
  const measures = concepts.filter((concept) => !concept.indicator && TERMS.measures.has(concept.written.toLowerCase()));
  if (measures.length > 0 && measures.length < concepts.length) for (const concept of measures) concept.measure = true;
  // Verbs weigh less only beside a topic of their own (挖了多少煤: 煤 is the topic, 挖 how it is asked).
  if (concepts.every((concept) => concept.verb || concept.measure)) for (const concept of concepts) delete concept.verb;
  return concepts;
}

/** Whether a text is one character that is never a topic alone (lexicon/generic-words.json). */
function isGenericCharacter(text: string): boolean {
  return text.length === 1 && GENERIC_CHARACTERS.has(text);
}

type Phrase = { phrase: string; indicator?: Indicator; terms?: readonly string[] };
const unhyphen = (phrase: string): string => phrase.replace(/(?<=[a-z])-(?=[a-z])/g, ' ');
/** The lexicon's English phrases (indicator triggers, terms, the glossary), hyphens as spaces, longest first (built once). */
const ENGLISH_PHRASES: readonly Phrase[] = [
  ...INDICATORS.flatMap((indicator) => indicator.triggers.filter((trigger) => /^[a-z]/.test(trigger)).map((phrase) => ({ phrase: unhyphen(phrase), indicator }))),
  ...TERMS.english.map(([phrase, terms]) => ({ phrase: unhyphen(phrase), terms })),
  // A plural phrase of the glossary in the singular too (overdue payments → overdue payment); not a single word that
  // in the singular is a generic one, a verb (lifts → lift).
  ...TERMS.english
    .filter(([phrase]) => /[^su]s$/.test(phrase) && phrase.length >= 5 && !TERMS.english.some(([other]) => other === phrase.slice(0, -1)) && !GENERIC_ENGLISH.has(phrase.slice(0, -1)))
    .map(([phrase, terms]) => ({ phrase: unhyphen(phrase.slice(0, -1)), terms })),
].sort((left, right) => right.phrase.length - left.phrase.length);
/**
 * The phrases of two or more words as patterns that admit one more word between two of theirs (not a word that
 * joins or relates two things: China and Europe trains are not China-Europe trains), with an optional plural.
 */
const GAPPED_PHRASES: readonly (Phrase & { gapped: RegExp })[] = ENGLISH_PHRASES.filter(({ phrase }) => /^[a-z0-9]+(?: [a-z0-9]+)+$/.test(phrase)).map((entry) => {
  const words = entry.phrase.split(' ').map(escapeRegExp);
  const gaps = words.slice(1).map((_, at) => `${words.slice(0, at + 1).join(' ')} (?!(?:and|or|of|the|to|in|for|with|by|on|at|from|as)\\b)[a-z]{3,} ${words.slice(at + 1).join(' ')}`);
  return { ...entry, gapped: new RegExp(`(?<![a-z0-9])(?:${gaps.join('|')})(?:e?s)?(?![a-z0-9])`, 'g') };
});
/** An English text as the phrases are matched in: hyphens as spaces, British spellings of the same length as American. */
function englishForMatching(text: string): string {
  // `new-energy vehicles` is matched as `new energy vehicles` (same length: positions hold).
  // (So is a British spelling of the same length: financial centre as financial center.)
  return text
    .toLowerCase()
    .replace(/(?<=[a-z])-(?=[a-z])/g, ' ')
    .replace(/[a-z]+/g, (word) => {
      const rule = ENGLISH_FORMS.spellings.find((candidate) => candidate.from.length === candidate.to.length && word.endsWith(candidate.from) && word.length > candidate.from.length + 2);
      return rule ? word.slice(0, -rule.from.length) + rule.to : word;
    });
}

const isWordChar = (char: string | undefined): boolean => char !== undefined && /[a-z0-9]/.test(char);
type PhraseMatch = { entry: Phrase; index: number; length: number };

/** The lexicon's phrases as written in a text (of several words or of one), as words of their own or in the plural. */
function* exactPhrases(lower: string, several: boolean): Generator<PhraseMatch> {
  for (const entry of ENGLISH_PHRASES) {
    const { phrase } = entry;
    if (phrase.includes(' ') !== several) continue;
    for (let index = lower.indexOf(phrase); index >= 0; index = lower.indexOf(phrase, index + 1)) {
      // A phrase as words of their own, or in the plural (disposable incomes, free trade zones).
      const length = phrase.length + (/^e?s(?![a-z0-9])/.exec(lower.slice(index + phrase.length))?.[0].length ?? 0);
      if (!isWordChar(lower[index - 1]) && !isWordChar(lower[index + length])) yield { entry, index, length };
    }
  }
}

/** The lexicon's phrases of several words with one more word inside (China-Europe freight trains). */
function* gappedPhrases(lower: string): Generator<PhraseMatch> {
  for (const entry of GAPPED_PHRASES) for (const match of lower.matchAll(entry.gapped)) yield { entry, index: match.index, length: match[0].length };
}

/**
 * The spans of an English text that a lexicon phrase of several words covers (China-Europe trains, Greater Bay
 * Area): a place named inside one is part of a name, not a place asked about.
 */
export function englishPhraseSpans(text: string): Span[] {
  const lower = englishForMatching(text);
  return [...exactPhrases(lower, true), ...gappedPhrases(lower)].map(({ index, length }) => ({ index, length }));
}

/** A name of hyphenated names where a text writes it, and the report forms it is read as. */
export type HyphenatedName = Span & { forms: string[] };

const HYPHENATED_NAME = /\b[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)+\b/g;

/**
 * Names joined by hyphens (Yiwu-Xinjiang-Europe, Xiamen-Kinmen, Three-North) as the reports write them: each part read
 * as a place, a name by its sound or a dictionary word, then the parts' readings joined whole (宁波舟山) or by their
 * first characters (义新欧, 厦金, 三北) — those a report writes. None where no reading is written.
 */
export function hyphenatedNames(text: string, vocabulary: Vocabulary): HyphenatedName[] {
  const found: HyphenatedName[] = [];
  for (const match of text.matchAll(HYPHENATED_NAME)) {
    const index = match.index ?? 0;
    // (A name in brackets after it, Yiwu-Xinjiang-Europe (Yixin'ou), is its name as the reports write it, by its sound.)
    const glossed = /^\s*\(([A-Z][A-Za-z'’]+)\)/.exec(text.slice(index + match[0].length));
    const heard = glossed ? (vocabulary.soundsLike?.(glossed[1]!) ?? []) : [];
    const readings = match[0].split('-').map((part) => namesOf(part, vocabulary));
    let joined: { whole: string; initials: string }[] = [{ whole: '', initials: '' }];
    for (const names of readings) joined = joined.flatMap((so) => names.map((name) => ({ whole: so.whole + name, initials: so.initials + name[0]! }))).slice(0, 64);
    const forms = [...new Set([...heard, ...joined.flatMap(({ whole, initials }) => [whole, initials])])].filter((form) => form.length >= 2 && vocabulary.writes?.(form));
    if (forms.length > 0) found.push({ index, length: match[0].length + (heard.length > 0 ? glossed![0].length : 0), forms });
  }
  return found;
}

/** A part of a hyphenated name in Chinese: the place it names, the words the reports write by its sound, the dictionary's. */
function namesOf(part: string, vocabulary: Vocabulary): string[] {
  const place = findPlaces(part).find((mention) => mention.entry && mention.written.length === part.length)?.entry;
  const placeNames = place ? [...place.aliases.filter((alias) => alias.length >= 2).slice(0, 2), place.name] : [];
  const heard = vocabulary.soundsLike?.(part) ?? [];
  const glossed = vocabulary.english ? lookupEnglish(part.toLowerCase(), vocabulary.english).slice(0, 3) : [];
  return [...new Set([...placeNames, ...heard.slice(0, 2), ...glossed])].filter((name) => /^[\u4e00-\u9fff]+$/.test(name)).slice(0, 4);
}

/** The one-word phrases, for a word written in another form (traded → trade, exported → export). */
const ONE_WORD_PHRASES: ReadonlyMap<string, Phrase> = (() => {
  const byWord = new Map<string, Phrase>();
  // The lexicon's own reading first, as the phrase list orders it.
  for (const entry of ENGLISH_PHRASES) if (!entry.phrase.includes(' ') && !byWord.has(entry.phrase)) byWord.set(entry.phrase, entry);
  // (And a plural's singular, which no entry has of its own: jobs → job of job creation.)
  for (const entry of ENGLISH_PHRASES) {
    const singular = entry.phrase.includes(' ') || !/[^s]s$/.test(entry.phrase) ? undefined : entry.phrase.slice(0, -1);
    if (singular && singular.length >= 3 && !byWord.has(singular) && !GENERIC_ENGLISH.has(singular)) byWord.set(singular, entry);
  }
  return byWord;
})();
/** Every word of those phrases: a question using one is English, not noise. */
const ENGLISH_WORDS: ReadonlySet<string> = new Set(ENGLISH_PHRASES.flatMap(({ phrase }) => phrase.split(/[\s-]+/)));

/** English phrases, longest first: the lexicon's indicator triggers and report terms, then the dictionary's. */
function englishConcepts(text: string, vocabulary: Vocabulary, names: readonly HyphenatedName[]): PlacedConcept[] {
  const lower = englishForMatching(text);
  const taken = new Array<boolean>(lower.length).fill(false);
  // An abbreviation in brackets after the words it abbreviates (intelligent-computing (AI) chips) names them again.
  for (const match of text.matchAll(/(?<=[A-Za-z])\s*\([A-Z][A-Z0-9&]{1,5}s?\)/g)) taken.fill(true, match.index, match.index + match[0].length);
  const concepts: PlacedConcept[] = [];
  const claim = (index: number, length: number): boolean => {
    if (taken.slice(index, index + length).some(Boolean)) return false;
    taken.fill(true, index, index + length);
    return true;
  };
  // Phrases of several words first, as written, then with a word more inside (China-Europe freight trains for
  // China-Europe trains, foreign direct investment for foreign investment: weighing less), then single words.
  const take = (matches: Iterable<PhraseMatch>, gapped: boolean): void => {
    for (const { entry, index, length } of matches) {
      const { phrase, indicator, terms } = entry;
      // `the digital economy` is no GDP.
      if (indicator?.id === 'gdp_growth' && NOT_GDP_ECONOMY.test(lower.slice(Math.max(0, index - 14), index + length))) continue;
      if (!claim(index, length)) continue;
      const written = gapped ? lower.slice(index, index + length) : phrase;
      if (indicator) concepts.push({ ...indicatorConcept({ indicator, index, length, trigger: phrase }, text), written });
      else concepts.push({ written, forms: translatedForms(terms!, gapped ? WEIGHT.englishGapped : WEIGHT.english, vocabulary), index, length });
    }
  };
  take(exactPhrases(lower, true), false);
  take(gappedPhrases(lower), true);
  // (After the lexicon's phrases, China-Europe freight trains.) A name of hyphenated names (Yiwu-Xinjiang-Europe, Xiamen-Kinmen), as the reports write it (义新欧, 厦金).
  for (const name of names) {
    if (claim(name.index, name.length)) concepts.push({ written: text.slice(name.index, name.index + name.length), forms: name.forms.map((form) => ({ text: form, weight: WEIGHT.english })), index: name.index, length: name.length, name: true });
  }
  take(exactPhrases(lower, false), false);
  // What is left: two-word and one-word phrases the dictionary knows, else the word itself (a name: Xiong'an).
  const words = [...lower.matchAll(/[a-z][a-z'-]*[a-z]|[a-z]/g)].filter((match) => !taken[match.index ?? 0]);
  for (let position = 0; position < words.length; position++) {
    const word = words[position]!;
    const next = words[position + 1];
    const index = word.index ?? 0;
    if (next && vocabulary.english && !isGenericEnglish(word[0], vocabulary.english) && !isGenericEnglish(next[0], vocabulary.english)) {
      const pair = `${word[0]} ${next[0]}`;
      const pairTerms = lower.slice(index, next.index) === `${word[0]} ` ? lookupEnglish(next[0], vocabulary.english, (form) => `${word[0]} ${form}`) : [];
      if (pairTerms.length > 0) {
        concepts.push({ written: pair, forms: pairTerms.slice(0, 4).map((term, rank) => ({ text: term, weight: WEIGHT.dictionary / (1 + rank * 0.25) })), index, length: pair.length });
        position++;
        continue;
      }
    }
    const singular = word[0].replace(/'s$/, '');
    // An abbreviation the reports write in Latin letters or spell out (VR → 虚拟现实, AI → 人工智能), however short.
    const abbreviation = TERMS.latin[singular];
    if (abbreviation && /^[A-Z]/.test(text.slice(index, index + 1))) {
      const written = text.slice(index, index + singular.length);
      concepts.push({ written, forms: [{ text: written, weight: WEIGHT.own }, { text: abbreviation, weight: WEIGHT.synonym }], index, length: word[0].length });
      continue;
    }
    if (isGenericEnglish(singular, vocabulary.english) || singular.length < 3) continue;
    // A lexicon word in another form (traded, exported): the lexicon's reading of it.
    const known = englishForms(singular, vocabulary.english).map((form) => ONE_WORD_PHRASES.get(form)).find((entry) => entry !== undefined);
    if (known) {
      if (known.indicator) concepts.push({ ...indicatorConcept({ indicator: known.indicator, index, length: word[0].length, trigger: known.phrase }, text), written: singular });
      else concepts.push({ written: singular, forms: known.terms!.map((term) => ({ text: term, weight: WEIGHT.english })), index, length: word[0].length });
      continue;
    }
    const terms = vocabulary.english ? lookupEnglish(singular, vocabulary.english) : [];
    if (terms.length > 0) {
      // A capitalized word is a name (Brazil → 巴西): its translation is as certain as the lexicon's own.
      const name = /^[A-Z]/.test(text.slice(index, index + 1)) && !/(?:^|[.!?。！？]\s*)$/.test(text.slice(0, index).trimEnd());
      const weight = name ? WEIGHT.english : WEIGHT.dictionary;
      // A verb or an adverb (ran, launched) says how the question asks, as jieba's verbs do in Chinese.
      // (A participle, deployed or expanded, is the verb it is made of.)
      // (So is a word right before a determiner, whatever else it may be: steady its property market, curb the deficit.)
      const beforeDeterminer = cue('english.determiner_after').test(text.slice(index + word[0].length));
      const verb = !name && (beforeDeterminer || vocabulary.english!.isVerb(singular) || (/[a-z]ed$/.test(singular) && englishForms(singular, vocabulary.english).slice(1).some((form) => vocabulary.english!.isVerb(form))));
      // (A name the reports write by its sound, Pingtan → 平潭, is that before any gloss of the word: 评弹.)
      const heard = name ? (vocabulary.soundsLike?.(singular) ?? []).filter((form) => !terms.includes(form)) : [];
      const forms = [...heard.map((form) => ({ text: form, weight: WEIGHT.english })), ...terms.slice(0, 4).map((term, rank) => ({ text: term, weight: (heard.length > 0 ? WEIGHT.dictionary : weight) / (1 + rank * 0.25) }))];
      concepts.push({ written: name ? text.slice(index, index + singular.length) : singular, forms, index, length: word[0].length, ...(verb ? { verb } : {}) });
      continue;
    }
    // A word the dictionary cannot translate stays in the topic as written, weighing little (what the reports cannot be
    // shown to say); a capitalized one is a name the reports write in characters (Huahu → 花湖): found by its sound,
    // else left out.
    if (/^[A-Z]/.test(text.slice(index, index + 1))) {
      const named = vocabulary.soundsLike?.(singular) ?? [];
      if (named.length > 0) concepts.push({ written: text.slice(index, index + word[0].length), forms: named.map((form) => ({ text: form, weight: WEIGHT.english })), index, length: word[0].length, name: true });
      continue;
    }
    concepts.push({ written: singular, forms: [{ text: singular, weight: WEIGHT.own }], untranslated: true, index, length: word[0].length });
  }
  // Chinese written inside an English question (`What is the 城镇化率 target?`) is read as Chinese.
  if (/[\u4e00-\u9fff]/.test(text)) {
    const chinese = text.replace(/[^\u3400-\u9fff]/g, ' ');
    concepts.push(...chineseConcepts(chinese, vocabulary).filter((concept) => !concept.indicator || !concepts.some((other) => other.indicator === concept.indicator)));
  }
  return markMeasures(concepts).sort((left, right) => left.index - right.index);
}

/** The concepts of a text whose places and time words are blanked (`names`: its hyphenated names, where already read). */
export function readConcepts(text: string, english: boolean, vocabulary: Vocabulary, apart: (left: number, right: number) => boolean = () => false, names?: readonly HyphenatedName[]): PlacedConcept[] {
  const concepts = foldGlosses(text, english ? englishConcepts(text, vocabulary, names ?? hyphenatedNames(text, vocabulary)) : chineseConcepts(text, vocabulary));
  // A word written twice is one concept (问问问… is one, however long), unless each sub-question writes it (… growth,
  // and is there a threshold it wants retail sales to cross?): then it is each one's.
  return concepts.filter((concept, position) => {
    const first = concepts.findIndex((other) => other.written === concept.written && other.indicator === concept.indicator);
    return first === position || apart(concepts[first]!.index, concept.index);
  });
}

/** A bracket right after the words it explains: 'new three' exports (EVs, lithium batteries, solar cells). */
const GLOSS = /[（(]([^()（）]{2,80})[)）]/g;

/**
 * Words in brackets right after a concept gloss it ('new three' exports (EVs, lithium batteries, solar cells)): other
 * ways a report may write it, not more topic a statement must speak of. They become forms of the nearest concept
 * before the bracket that is no indicator (the indicator is matched by its own terms), weighing a little less.
 */
function foldGlosses(text: string, concepts: PlacedConcept[]): PlacedConcept[] {
  let result = concepts;
  for (const match of text.matchAll(GLOSS)) {
    const open = match.index ?? 0;
    const close = open + match[0].length;
    const inside = result.filter((concept) => concept.index > open && concept.index < close);
    const before = result.filter((concept) => concept.index + concept.length <= open).sort((left, right) => right.index - left.index);
    const host = before.find((concept) => !concept.indicator) ?? before[0];
    // (Not words that narrow or exclude, 光出口（不算进口）, nor an indicator of its own: R&D intensity (… as a share of GDP).)
    if (inside.length === 0 || !host || inside.some((concept) => concept.indicator) || cue('topic.bracket_qualifies').test(match[1]!)) continue;
    const glossed: PlacedConcept = { ...host, forms: [...host.forms, ...inside.flatMap((concept) => concept.forms.map((form) => ({ ...form, weight: form.weight * WEIGHT.part })))] };
    result = result.filter((concept) => !inside.includes(concept)).map((concept) => (concept === host ? glossed : concept));
  }
  return result;
}

/** Whether an English word carries no topic, in any of its forms (aiming, aimed, aims → aim; grew → grow). */
function isGenericEnglish(word: string, dictionary?: EnglishDictionary): boolean {
  return englishForms(word.toLowerCase(), dictionary).some((form) => GENERIC_ENGLISH.has(form));
}

/**
 * An English word and the forms a dictionary's glosses may write it in, most likely first: as written, its
 * irregular base (sold → sell), then British spellings and regular inflections taken off (kilometres →
 * kilometer, planned → plan), as english-forms.json says.
 */
export function englishForms(word: string, dictionary?: EnglishDictionary): string[] {
  const forms = [word];
  const add = (form: string): void => {
    if (form.length >= 2 && !forms.includes(form)) forms.push(form);
  };
  for (const rule of ENGLISH_FORMS.spellings) if (word.endsWith(rule.from)) add(word.slice(0, -rule.from.length) + rule.to);
  for (const spelled of [...forms]) {
    const base = dictionary?.baseOf(spelled);
    if (base) add(base);
    for (const rule of ENGLISH_FORMS.suffixes) {
      if (!spelled.endsWith(rule.from) || spelled.length - rule.from.length < 2) continue;
      const stem = spelled.slice(0, -rule.from.length) + rule.to;
      add(stem);
      // planned → plan, stopping → stop.
      if (rule.to === '' && /^(?:ed|ing)$/.test(rule.from) && /([b-df-hj-np-tv-z])\1$/.test(stem)) add(stem.slice(0, -1));
    }
  }
  return forms;
}

/** Report terms for an English word in the first of its forms the dictionary translates ([] when none does). */
function lookupEnglish(word: string, dictionary: EnglishDictionary, phrase: (form: string) => string = (form) => form): readonly string[] {
  for (const form of englishForms(word, dictionary)) {
    const terms = dictionary.lookup(phrase(form));
    if (terms.length > 0) return terms;
  }
  return [];
}

/** Whether a text has any word of English at all (a question of none, and no Chinese, is noise). */
export function hasEnglishWord(text: string, vocabulary: Vocabulary): boolean {
  const words = text.toLowerCase().match(/[a-z]{2,}/g) ?? [];
  return words.some((word) => GENERIC_ENGLISH.has(word) || ENGLISH_WORDS.has(word) || vocabulary.english?.knows(word));
}
