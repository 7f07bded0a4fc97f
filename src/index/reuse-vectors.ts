// Vectors a rebuild can take from the index it replaces: a local model (whose id names its package version)
// gives a text the same vector every time, so a full build with the same model (after a report was added to
// data/, or a setting changed) embeds only the passages that are new, each with its sentences (a sentence
// pooled from its passage's run depends on the whole passage, so a passage's vectors go together). LSA is
// trained anew at every build, and an endpoint's model may change behind its name: nothing is reused from either.
import { indexedText } from '../chunking/chunk-report.ts';
import type { Passage } from '../types.ts';
import { sentencePooling, type EmbeddedPassages } from './embed-passages.ts';
import { describeEmbedder, type EmbedderSettings } from './embedders.ts';
import type { PassageIndex } from './passage-index.ts';
import { listSentences, type SentenceSpan } from './sentence-vectors.ts';

interface KnownPassage {
  vector: number[];
  spans: readonly SentenceSpan[];
  sentences: number[][];
}

/** Indexed text → the vectors of every passage of an index and of its sentences. */
export function vectorsByPassage(index: PassageIndex): Map<string, KnownPassage> {
  const known = new Map<string, KnownPassage>();
  const { dimensions } = index;
  for (const passage of index.passages) {
    const vector = index.backend.vectorOf(passage.id);
    if (!vector) continue;
    const vectors = index.sentences.vectorsOf(passage.id);
    const spans = index.sentencesOf(passage.id);
    known.set(indexedText(passage), { vector: Array.from(vector), spans, sentences: spans.map((_, row) => Array.from(vectors.subarray(row * dimensions, (row + 1) * dimensions))) });
  }
  return known;
}

const sameSpans = (left: readonly SentenceSpan[], right: readonly SentenceSpan[]): boolean =>
  left.length === right.length && left.every((span, index) => span.start === right[index]!.start && span.end === right[index]!.end);

/**
 * Embeds passages and their sentences, taking the vectors of the passages the previous index holds (when
 * it was built by the same model, pooling sentences the same way) and embedding the rest with `embed`.
 */
export async function embedReusing(
  passages: readonly Passage[],
  embedder: EmbedderSettings,
  index: PassageIndex | undefined,
  embed: (passages: readonly Passage[]) => Promise<EmbeddedPassages>,
): Promise<EmbeddedPassages & { reused: number }> {
  const sameModel = index && index.manifest.embedder === describeEmbedder(embedder) && (index.manifest.sentencePooling ?? 'alone') === sentencePooling(embedder);
  const known = sameModel ? vectorsByPassage(index) : new Map<string, KnownPassage>();
  // A passage is taken whole when its text and its sentences are the ones the previous index has.
  const missing = passages.filter((passage) => {
    const entry = known.get(indexedText(passage));
    return !entry || !sameSpans(entry.spans, listSentences([passage]).spans[0]!);
  });
  const embedded = missing.length > 0 ? await embed(missing) : { vectors: [], spans: [], sentenceVectors: [] };
  let row = 0;
  missing.forEach((passage, position) => {
    const spans = embedded.spans[position]!;
    known.set(indexedText(passage), { vector: embedded.vectors[position]!, spans, sentences: embedded.sentenceVectors.slice(row, row + spans.length) });
    row += spans.length;
  });
  const result: EmbeddedPassages = { vectors: [], spans: [], sentenceVectors: [] };
  for (const passage of passages) {
    const entry = known.get(indexedText(passage))!;
    result.vectors.push(entry.vector);
    result.spans.push([...entry.spans]);
    result.sentenceVectors.push(...entry.sentences);
  }
  return { ...result, reused: passages.length - missing.length };
}
