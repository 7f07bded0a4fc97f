// Real documents made at test time from the seed reports: a PDF printed by headless Chromium, a scan
// (an image-only PDF), a .docx written with the `docx` library, and text in GB18030.
import { Document, Packer, Paragraph, TextRun } from 'docx';
import iconv from 'iconv-lite';
import { browserSkip, launchBrowser } from './browser.ts';

/** The reason PDF tests skip outside CI when Chromium is absent, or false. */
export const skipWithoutChromium: string | false = browserSkip;

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function printHtml(html: string): Promise<Uint8Array> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return new Uint8Array(await page.pdf({ format: 'A4', margin: { top: '2cm', bottom: '2cm', left: '2cm', right: '2cm' } }));
  } finally {
    await browser.close();
  }
}

/** A PDF with a text layer: the paragraphs typeset in a CJK font, lines wrapped where the page ends them. */
export function printPdf(paragraphs: readonly string[]): Promise<Uint8Array> {
  const body = paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n');
  return printHtml(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;font-size:15pt;line-height:1.6}p{text-indent:2em;margin:0 0 .4em}</style></head><body>${body}</body></html>`);
}

/** A PDF with no text layer: the page is one picture of text (a canvas), as a scanner would make it. */
export function printScan(paragraphs: readonly string[]): Promise<Uint8Array> {
  const lines = JSON.stringify(paragraphs.map((paragraph) => paragraph.slice(0, 30)));
  return printHtml(`<!doctype html><html><body><canvas id="c" width="700" height="900"></canvas><script>
    const context = document.getElementById('c').getContext('2d');
    context.font = '20px "Noto Sans CJK SC"';
    ${lines}.forEach((line, index) => context.fillText(line, 20, 40 + index * 30));
  </script></body></html>`);
}

/** A .docx with one Word paragraph per report paragraph (the first one bold, as a title would be). */
export async function writeDocx(paragraphs: readonly string[]): Promise<Uint8Array> {
  const document = new Document({
    sections: [{ children: paragraphs.map((text, index) => new Paragraph({ children: [new TextRun({ text, bold: index === 0 })] })) }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

export function encodeGb18030(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'gb18030'));
}

export function encodeUtf16WithoutBom(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'utf-16le', { addBOM: false }));
}
