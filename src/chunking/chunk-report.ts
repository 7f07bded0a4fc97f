// Sentence- and section-aware chunking of a report into passages, sized in characters.
import { PREAMBLE_HEADING, listParagraphs, sectionPathAt } from '../corpus/parse-report.ts';
import { partOfHeading } from '../corpus/report-parts.ts';
import type { Passage, Report } from '../types.ts';
import { splitLongSentence, splitSentences, type Span } from './split-sentences.ts';

export interface ChunkOptions {
  /** Passages grow sentence by sentence up to this many characters. */
  targetChars: number;
  /** No passage is ever longer than this. */
  maxChars: number;
  /** A passage shorter than this is merged into the previous one of the same section when it fits. */
  minChars: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { targetChars: 300, maxChars: 800, minChars: 40 };

export function passageId(reportId: string, ordinal: number): string {
  return `${reportId}#p${String(ordinal).padStart(3, '0')}`;
}

interface Block {
  sectionPath: string[];
  sentences: Span[];
}

/** Groups the report's sentences by leaf section; part headings themselves live in the section path. */
function collectBlocks(report: Report, maxChars: number): Block[] {
  const partStarts = new Set(report.sections.filter((section) => section.level === 1).map((section) => section.start));
  const blocks: Block[] = [];
  for (const paragraph of listParagraphs(report.text)) {
    if (partStarts.has(paragraph.start) || /^政府工作报告$/.test(paragraph.text)) continue;
    const sectionPath = sectionPathAt(report, paragraph.start);
    const key = sectionPath.join('\u0000');
    let block = blocks.at(-1);
    if (!block || block.sectionPath.join('\u0000') !== key) {
      block = { sectionPath, sentences: [] };
      blocks.push(block);
    }
    for (const sentence of splitSentences(paragraph.text, paragraph.start)) block.sentences.push(...splitLongSentence(sentence, maxChars));
  }
  return blocks;
}

export function chunkReport(report: Report, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Passage[] {
  const passages: Passage[] = [];
  const emit = (sectionPath: string[], start: number, end: number): void => {
    const ordinal = passages.length;
    passages.push({
      id: passageId(report.id, ordinal),
      reportId: report.id,
      region: report.region,
      title: report.title,
      sectionPath,
      text: report.text.slice(start, end),
      start,
      end,
      ordinal,
      year: report.year,
      part: partOfHeading(report, sectionPath[0]),
    });
  };
  for (const block of collectBlocks(report, options.maxChars)) {
    let start = -1;
    let end = -1;
    const ranges: [number, number][] = [];
    for (const sentence of block.sentences) {
      if (start < 0) {
        start = sentence.start;
        end = sentence.end;
        continue;
      }
      if (sentence.end - start > options.targetChars) {
        ranges.push([start, end]);
        start = sentence.start;
      }
      end = sentence.end;
    }
    if (start >= 0) ranges.push([start, end]);
    // A short tail joins the passage before it when the two still fit.
    const last = ranges.at(-1);
    const previous = ranges.at(-2);
    if (last && previous && last[1] - last[0] < options.minChars && last[1] - previous[0] <= options.maxChars) {
      previous[1] = last[1];
      ranges.pop();
    }
    for (const [from, to] of ranges) emit(block.sectionPath, from, to);
  }
  return passages;
}

/** The text that is embedded and indexed: a short header (region, report, section) and the passage. */
export function indexedText(passage: Passage): string {
  const section = passage.sectionPath.filter((heading) => heading !== PREAMBLE_HEADING).join(' › ');
  return `${passage.region}｜${passage.title}${section ? `｜${section}` : ''}\n${passage.text}`;
}
