// Understanding questions against the real corpus in data/, without an index: its report years, each
// region's years, and its vocabulary (a word is the corpus's when a report writes it).
import type { UnderstandContext } from '../../src/understand/understand.ts';
import { loadRealCorpus } from './real-corpus.ts';

let context: Promise<UnderstandContext> | undefined;

export function realContext(): Promise<UnderstandContext> {
  return (context ??= loadRealCorpus().then((corpus) => {
    const text = corpus.reports.map((report) => report.text).join('\n');
    const seen = new Map<string, boolean>();
    const yearsOf = (region: string): number[] => [...new Set(corpus.reports.filter((report) => report.region === region).map((report) => report.year))].sort();
    return {
      years: [...new Set(corpus.reports.map((report) => report.year))].sort(),
      yearsOf,
      has: (word: string) => {
        let found = seen.get(word);
        if (found === undefined) seen.set(word, (found = text.includes(word)));
        return found;
      },
    };
  }));
}
