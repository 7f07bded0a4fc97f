// Text from a PDF's text layer (pdfjs-dist's legacy build, which runs on Node 20, with its bundled CMaps
// for Chinese fonts). Lines come out as the PDF draws them; clean-text.ts joins them like file 000.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocumentError } from './document-error.ts';
import { overLimit, type DocumentLimits } from './document-limits.ts';
import { inspectPdf } from './inspect-pdf.ts';

const require = createRequire(import.meta.url);
const PDFJS_DIR = path.dirname(require.resolve('pdfjs-dist/package.json'));

/** Fewer printable characters per page than this: the PDF is a scan without a text layer. */
const MIN_CHARS_PER_PAGE = 20;

interface TextItemLike {
  str: string;
  hasEOL?: boolean;
  transform?: number[];
}

/**
 * The PDF's text as lines (one per drawn line), page by page. Pages and characters over their limits are
 * refused as soon as they are seen; anything pdfjs throws on the way is a refusal naming the page.
 */
export async function readPdfLines(bytes: Uint8Array, fileName: string, limits: DocumentLimits): Promise<{ lines: string[]; pages: number }> {
  inspectPdf(bytes, fileName, limits);
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let document;
  try {
    document = await pdfjs.getDocument({
      data: new Uint8Array(bytes),
      cMapUrl: `${path.join(PDFJS_DIR, 'cmaps')}${path.sep}`,
      cMapPacked: true,
      standardFontDataUrl: `${path.join(PDFJS_DIR, 'standard_fonts')}${path.sep}`,
      isEvalSupported: false,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (cause) {
    throw new DocumentError('unreadable', `${fileName}: the PDF cannot be opened (${(cause as Error).message}).`, { cause });
  }
  try {
    if (document.numPages > limits.pages) throw overLimit('pages', limits, `${fileName} has ${document.numPages} pages`);
    const lines: string[] = [];
    let printable = 0;
    let characters = 0;
    for (let number = 1; number <= document.numPages; number++) {
      let page;
      let content;
      try {
        page = await document.getPage(number);
        content = await page.getTextContent();
      } catch (cause) {
        throw new DocumentError('unreadable', `${fileName}: page ${number} cannot be read (${(cause as Error).message}).`, { cause });
      }
      let line = '';
      let lastY: number | undefined;
      for (const item of content.items as TextItemLike[]) {
        if (typeof item.str !== 'string') continue;
        const y = item.transform?.[5];
        if (line && lastY !== undefined && y !== undefined && Math.abs(y - lastY) > 2) {
          lines.push(line);
          line = '';
        }
        line += item.str;
        characters += item.str.length;
        printable += item.str.replace(/\s/g, '').length;
        if (y !== undefined) lastY = y;
        if (item.hasEOL) {
          lines.push(line);
          line = '';
        }
      }
      if (line) lines.push(line);
      page.cleanup();
      if (characters > limits.characters) throw overLimit('characters', limits, `${fileName} has over ${characters} characters by page ${number}`);
    }
    if (printable < MIN_CHARS_PER_PAGE * document.numPages) {
      throw new DocumentError(
        'scanned_pdf',
        `The PDF has no text layer (${printable} characters on ${document.numPages} page${document.numPages === 1 ? '' : 's'}): it is a scan. Run OCR on it, or bring the report as text, .docx or a PDF with selectable text.`,
      );
    }
    return { lines, pages: document.numPages };
  } finally {
    await document.destroy();
  }
}

export const pdfjsCmapUrl = (): string => pathToFileURL(path.join(PDFJS_DIR, 'cmaps')).href;
