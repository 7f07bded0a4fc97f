// A conversation or one answer as Markdown, with full citations: region, report, section and the quoted passage.
import type { QuotedSource, SavedConversation, SavedExchange } from './answer-types.ts';
import { quotedPassage, quotedSentences, uniqueNumbers } from './answer-types.ts';
import { t } from './i18n.ts';
import { displayRegion } from './regions.ts';
import { displaySection } from './section-names.ts';

/** The sources an export lists: the cited ones in citation order; every source when a grounded answer cites none. */
export function listedSources(exchange: SavedExchange): QuotedSource[] {
  const cited = uniqueNumbers(exchange.citations)
    .map((n) => exchange.sources.find((source) => source.n === n))
    .filter((source): source is QuotedSource => source !== undefined);
  if (cited.length > 0) return cited.sort((left, right) => left.n - right.n);
  return exchange.grounded ? exchange.sources : [];
}

/** `江苏省 · 《2024年江苏省政府工作报告》 · 二、…… · jiangsu-2024#p027`: the passage id lets a reader find it again. */
export function describeSource(source: QuotedSource): string {
  const section = displaySection(source.section);
  return [displayRegion(source.region), `《${source.title}》`, section, source.id].filter(Boolean).join(' · ');
}

export function formatExchangeMarkdown(exchange: SavedExchange, headingLevel = 2): string {
  const hashes = '#'.repeat(headingLevel);
  const lines = [`${hashes} ${exchange.question.replace(/\s+/g, ' ').trim()}`, ''];
  if (!exchange.grounded && exchange.state === 'done') lines.push(`*${t('refusalTitle')}*`, '');
  lines.push(exchange.answer.trim() || `*${exchange.failure ?? t('stopped')}*`);
  const sources = listedSources(exchange);
  if (sources.length > 0) {
    lines.push('', `**${t('sources')}**`, '');
    for (const source of sources) {
      lines.push(`[${source.n}] ${describeSource(source)}`, '');
      lines.push(`> ${t('quotedPassage')}：${quotedPassage(source)}`);
      const sentences = quotedSentences(source);
      if (sentences) lines.push('>', `> ${t('quotedSentence')}：${sentences}`);
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function formatConversationMarkdown(conversation: SavedConversation): string {
  const header = [`# ${conversation.title}`, '', `*${t('exportedFrom', { date: formatDate(Date.now()) })}*`, ''];
  const body = conversation.exchanges.map((exchange) => formatExchangeMarkdown(exchange, 2));
  return `${[...header, body.join('\n')].join('\n').trimEnd()}\n`;
}

export function formatDate(time: number): string {
  const date = new Date(time);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A file name from a title: no path separators or characters Windows refuses, at most 60 characters. */
export function fileName(title: string, extension: string): string {
  const safe = title.replace(/[\\/:*?"<>|\s]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'conversation';
  return `${safe}.${extension}`;
}

/** Offer `blob` as a download named `name`. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
