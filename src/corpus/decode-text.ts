// Decoding a text file a user brings: UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030/GBK
// (many government sites still publish GBK). A decoding that yields garbage is refused, not indexed.
import iconv from 'iconv-lite';
import { DocumentError } from './document-error.ts';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

const HANZI = /[\u3400-\u9fff]/g;
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\ufffd]/g;

/** Whether a Han character is among GB2312's 3,755 common ones (GBK lead byte 0xB0–0xD7). */
const commonCache = new Map<string, boolean>();
function isCommonHanzi(char: string): boolean {
  let common = commonCache.get(char);
  if (common === undefined) {
    const bytes = iconv.encode(char, 'gbk');
    common = bytes.length === 2 && bytes[0]! >= 0xb0 && bytes[0]! <= 0xd7;
    commonCache.set(char, common);
  }
  return common;
}

/**
 * How plausible a decoded text is as Chinese prose: the share of its Han characters that are common
 * ones (about 0.97 in a real report; a wrong decoding scatters into rare characters), 1 when it has none.
 */
export function plausibility(text: string): { hanzi: number; commonShare: number; controlShare: number } {
  const sample = text.length > 20000 ? text.slice(0, 20000) : text;
  const hanzi = sample.match(HANZI) ?? [];
  const common = hanzi.filter(isCommonHanzi).length;
  const control = (sample.match(CONTROL) ?? []).length;
  return { hanzi: hanzi.length, commonShare: hanzi.length ? common / hanzi.length : 1, controlShare: sample.length ? control / sample.length : 0 };
}

function looksRight(text: string): boolean {
  const { hanzi, commonShare, controlShare } = plausibility(text);
  return controlShare < 0.005 && (hanzi < 50 || commonShare > 0.85);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes bytes, detecting the encoding unless one is given; throws `wrong_encoding` when none fits. */
export function decodeText(bytes: Uint8Array, encoding?: TextEncoding): { text: string; encoding: TextEncoding } {
  const decodeAs = (candidate: TextEncoding): string => {
    if (candidate === 'utf-8') return strictUtf8.decode(bytes).replace(/^\uFEFF/, '');
    return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), candidate, { stripBOM: true });
  };
  const candidates: TextEncoding[] = encoding
    ? [encoding]
    : bytes[0] === 0xff && bytes[1] === 0xfe
      ? ['utf-16le']
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? ['utf-16be']
        : ['utf-8', 'gb18030'];
  for (const candidate of candidates) {
    let text: string;
    try {
      text = decodeAs(candidate);
    } catch {
      continue; // not valid UTF-8: try the next candidate
    }
    if (looksRight(text)) return { text, encoding: candidate };
  }
  throw new DocumentError(
    'wrong_encoding',
    encoding
      ? `The file does not read as ${encoding}: the decoded text is not Chinese prose. Save it as UTF-8 or GB18030 and try again.`
      : 'The file is neither UTF-8 nor GB18030/GBK text (decoding gives garbage). Save it as UTF-8 and try again.',
  );
}
