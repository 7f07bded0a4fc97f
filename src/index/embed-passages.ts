// Embedding passages and their sentences. A model that can pool spans (bge in process) reads each passage
// once and gives its sentences the mean of their tokens' states in that same run ("late chunking": a
// sentence read in its passage, at no cost beyond the passage's own run), all passages in one call (the
// model spreads them over its processes); any other embedder embeds the sentences alone after the passages
// (texts of alike length together, so that a batch pads little). A progress event comes after each batch,
// or each passage.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { indexedText } from '../chunking/chunk-report.ts';
import { AppError } from '../errors.ts';
import type { Passage } from '../types.ts';
import type { EmbedderSettings } from './embedders.ts';
import type { ProgressListener } from './index-store.ts';
import { ModelEmbeddings } from './model-embeddings.ts';
import { listSentences, type SentenceSpan } from './sentence-vectors.ts';

/** How sentence vectors are made: pooled from their passage's run of the model, or embedded alone. */
export type SentencePooling = 'passage' | 'alone';

/** Texts handed to the embedder at once (between progress events and turns of the event loop). */
const BATCH = 128;

export function sentencePoolingOf(embeddings: EmbeddingsInterface): SentencePooling {
  return embeddings instanceof ModelEmbeddings && embeddings.poolsSpans ? 'passage' : 'alone';
}

/** What an index built with these settings records (and its settings hash includes). */
export function sentencePooling(embedder: EmbedderSettings): SentencePooling {
  return embedder.kind === 'model' ? sentencePoolingOf(embedder.embeddings) : 'alone';
}

export interface EmbeddedPassages {
  /** One vector a passage (of its indexed text), in the order given. */
  vectors: number[][];
  /** Each passage's sentences, as offsets into `passage.text`. */
  spans: SentenceSpan[][];
  /** The sentences' vectors, passage by passage, in span order (what `SentenceVectors.with` takes). */
  sentenceVectors: number[][];
}

/** Positions of `items` from the shortest to the longest (by `length`), so that neighbours pad alike. */
function byLength<T>(items: readonly T[], length: (item: T) => number): number[] {
  return items.map((_, index) => index).sort((left, right) => length(items[left]!) - length(items[right]!));
}

/** Embeds texts in batches, shortest first; every vector must have the same, non-zero dimension. */
export async function embedTexts(embeddings: EmbeddingsInterface, texts: readonly string[], onProgress: ProgressListener = () => {}): Promise<number[][]> {
  const order = byLength(texts, (text) => text.length);
  const vectors: number[][] = new Array(texts.length);
  for (let offset = 0; offset < order.length; offset += BATCH) {
    onProgress({ stage: 'embed', done: offset, total: texts.length });
    const positions = order.slice(offset, offset + BATCH);
    let batch: number[][];
    try {
      batch = await embeddings.embedDocuments(positions.map((position) => texts[position]!));
    } catch (cause) {
      throw new AppError('model_error', `The embeddings endpoint failed: ${(cause as Error).message}`, { cause });
    }
    positions.forEach((position, index) => (vectors[position] = batch[index]!));
    // A local embedder computes in this thread: let a serving process answer between batches.
    await yieldToEventLoop();
  }
  onProgress({ stage: 'embed', done: texts.length, total: texts.length });
  checkDimensions(vectors);
  return vectors;
}

function checkDimensions(vectors: readonly (readonly number[] | undefined)[]): void {
  const dimensions = vectors[0]?.length ?? 0;
  if (dimensions === 0 || vectors.some((vector) => vector?.length !== dimensions)) {
    throw new AppError('model_error', 'The embedder returned vectors of inconsistent or zero dimension');
  }
}

/** Embeds passages (their indexed text, with the region/report/section header) and their sentences. */
export async function embedPassages(embeddings: EmbeddingsInterface, passages: readonly Passage[], onProgress: ProgressListener = () => {}): Promise<EmbeddedPassages> {
  const { spans, texts: sentenceTexts } = listSentences(passages);
  const indexed = passages.map(indexedText);
  if (passages.length === 0) return { vectors: [], spans, sentenceVectors: [] };
  if (sentencePoolingOf(embeddings) === 'alone') {
    const embedded = await embedTexts(embeddings, [...indexed, ...sentenceTexts], onProgress);
    return { vectors: embedded.slice(0, indexed.length), spans, sentenceVectors: embedded.slice(indexed.length) };
  }
  const model = embeddings as ModelEmbeddings;
  // The header comes before the passage's text: its sentences' offsets move by its length.
  const items = passages.map((passage, index) => {
    const shift = indexed[index]!.length - passage.text.length;
    return { text: indexed[index]!, spans: spans[index]!.map(({ start, end }) => ({ start: start + shift, end: end + shift })) };
  });
  onProgress({ stage: 'embed', done: 0, total: items.length });
  let batch: Awaited<ReturnType<ModelEmbeddings['embedWithSpans']>>;
  try {
    // The model runs them in child processes (or yields to the event loop between runs): a serving process answers meanwhile.
    batch = await model.embedWithSpans(items, (done) => onProgress({ stage: 'embed', done, total: items.length }));
  } catch (cause) {
    throw new AppError('model_error', `The embedding model failed: ${(cause as Error).message}`, { cause });
  }
  const vectors = batch.map((result) => result.vector);
  const pooled = batch.map((result) => result.spans);
  const sentenceVectors = pooled.flat();
  checkDimensions([...vectors, ...sentenceVectors]);
  return { vectors, spans, sentenceVectors };
}
