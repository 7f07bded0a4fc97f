// An answer and its sources as Markdown, and copying text to the clipboard.
import type { Source } from '../../src/types.ts';

export interface CopyableAnswer {
  question: string;
  answer: string;
  sources: Source[];
  citations: number[];
}

/** The question as a heading, the answer as written, then the cited sources (all sources when none are cited). */
export function formatAnswerMarkdown({ question, answer, sources, citations }: CopyableAnswer, sourcesHeading: string): string {
  const cited = new Set(citations);
  const listed = citations.length > 0 ? sources.filter((source) => cited.has(source.n)) : sources;
  const lines = [`> ${question.replace(/\n/g, '\n> ')}`, '', answer.trim()];
  if (listed.length > 0) {
    lines.push('', `**${sourcesHeading}**`, '');
    for (const source of listed) {
      const excerpt = source.text.replace(/\s+/g, ' ').trim();
      const short = excerpt.length > 160 ? `${excerpt.slice(0, 160)}…` : excerpt;
      lines.push(`- [${source.n}] ${source.title} · ${source.section}：${short}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (insecure origin, no permission): fall back to a selected textarea.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    return copied;
  }
}
