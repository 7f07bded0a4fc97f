// Sentence vectors of the passages: each passage's sentences (by `splitSentences`) as offsets into the
// passage's text, each with a unit vector from the index's embedder, so that the answer step can score
// the sentences of retrieved passages by their similarity to the question. Immutable like the passage
// store: adding or removing a report gives a new object sharing the vectors of the passages it keeps.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { splitSentences } from '../chunking/split-sentences.ts';

/** Character offsets into `passage.text`: `passage.text.slice(start, end)` is the sentence. */
export interface SentenceSpan {
  start: number;
  end: number;
}

interface PassageSentences {
  spans: readonly SentenceSpan[];
  /** Row-major sentences × dimensions, unit length (all zeros for a sentence the embedder has nothing for). */
  vectors: Float32Array;
}

/** The files of an index folder that hold the sentences. */
export const SENTENCE_FILES = { list: 'sentences.json', spans: 'sentence-spans.bin', vectors: 'sentence-vectors.bin' } as const;

const listSchema = z.object({
  dimensions: z.number().int().positive(),
  sentences: z.number().int().nonnegative(),
  /** [passage id, number of sentences], in the order of the binary files. */
  passages: z.array(z.tuple([z.string(), z.number().int().nonnegative()])),
});

const EMPTY = new Float32Array(0);

/** The sentences of each passage, and their texts in one list (passage by passage) for the embedder. */
export function listSentences(passages: readonly { text: string }[]): { spans: SentenceSpan[][]; texts: string[] } {
  const spans = passages.map((passage) => splitSentences(passage.text).map(({ start, end }) => ({ start, end })));
  const texts = passages.flatMap((passage, index) => spans[index]!.map((span) => passage.text.slice(span.start, span.end)));
  return { spans, texts };
}

function unitRows(rows: readonly (readonly number[])[], dimensions: number): Float32Array {
  const vectors = new Float32Array(rows.length * dimensions);
  rows.forEach((row, index) => {
    if (row.length !== dimensions) throw new Error(`A sentence vector has ${row.length} dimensions, the index ${dimensions}`);
    let norm = 0;
    for (const value of row) norm += value * value;
    norm = Math.sqrt(norm) || 1;
    for (let dimension = 0; dimension < dimensions; dimension++) vectors[index * dimensions + dimension] = row[dimension]! / norm;
  });
  return vectors;
}

export class SentenceVectors {
  private constructor(
    readonly dimensions: number,
    private readonly byPassage: ReadonlyMap<string, PassageSentences>,
  ) {}

  static empty(dimensions: number): SentenceVectors {
    return new SentenceVectors(dimensions, new Map());
  }

  /** Passages (by id) with the spans `listSentences` gave and the embedder's vectors of its texts, in the same order. */
  static fromEmbedded(dimensions: number, passageIds: readonly string[], spans: readonly (readonly SentenceSpan[])[], vectors: readonly (readonly number[])[]): SentenceVectors {
    return SentenceVectors.empty(dimensions).with(passageIds, spans, vectors);
  }

  /** Sentences in all. */
  get size(): number {
    let total = 0;
    for (const entry of this.byPassage.values()) total += entry.spans.length;
    return total;
  }

  /** Passages that have sentences here. */
  get passageCount(): number {
    return this.byPassage.size;
  }

  has(passageId: string): boolean {
    return this.byPassage.has(passageId);
  }

  spansOf(passageId: string): readonly SentenceSpan[] {
    return this.byPassage.get(passageId)?.spans ?? [];
  }

  /** The unit vectors of a passage's sentences, row-major (empty for an unknown passage). */
  vectorsOf(passageId: string): Float32Array {
    return this.byPassage.get(passageId)?.vectors ?? EMPTY;
  }

  /** Cosine similarity of each sentence of a passage to `query` (any length but the index's dimensions), in span order. */
  similarities(passageId: string, query: ArrayLike<number>): Float32Array {
    const entry = this.byPassage.get(passageId);
    if (!entry) return new Float32Array(0);
    const { dimensions } = this;
    if (query.length !== dimensions) throw new Error(`The query vector has ${query.length} dimensions, the index ${dimensions}`);
    let norm = 0;
    for (let dimension = 0; dimension < dimensions; dimension++) norm += query[dimension]! * query[dimension]!;
    norm = Math.sqrt(norm) || 1;
    const result = new Float32Array(entry.spans.length);
    for (let sentence = 0; sentence < entry.spans.length; sentence++) {
      let similarity = 0;
      const offset = sentence * dimensions;
      for (let dimension = 0; dimension < dimensions; dimension++) similarity += query[dimension]! * entry.vectors[offset + dimension]!;
      result[sentence] = similarity / norm;
    }
    return result;
  }

