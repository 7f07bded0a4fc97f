// Vectors a rebuild can take from the index it replaces: a local model (whose id names its package version)
// gives a text the same vector every time, so a full build with the same model (after a report was added to
// data/, or a setting changed) embeds only the passages and sentences that are new. LSA is trained anew at
// every build, and an endpoint's model may change behind its name: nothing is reused from either.
import { indexedText } from '../chunking/chunk-report.ts';
import { describeEmbedder, type EmbedderSettings } from './embedders.ts';
import type { PassageIndex } from './passage-index.ts';

/** Text → vector of every passage (its indexed text) and sentence of an index. */
export function vectorsByText(index: PassageIndex): Map<string, number[]> {
  const known = new Map<string, number[]>();
  const { dimensions } = index;
  for (const passage of index.passages) {
    const vector = index.backend.vectorOf(passage.id);
    if (vector) known.set(indexedText(passage), Array.from(vector));
    const sentences = index.sentences.vectorsOf(passage.id);
    index.sentencesOf(passage.id).forEach((span, row) => {
      known.set(passage.text.slice(span.start, span.end), Array.from(sentences.subarray(row * dimensions, (row + 1) * dimensions)));
    });
  }
  return known;
}

/**
 * Embeds texts, taking the vectors of those the previous index holds (when it was built by the same
 * model) and embedding the rest with `embed`, in one list in the order given.
 */
export async function embedReusing(
  texts: readonly string[],
  embedder: EmbedderSettings,
  index: PassageIndex | undefined,
  embed: (texts: string[]) => Promise<number[][]>,
): Promise<{ vectors: number[][]; reused: number }> {
  const known = index && index.manifest.embedder === describeEmbedder(embedder) ? vectorsByText(index) : new Map<string, number[]>();
  const missing = [...new Set(texts.filter((text) => !known.has(text)))];
  const fresh = missing.length > 0 ? await embed(missing) : [];
  missing.forEach((text, position) => known.set(text, fresh[position]!));
  return { vectors: texts.map((text) => known.get(text)!), reused: texts.length - missing.length };
}
