// A conversation or one answer as a Word document (the `docx` library, loaded only when a reader exports).
import type { SavedExchange } from './answer-types.ts';
import { quotedPassage, quotedSentences } from './answer-types.ts';
import { describeSource, formatDate, listedSources } from './export-markdown.ts';
import { t } from './i18n.ts';

type DocxModule = typeof import('docx');

/** The answer's Markdown as plain paragraphs: `**bold**` kept as bold runs, list items as bullets, markers kept as `[n]`. */
function answerParagraphs(docx: DocxModule, answer: string): InstanceType<DocxModule['Paragraph']>[] {
  const { Paragraph, TextRun } = docx;
  const paragraphs: InstanceType<DocxModule['Paragraph']>[] = [];
  for (const rawLine of answer.split('\n')) {
    const line = rawLine.trim();
    if (!line) continue;
    const bullet = /^([-*+]|\d+[.)、])\s+/.exec(line);
    const content = (bullet ? line.slice(bullet[0].length) : line).replace(/^#{1,6}\s+/, '');
    const runs = content.split(/(\*\*[^*]+\*\*)/).filter(Boolean).map((part) =>
      part.startsWith('**') && part.endsWith('**') ? new TextRun({ text: part.slice(2, -2), bold: true }) : new TextRun(part),
    );
    paragraphs.push(new Paragraph({ children: runs, ...(bullet ? { bullet: { level: 0 } } : {}), spacing: { after: 120 } }));
  }
  return paragraphs;
}

function exchangeParagraphs(docx: DocxModule, exchange: SavedExchange): InstanceType<DocxModule['Paragraph']>[] {
  const { Paragraph, TextRun, HeadingLevel } = docx;
  const paragraphs = [new Paragraph({ text: exchange.question.replace(/\s+/g, ' ').trim(), heading: HeadingLevel.HEADING_2 })];
  if (!exchange.grounded && exchange.state === 'done') {
    paragraphs.push(new Paragraph({ children: [new TextRun({ text: t('refusalTitle'), italics: true })] }));
  }
  paragraphs.push(...answerParagraphs(docx, exchange.answer || exchange.failure || t('stopped')));
  const sources = listedSources(exchange);
  if (sources.length > 0) {
    paragraphs.push(new Paragraph({ text: t('sources'), heading: HeadingLevel.HEADING_3 }));
    for (const source of sources) {
      paragraphs.push(
        new Paragraph({ children: [new TextRun({ text: `[${source.n}] `, bold: true }), new TextRun(describeSource(source))], spacing: { before: 120 } }),
        new Paragraph({
          children: [new TextRun({ text: `${t('quotedPassage')}：`, bold: true }), new TextRun({ text: quotedPassage(source), italics: true })],
          indent: { left: 480 },
          spacing: { after: 120 },
        }),
      );
      const sentences = quotedSentences(source);
      if (sentences) {
        paragraphs.push(
          new Paragraph({
            children: [new TextRun({ text: `${t('quotedSentence')}：`, bold: true }), new TextRun({ text: sentences, color: '555555' })],
            indent: { left: 480 },
            spacing: { after: 120 },
          }),
        );
      }
    }
  }
  return paragraphs;
}

/** The Word document of `exchanges` under `title`, as a Blob ready to download. */
export async function buildDocx(title: string, exchanges: SavedExchange[]): Promise<Blob> {
  const docx = await import('docx');
  const { Document, Packer, Paragraph, TextRun, HeadingLevel } = docx;
  const document = new Document({
    creator: t('appTitle'),
    title,
    styles: { default: { document: { run: { font: 'Microsoft YaHei', size: 22 } } } },
    sections: [
      {
        children: [
          new Paragraph({ text: title, heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun({ text: t('exportedFrom', { date: formatDate(Date.now()) }), italics: true, color: '666666' })] }),
          ...exchanges.flatMap((exchange) => exchangeParagraphs(docx, exchange)),
        ],
      },
    ],
  });
  return Packer.toBlob(document);
}
