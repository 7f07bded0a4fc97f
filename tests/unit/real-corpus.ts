// The real corpus in data/, shared by the unit tests: raw files as received and the loaded reports.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCorpus, type Corpus } from '../../src/corpus/load-corpus.ts';
import type { Report } from '../../src/types.ts';

export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

/** The source files, named for what they hold. */
export const RAW_FILES = {
  jiangsuPdf: '000_c3e5be45d8141199.txt',
  compilation: '001_8dfe99efc033ddf8.txt',
  zhenjiang: '002_62f1682ba1711178.txt',
  nantong: '003_e36d639f412a290e.txt',
  suzhou: '004_e53609ef88b3ffb8.txt',
} as const;

export function readRawFile(file: string): string {
  return readFileSync(new URL(file, new URL('../../data/', import.meta.url)), 'utf8');
}

let loading: Promise<Corpus> | undefined;

/** Loads data/ once per test file. */
export function loadRealCorpus(): Promise<Corpus> {
  return (loading ??= loadCorpus(DATA_DIR));
}

export function findReport(corpus: Corpus, id: string): Report {
  const report = corpus.reports.find((candidate) => candidate.id === id);
  if (!report) throw new Error(`No report ${id} in the corpus (have ${corpus.reports.map((entry) => entry.id).join(', ')})`);
  return report;
}

/** Offset of a phrase in a report's cleaned text; fails loudly when the phrase is not there. */
export function offsetOf(report: Report, phrase: string): number {
  const offset = report.text.indexOf(phrase);
  if (offset < 0) throw new Error(`${report.id} does not contain “${phrase}”`);
  return offset;
}

export function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let from = text.indexOf(needle); from >= 0; from = text.indexOf(needle, from + needle.length)) count++;
  return count;
}
