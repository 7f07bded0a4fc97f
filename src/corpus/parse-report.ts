// Turning one cleaned report text into a Report: metadata (date, speaker) and its section structure.
import type { Report, ReportSection } from '../types.ts';
import type { SourceFormat } from './clean-text.ts';
import type { RegionEntry } from './regions.ts';

export const PREAMBLE_HEADING = '开篇';

const PART_HEADING = /^[一二三四五六七八九十]{1,3}、/;
/** Parts without a numeral, as some reports write them: `2023年工作回顾`, `加强政府自身建设`. */
const BARE_PART_HEADING = /^(?:\d{4}年[^，。；：！？]{2,16}|(?:全面|切实|大力|持续)?加强政府自身建设)$/;
const SUB_HEADING = /^(?:（[一二三四五六七八九十]{1,3}）|[一二三四五六七八九十]要)/;
/** `——2024年1月23日在…上`; the sources also have `—2024…` and a stray digit (`——22024年`). */
const DATE_LINE = /^—{1,2}\s*(?:\d(?=\d{4}年))?(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*在(.+?)上\s*$/;
const SPEAKER_LINE = /^(国务院总理|代省长|省长|代市长|市长|自治区(?:人民政府)?主席|代主席)\s*(\S{1,12})\s*$/;
const NO_SENTENCE_PUNCTUATION = /^[^，。,；;：:！？!?]+$/;

export interface Paragraph {
  text: string;
  start: number;
  end: number;
}

export function listParagraphs(text: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    if (line.length > 0) paragraphs.push({ text: line, start, end: start + line.length });
    start += line.length + 1;
  }
  return paragraphs;
}

/** The heading a paragraph opens, if any: a part (level 1) or a sub-section (level 2, its first sentence). */
export function readHeading(paragraph: string, format: SourceFormat): { heading: string; level: 1 | 2 } | undefined {
  if (format === 'markdown') {
    if (!NO_SENTENCE_PUNCTUATION.test(paragraph) || paragraph.length > 30 || paragraph.length < 4) return undefined;
    if (/^(\d{4}年|加强|全面加强)/.test(paragraph)) return { heading: paragraph, level: 1 };
    if (/\S\s+\S/.test(paragraph)) return { heading: paragraph, level: 2 };
    return undefined;
  }
  if ((PART_HEADING.test(paragraph) && paragraph.length <= 80 && !paragraph.includes('。')) || BARE_PART_HEADING.test(paragraph)) {
    return { heading: paragraph, level: 1 };
  }
  if (SUB_HEADING.test(paragraph)) {
    const end = paragraph.search(/[。！？]/);
    const heading = end >= 0 && end < 120 ? paragraph.slice(0, end + 1) : paragraph.slice(0, 120);
    return { heading, level: 2 };
  }
  return undefined;
}

/**
 * Bumped whenever the rules that find sections change, so that an index built with the old rules is rebuilt
 * (the corpus hash includes it).
 */
export const SECTION_RULES_VERSION = 2;

const NUMERALS = '一二三四五六七八九十';
/** `（四）` → 4, `（十二）` → 12; undefined for anything else. */
export function enumeratorValue(heading: string): number | undefined {
  const match = /^（([一二三四五六七八九十]{1,3})）/.exec(heading);
  if (!match) return undefined;
  const digits = [...match[1]!].map((character) => NUMERALS.indexOf(character) + 1);
  if (digits.length === 1) return digits[0];
  // 十一 … 十九, 二十 …: a leading 十 is ten, a 十 after a digit multiplies it.
  if (digits[0] === 10) return 10 + (digits[1] ?? 0);
  if (digits[1] === 10) return digits[0]! * 10 + (digits[2] ?? 0);
  return undefined;
}

function enumerator(value: number): string {
  if (value <= 10) return `（${NUMERALS[value - 1]}）`;
  const tens = Math.floor(value / 10);
  const ones = value % 10;
  return `（${tens > 1 ? NUMERALS[tens - 1] : ''}十${ones > 0 ? NUMERALS[ones - 1] : ''}）`;
}

/** The first sentence of a paragraph when it is short enough to be a run-in heading (`聚焦激发发展动力活力，不断深化高水平改革开放。`). */
function runInHeading(paragraph: string): string | undefined {
  const end = paragraph.search(/[。！？]/);
  if (end < 6 || end > 60 || end === paragraph.length - 1) return undefined;
  return paragraph.slice(0, end + 1);
}

/**
 * Sub-sections whose enumerator the report left out: where the numbered headings of one part skip
 * (（三） then （五）), the paragraphs in between that open the way their siblings do (the first two
 * characters most of them share, such as 聚焦) with a short first sentence take the missing numbers,
 * in order, when exactly as many are found as are missing. The heading keeps the report's words, with
 * the enumerator the sequence gives.
 */
