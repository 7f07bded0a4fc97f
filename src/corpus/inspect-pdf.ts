// Before pdfjs reads a PDF: the pages its page tree declares and what its deflated streams unpack to
// (each and in all), found by scanning the file's bytes, so that a flate bomb or a page tree of 100,000
// nodes is refused at the cost of the limit, not of the document. What this scan cannot see — objects
// inside compressed object streams, encrypted streams — is still held by the page count pdfjs reports
// and by the reader's time and memory limits.
import { constants, inflateSync } from 'node:zlib';
import { formatMegabytes, overLimit, type DocumentLimits } from './document-limits.ts';

const STREAM_KEYWORD = /\bstream(?:\r\n|\n|\r)/g;
const FLATE_FIRST = /\/Filter\s*(?:\[\s*)?\/(?:FlateDecode|Fl)\b/;
/** Images are never decoded to read the text (pdfjs's getTextContent skips them): not counted. */
const IMAGE = /\/Subtype\s*\/Image\b/;
const DIRECT_LENGTH = /\/Length\s+(\d+)(?!\s+\d+\s+R)/;
/** How far before `stream` its dictionary is looked for. */
const DICTIONARY_WINDOW = 4096;

const count = (text: string, pattern: RegExp): number => {
  let found = 0;
  for (const _ of text.matchAll(pattern)) found++;
  return found;
};

export function inspectPdf(bytes: Uint8Array, fileName: string, limits: DocumentLimits): { streams: number; unpackedBytes: number } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('latin1');
  // A tree has fewer inner nodes than leaves; either count over the limit means too many pages to read.
  const leaves = count(text, /\/Type\s*\/Page(?![A-Za-z])/g);
  if (leaves > limits.pages) throw overLimit('pages', limits, `${fileName} has ${leaves} pages`);
  const nodes = count(text, /\/Type\s*\/Pages(?![A-Za-z])/g);
  if (nodes > limits.pages) throw overLimit('pages', limits, `${fileName}: its page tree has ${nodes} nodes`);

  let total = 0;
  let streams = 0;
  for (const match of text.matchAll(STREAM_KEYWORD)) {
    const start = match.index + match[0].length;
    const objectStart = Math.max(text.lastIndexOf(' obj', match.index), match.index - DICTIONARY_WINDOW, 0);
    const dictionary = text.slice(objectStart, match.index);
    if (!FLATE_FIRST.test(dictionary) || IMAGE.test(dictionary)) continue;
    const stated = Number(DIRECT_LENGTH.exec(dictionary)?.[1] ?? NaN);
    const end = Number.isInteger(stated) && start + stated <= buffer.length ? start + stated : text.indexOf('endstream', start);
    if (end <= start) continue;
    streams++;
    const budget = Math.min(limits.entryBytes, limits.unpackedBytes - total);
    let size: number;
    try {
      size = inflateSync(buffer.subarray(start, end), { maxOutputLength: budget + 1, finishFlush: constants.Z_SYNC_FLUSH }).length;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') continue; // damaged or encrypted: pdfjs decides
      size = budget + 1;
    }
    if (size > budget) {
      if (budget === limits.entryBytes) throw overLimit('entryBytes', limits, `${fileName}: a stream of it unpacks to over ${formatMegabytes(limits.entryBytes)}`);
      throw overLimit('unpackedBytes', limits, `${fileName} unpacks to over ${formatMegabytes(limits.unpackedBytes)}`);
    }
    total += size;
  }
  return { streams, unpackedBytes: total };
}
