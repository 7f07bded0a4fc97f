// Reading a document a user brings (.txt/.md in UTF-8 or GB18030/GBK, PDF with a text layer, .docx)
// into cleaned report text, with a clear refusal for each way it can fail.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { cleanReportText, type SourceFormat } from './clean-text.ts';
import { decodeText, type TextEncoding } from './decode-text.ts';
import { DocumentError } from './document-error.ts';
import { DEFAULT_DOCUMENT_LIMITS, overLimit, type DocumentLimits } from './document-limits.ts';
import { readDocxText } from './read-docx.ts';
import { readPdfLines } from './read-pdf.ts';

export const DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export type DocumentFormat = 'text' | 'markdown' | 'pdf' | 'docx';

export interface ReadDocument {
  fileName: string;
  format: DocumentFormat;
  /** The cleaning applied (as for the seed corpus: PDFs are joined like file 000). */
  cleaning: SourceFormat;
  /** The cleaned text, paragraphs separated by single newlines. */
  text: string;
  sha256: string;
  bytes: number;
  encoding?: TextEncoding;
  pages?: number;
}

export interface ReadDocumentInput {
  bytes: Uint8Array;
  fileName: string;
  maxBytes?: number;
  encoding?: TextEncoding;
  /** Unpacking, pages, characters (time and memory are held by the reader process: document-reader.ts). */
  limits?: DocumentLimits;
}

const TEXT_EXTENSIONS = new Set(['.txt', '.text', '.md', '.markdown', '']);
/** A report says 各位代表 or 政府工作报告 near its start, and runs to a few hundred characters at least. */
const REPORT_MARKERS = /各位代表|政府工作报告|向大会报告工作/;
const MIN_REPORT_HANZI = 200;

function sniffFormat(bytes: Uint8Array, fileName: string): DocumentFormat {
  const extension = path.extname(fileName).toLowerCase();
  const head = Buffer.from(bytes.subarray(0, 8));
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    if (extension === '.docx' || extension === '') return 'docx';
    throw new DocumentError('unsupported_format', `${fileName} is a zip archive, not a .docx report. Bring .txt, .md, .pdf or .docx.`);
  }
  if (head.readUInt32BE(0) === 0xd0cf11e0) {
    throw new DocumentError('unsupported_format', `${fileName} is an old Word (.doc) file. Save it as .docx or PDF and try again.`);
  }
  if (extension === '.pdf' || extension === '.docx') {
    throw new DocumentError('unreadable', `${fileName} is named ${extension} but is not one (its first bytes say otherwise).`);
  }
  if (!TEXT_EXTENSIONS.has(extension)) {
    throw new DocumentError('unsupported_format', `${fileName}: ${extension} files are not supported. Bring .txt, .md, .pdf or .docx.`);
  }
  return extension === '.md' || extension === '.markdown' ? 'markdown' : 'text';
}

/** The refusal of a file over the upload size, or of an empty one; undefined when neither. */
export function checkFileSize(bytes: Uint8Array, fileName: string, maxBytes = DEFAULT_MAX_DOCUMENT_BYTES): DocumentError | undefined {
  if (bytes.byteLength > maxBytes) return new DocumentError('too_large', `${fileName} is ${formatBytes(bytes.byteLength)}, over the limit of ${formatBytes(maxBytes)}.`);
  if (bytes.byteLength === 0) return new DocumentError('empty', `${fileName} is empty.`);
  return undefined;
}

/**
 * Reads a document in this thread. Anything untrusted goes through a DocumentReader instead
 * (document-reader.ts), which runs this in a process of its own under time and memory limits.
 */
export async function readDocument(input: ReadDocumentInput): Promise<ReadDocument> {
  const { bytes, fileName } = input;
  const limits = input.limits ?? DEFAULT_DOCUMENT_LIMITS;
  const refusal = checkFileSize(bytes, fileName, input.maxBytes);
  if (refusal) throw refusal;
  const format = sniffFormat(bytes, fileName);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let raw: string;
  let cleaning: SourceFormat;
  const extra: Pick<ReadDocument, 'encoding' | 'pages'> = {};
  if (format === 'pdf') {
    const { lines, pages } = await readPdfLines(bytes, fileName, limits);
    raw = lines.join('\n');
    cleaning = 'pdf-lines';
    extra.pages = pages;
  } else if (format === 'docx') {
    raw = await readDocxText(bytes, fileName, limits);
    cleaning = 'plain';
  } else {
    const decoded = decodeText(bytes, input.encoding);
    if (decoded.text.length > limits.characters) throw overLimit('characters', limits, `${fileName} has ${decoded.text.length} characters`);
    raw = decoded.text;
    cleaning = format === 'markdown' ? 'markdown' : 'plain';
    extra.encoding = decoded.encoding;
  }
  const text = cleanReportText(raw, cleaning);
  const hanzi = (text.match(/[\u3400-\u9fff]/g) ?? []).length;
  if (hanzi === 0) throw new DocumentError('empty', `${fileName} holds no Chinese text.`);
  if (!REPORT_MARKERS.test(text.slice(0, 5000)) || hanzi < MIN_REPORT_HANZI) {
    throw new DocumentError(
      'not_a_report',
      `${fileName} does not read as a government work report (${hanzi} Chinese characters; no 各位代表 or 政府工作报告 near the start).`,
    );
  }
  return { fileName, format, cleaning, text, sha256, bytes: bytes.byteLength, ...extra };
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