  /** A copy with these passages' sentences added (or replaced). */
  with(passageIds: readonly string[], spans: readonly (readonly SentenceSpan[])[], vectors: readonly (readonly number[])[]): SentenceVectors {
    const expected = spans.reduce((sum, list) => sum + list.length, 0);
    if (passageIds.length !== spans.length || vectors.length !== expected) {
      throw new Error(`${passageIds.length} passages with ${spans.length} span lists and ${vectors.length} vectors for ${expected} sentences`);
    }
    const all = unitRows(vectors, this.dimensions);
    const next = new Map(this.byPassage);
    let row = 0;
    passageIds.forEach((id, index) => {
      const list = spans[index]!;
      next.set(id, { spans: list, vectors: all.subarray(row * this.dimensions, (row + list.length) * this.dimensions) });
      row += list.length;
    });
    return new SentenceVectors(this.dimensions, next);
  }

  /** A copy without these passages. */
  without(passageIds: Iterable<string>): SentenceVectors {
    const next = new Map(this.byPassage);
    for (const id of passageIds) next.delete(id);
    return new SentenceVectors(this.dimensions, next);
  }

  /** Writes the list (JSON), the spans (Uint32 start, end) and the vectors (Float32), passage by passage. */
  async save(folder: string): Promise<void> {
    const total = this.size;
    const spans = new Uint32Array(total * 2);
    const vectors = new Float32Array(total * this.dimensions);
    const passages: [string, number][] = [];
    let row = 0;
    for (const [id, entry] of this.byPassage) {
      passages.push([id, entry.spans.length]);
      entry.spans.forEach((span, index) => {
        spans[(row + index) * 2] = span.start;
        spans[(row + index) * 2 + 1] = span.end;
      });
      vectors.set(entry.vectors, row * this.dimensions);
      row += entry.spans.length;
    }
    await Promise.all([
      writeFile(path.join(folder, SENTENCE_FILES.list), JSON.stringify({ dimensions: this.dimensions, sentences: total, passages })),
      writeFile(path.join(folder, SENTENCE_FILES.spans), new Uint8Array(spans.buffer)),
      writeFile(path.join(folder, SENTENCE_FILES.vectors), new Uint8Array(vectors.buffer)),
    ]);
  }

  /** Reads what `save` wrote; throws when the files disagree with each other or with `dimensions`. */
  static async load(folder: string, dimensions: number): Promise<SentenceVectors> {
    const [listText, spanBytes, vectorBytes] = await Promise.all([
      readFile(path.join(folder, SENTENCE_FILES.list), 'utf8'),
      readFile(path.join(folder, SENTENCE_FILES.spans)),
      readFile(path.join(folder, SENTENCE_FILES.vectors)),
    ]);
    const list = listSchema.parse(JSON.parse(listText));
    if (list.dimensions !== dimensions) throw new Error(`${SENTENCE_FILES.list} has ${list.dimensions} dimensions, the index ${dimensions}`);
    if (list.passages.reduce((sum, [, count]) => sum + count, 0) !== list.sentences) throw new Error(`${SENTENCE_FILES.list} does not add up`);
    if (spanBytes.byteLength !== list.sentences * 8) throw new Error(`${SENTENCE_FILES.spans} does not match ${SENTENCE_FILES.list}`);
    if (vectorBytes.byteLength !== list.sentences * dimensions * 4) throw new Error(`${SENTENCE_FILES.vectors} does not match ${SENTENCE_FILES.list}`);
    // Copies, so that the typed arrays are aligned and own their memory.
    const spans = new Uint32Array(spanBytes.buffer.slice(spanBytes.byteOffset, spanBytes.byteOffset + spanBytes.byteLength));
    const vectors = new Float32Array(vectorBytes.buffer.slice(vectorBytes.byteOffset, vectorBytes.byteOffset + vectorBytes.byteLength));
    const byPassage = new Map<string, PassageSentences>();
    let row = 0;
    for (const [id, count] of list.passages) {
      const passageSpans: SentenceSpan[] = [];
      for (let index = row; index < row + count; index++) {
        const start = spans[index * 2]!;
        const end = spans[index * 2 + 1]!;
        if (end <= start) throw new Error(`${SENTENCE_FILES.spans}: an empty sentence in ${id}`);
        passageSpans.push({ start, end });
      }
      byPassage.set(id, { spans: passageSpans, vectors: vectors.subarray(row * dimensions, (row + count) * dimensions) });
      row += count;
    }
    return new SentenceVectors(dimensions, byPassage);
  }
}