function inferMissingSubSections(text: string, sections: readonly ReportSection[]): ReportSection[] {
  const inferred: ReportSection[] = [];
  const paragraphs = listParagraphs(text);
  for (const part of [undefined, ...sections.filter((section) => section.level === 1)]) {
    const siblings = sections.filter(
      (section) => section.level === 2 && enumeratorValue(section.heading) !== undefined && (part ? part.start <= section.start && section.start < part.end : !sections.some((candidate) => candidate.level === 1 && candidate.start <= section.start && section.start < candidate.end)),
    );
    if (siblings.length < 3) continue;
    const openings = new Map<string, number>();
    for (const sibling of siblings) {
      const opening = sibling.heading.replace(/^（[一二三四五六七八九十]{1,3}）/, '').slice(0, 2);
      openings.set(opening, (openings.get(opening) ?? 0) + 1);
    }
    const [opening, count] = [...openings.entries()].sort((left, right) => right[1] - left[1])[0]!;
    if (count * 2 < siblings.length) continue;
    for (let position = 0; position + 1 < siblings.length; position++) {
      const before = siblings[position]!;
      const after = siblings[position + 1]!;
      const missing = enumeratorValue(after.heading)! - enumeratorValue(before.heading)! - 1;
      if (missing < 1) continue;
      const candidates = paragraphs.filter((paragraph) => paragraph.start > before.start && paragraph.start < after.start && paragraph.text.startsWith(opening) && runInHeading(paragraph.text));
      if (candidates.length !== missing) continue;
      candidates.forEach((paragraph, offset) => {
        inferred.push({ heading: `${enumerator(enumeratorValue(before.heading)! + offset + 1)}${runInHeading(paragraph.text)!}`, level: 2, inferred: true, start: paragraph.start, end: text.length });
      });
    }
  }
  return inferred;
}

/** Sections with offsets; a level-1 section runs to the next part, a level-2 one to the next heading. */
export function findSections(text: string, format: SourceFormat): ReportSection[] {
  const found = scanSections(text, format, new Map());
  const inferred = format === 'markdown' ? [] : inferMissingSubSections(text, found);
  if (inferred.length === 0) return found;
  return scanSections(text, format, new Map(inferred.map((section) => [section.start, section.heading])));
}

/** One pass over the paragraphs; `extra` names paragraphs (by offset) that open a sub-section without a marker. */
function scanSections(text: string, format: SourceFormat, extra: ReadonlyMap<number, string>): ReportSection[] {
  const sections: ReportSection[] = [];
  const open: { 1?: ReportSection; 2?: ReportSection } = {};
  const close = (level: 1 | 2, at: number): void => {
    const section = open[level];
    if (section) section.end = at;
    delete open[level];
  };
  for (const paragraph of listParagraphs(text)) {
    const inferred = extra.get(paragraph.start);
    const found = inferred ? { heading: inferred, level: 2 as const, inferred: true as const } : readHeading(paragraph.text, format);
    if (!found) continue;
    close(2, paragraph.start);
    if (found.level === 1) close(1, paragraph.start);
    const section: ReportSection = { heading: found.heading, level: found.level, ...('inferred' in found ? { inferred: true as const } : {}), start: paragraph.start, end: text.length };
    sections.push(section);
    open[found.level] = section;
  }
  close(2, text.length);
  close(1, text.length);
  return sections;
}

export function readMetadata(text: string): { date?: string; meeting?: string; speaker?: string } {
  const head = listParagraphs(text).slice(0, 12);
  const metadata: { date?: string; meeting?: string; speaker?: string } = {};
  for (const { text: line } of head) {
    const date = DATE_LINE.exec(line);
    if (date && !metadata.date) {
      metadata.date = `${date[1]}-${date[2]!.padStart(2, '0')}-${date[3]!.padStart(2, '0')}`;
      metadata.meeting = date[4]?.trim();
    }
    const speaker = SPEAKER_LINE.exec(line);
    if (speaker && !metadata.speaker) metadata.speaker = `${speaker[1]} ${speaker[2]}`;
  }
  return metadata;
}

export function reportTitle(region: RegionEntry, year: number): string {
  return region.level === 'national' ? `${year}年国务院政府工作报告` : `${year}年${region.name}政府工作报告`;
}

export function parseReport(input: {
  id: string;
  region: RegionEntry;
  year: number;
  sourceFile: string;
  text: string;
  format: SourceFormat;
}): Report {
  const metadata = readMetadata(input.text);
  return {
    id: input.id,
    region: input.region.name,
    level: input.region.level,
    ...(input.region.parent ? { parent: input.region.parent } : {}),
    title: reportTitle(input.region, input.year),
    year: input.year,
    ...(metadata.date ? { date: metadata.date } : {}),
    ...(metadata.speaker ? { speaker: metadata.speaker } : {}),
    sourceFile: input.sourceFile,
    text: input.text,
    sections: findSections(input.text, input.format),
  };
}

/** The section path of an offset: the enclosing part and sub-section headings. */
export function sectionPathAt(report: Report, offset: number): string[] {
  const path: string[] = [];
  for (const section of report.sections) {
    if (section.start <= offset && offset < section.end) path[section.level - 1] = section.heading;
  }
  const compact = path.filter((heading): heading is string => Boolean(heading));
  return compact.length > 0 ? compact : [PREAMBLE_HEADING];
}
