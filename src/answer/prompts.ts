// The LLM prompts, kept as text files in prompts/ and filled in here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

export type PromptName = 'answer' | 'condense' | 'summarize';

const cache = new Map<PromptName, string>();

export function loadPrompt(name: PromptName): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(`${PROMPTS_DIR}${name}.txt`, 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** Fills `{name}` slots; a value is inserted as it is, once (values are never re-scanned for slots). */
export function fillPrompt(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => (name in values ? values[name]! : slot));
}

export function formatSources(sources: readonly { n: number; region: string; title: string; section: string; text: string }[]): string {
  return sources.map((source) => `[${source.n}] ${source.title}｜${source.section}\n${source.text}`).join('\n\n');
}
