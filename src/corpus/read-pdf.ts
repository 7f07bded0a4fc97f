// Text from a PDF's text layer (pdfjs-dist's legacy build, which runs on Node 20, with its bundled CMaps
// for Chinese fonts). Lines come out as the PDF draws them; clean-text.ts joins them like file 000.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocumentError } from './document-error.ts';

const require = createRequire(import.meta.url);
const PDFJS_DIR = path.dirname(require.resolve('pdfjs-dist/package.json'));

/** Fewer printable characters per page than this: the PDF is a scan without a text layer. */
const MIN_CHARS_PER_PAGE = 20;

interface TextItemLike {
  str: string;
  hasEOL?: boolean;
  transform?: number[];
}

/** The PDF's text as lines (one per drawn line), page by page. */
export async function readPdfLines(bytes: Uint8Array): Promise<{ lines: string[]; pages: number }> {
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
    throw new DocumentError('unreadable', `The PDF cannot be opened (${(cause as Error).message}).`, { cause });
  }
  try {
    const lines: string[] = [];
    let printable = 0;
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
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
        printable += item.str.replace(/\s/g, '').length;
        if (y !== undefined) lastY = y;
        if (item.hasEOL) {
          lines.push(line);
          line = '';
        }
      }
      if (line) lines.push(line);
      page.cleanup();
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
