// Cleaning raw report text: watermarks, disclaimers, page artefacts, markdown emphasis and PDF line breaks.
// Numbers keep their units: nothing here inserts or removes characters inside `12.82万亿元` or `5%左右`.

/** Lines that are not part of any report: collection-site watermarks and disclaimers. */
const JUNK_LINE_PATTERNS: readonly RegExp[] = [
  /更多数据尽在/,
  /数据皮皮侠/,
  /ppmandata\.cn/i,
  /本文内容来自网络/,
  /如有任何异议请联系/,
  /^\s*https?:\/\/\S+\s*$/,
];

/** Page numbers and running footers left by PDF extraction: `12`, `- 12 -`, `— 12 —`, `第12页`. */
const PAGE_ARTEFACT = /^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|\d{1,3}|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)\s*$/;

/** A line ending a sentence: a terminator, maybe followed by closing quotes or brackets (not a bare `”`). */
const SENTENCE_END = /[。！？!?；;：:…][”’」』）)]*$/;
const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
const FULL_WIDTH_DIGIT = /[０-９％．]/g;

export function isJunkLine(line: string): boolean {
  return JUNK_LINE_PATTERNS.some((pattern) => pattern.test(line)) || PAGE_ARTEFACT.test(line);
}

/** Full-width digits and percent signs become ASCII, so `５％` and `5%` are found alike. */
export function normalizeDigits(text: string): string {
  return text.replace(FULL_WIDTH_DIGIT, (char) =>
    char === '％' ? '%' : char === '．' ? '.' : String.fromCharCode(char.charCodeAt(0) - 0xfee0),
  );
}

/** CJK radical supplements that PDF fonts map standalone characters to, and the characters they stand for. */
const RADICAL_SUPPLEMENT: Readonly<Record<string, string>> = {
  '⺁': '厂', '⺜': '日', '⺝': '月', '⺟': '母', '⺠': '民', '⺩': '王', '⺼': '月', '⻄': '西', '⻅': '见', '⻆': '角',
  '⻉': '贝', '⻋': '车', '⻓': '长', '⻔': '门', '⻘': '青', '⻚': '页', '⻛': '风', '⻜': '飞', '⻝': '食', '⻡': '首', '⻢': '马',
  '⻣': '骨', '⻤': '鬼', '⻥': '鱼', '⻦': '鸟', '⻧': '卤', '⻨': '麦', '⻩': '黄', '⻬': '齐', '⻮': '齿', '⻰': '龙', '⻳': '龟',
};

/**
 * Kangxi radicals (U+2F00–U+2FDF, by NFKC) and the radical supplements above, which PDF fonts put
 * for common characters (`⼈⺠` for `人民`), become the ordinary characters. Only those blocks: NFKC on
 * the whole text would also turn full-width punctuation into ASCII.
 */
export function normalizeRadicals(text: string): string {
  return text.replace(/[\u2e80-\u2fdf]/g, (char) => RADICAL_SUPPLEMENT[char] ?? char.normalize('NFKC'));
}

/** Removes spaces PDF extraction puts between Chinese characters and digits (`2023 年` → `2023年`). */
export function removeSpacesAroundDigits(text: string): string {
  return text
    .replace(new RegExp(`([${CJK}，。、；：％%])[ \\t\\u00a0\\u3000]+(?=[0-9])`, 'g'), '$1')
    .replace(new RegExp(`([0-9%])[ \\t\\u00a0\\u3000]+(?=[${CJK}，。、；：％%])`, 'g'), '$1');
}

/** Removes spaces between Chinese characters, which only PDF extraction puts there. */
export function removeSpacesBetweenHanzi(text: string): string {
  return text.replace(new RegExp(`([${CJK}，。、；：“”])[ \\t\\u00a0\\u3000]+(?=[${CJK}，。、；：“”])`, 'g'), '$1');
}

/** A line that is a unit of its own (a part heading, the date or speaker line): it never continues. */
export function isStandaloneLine(line: string): boolean {
  return (
    (/^[一二三四五六七八九十]{1,3}、/.test(line) && line.length <= 80 && !line.includes('。')) ||
    /^(?:\d{4}\s*年[^，。；：！？]{2,16}|(?:全面|切实|大力|持续)?加强政府自身建设)$/.test(line) ||
    /^——/.test(line) ||
    /^各位代表[：:！!]/.test(line) ||
    /^(?:国务院总理|省长|代省长|市长|代市长|自治区主席|主席)\s/.test(line) ||
    /^政府工作报告$/.test(line)
  );
}

/** A line that opens a structural unit and so never continues the line before it. */
export function isStructuralLine(line: string): boolean {
  return isStandaloneLine(line) || /^（[一二三四五六七八九十]{1,3}）/.test(line) || /^[一二三四五六七八九十]{1,3}、/.test(line);
}

/**
 * Joins lines that a PDF extraction broke in the middle of a sentence. A line continues into the next
 * one unless it ends a sentence or the next one opens a heading.
 */
export function joinBrokenLines(lines: readonly string[]): string[] {
  const paragraphs: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (current && !SENTENCE_END.test(current) && !isStructuralLine(line) && !isStandaloneLine(current)) {
      const needsSpace = /[A-Za-z]$/.test(current) && /^[A-Za-z]/.test(line);
      current += (needsSpace ? ' ' : '') + line;
      continue;
    }
    if (current) paragraphs.push(current);
    current = line;
  }
  if (current) paragraphs.push(current);
  return paragraphs;
}

/** Strips markdown emphasis and list markers, keeping the words and figures. */
export function stripMarkdown(line: string): string {
  return line
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/__(.+?)__/g, '$1')
    .replace(/\*\*/g, '')
    .replace(/^\s*#{1,6}\s+/, '')
    .replace(/^\s*[-*+]\s+/, '')
    .replace(/^\s*>\s?/, '');
}

export type SourceFormat = 'compilation' | 'pdf-lines' | 'markdown' | 'plain';

/** Cleans one report's raw text into paragraphs separated by single newlines. */
export function cleanReportText(raw: string, format: SourceFormat): string {
  // A subscript written with an underscore (PM_2.5) is the name as reports print it (PM2.5).
  const lines = normalizeDigits(normalizeRadicals(raw).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/(?<=[A-Za-z])_(?=\d)/g, ''))
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0\u3000]+$/g, '').replace(/^[ \t\u00a0\u3000]+/g, ''))
    .filter((line) => !isJunkLine(line));
  const prepared = format === 'markdown' ? lines.map(stripMarkdown) : lines;
  const paragraphs = format === 'pdf-lines' ? joinBrokenLines(prepared) : prepared.filter((line) => line.length > 0);
  const tidy = format === 'pdf-lines' ? (text: string) => removeSpacesBetweenHanzi(removeSpacesAroundDigits(text)) : removeSpacesAroundDigits;
  return paragraphs.map(tidy).join('\n');
}
