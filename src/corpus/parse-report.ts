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

/** Sections with offsets; a level-1 section runs to the next part, a level-2 one to the next heading. */
export function findSections(text: string, format: SourceFormat): ReportSection[] {
  const sections: ReportSection[] = [];
  const open: { 1?: ReportSection; 2?: ReportSection } = {};
  const close = (level: 1 | 2, at: number): void => {
    const section = open[level];
    if (section) section.end = at;
    delete open[level];
  };
  for (const paragraph of listParagraphs(text)) {
    const found = readHeading(paragraph.text, format);
    if (!found) continue;
    close(2, paragraph.start);
    if (found.level === 1) close(1, paragraph.start);
    const section: ReportSection = { heading: found.heading, level: found.level, start: paragraph.start, end: text.length };
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
