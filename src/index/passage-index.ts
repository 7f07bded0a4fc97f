// The loaded index as the retriever and the answer code have read it so far: the passage store and the
// search backend behind one object whose search methods speak in positions into `passages`. It is a
// view over one store snapshot: adding or removing a report makes a new view, never renumbers the backend.
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Passage, Report } from '../types.ts';
import type { ScoredDocument } from './bm25.ts';
import type { EnglishDictionary } from './english-dictionary.ts';
import type { LocalSearchBackend } from './local-backend.ts';
import type { PassageStore } from './passage-store.ts';
import type { SearchFilter } from './search-backend.ts';
import type { SentenceSpan, SentenceVectors } from './sentence-vectors.ts';
import { NamesBySound } from './names-by-sound.ts';

export interface IndexManifest {
  formatVersion: number;
  corpusHash: string;
  settingsHash: string;
  embedder: string;
  dimensions: number;
  passages: number;
  /** Sentences with a vector (sentence-vectors.bin), over all passages. */
  sentences: number;
  /** How the sentence vectors were made: pooled from their passage's run of the model, or embedded alone (absent: alone). */
  sentencePooling?: 'passage' | 'alone';
  hnsw: { M: number; efConstruction: number; efSearch: number };
  chunking: { targetChars: number; maxChars: number; minChars: number };
  builtAt: string;
  /** When a report was last added or removed in place (absent after a full build). */
  updatedAt?: string;
  droppedDuplicates: number;
}

/** A report as the index stores it (with its cleaned text, for showing passages in context). */
export type ReportInfo = Report;

export interface DenseHit {
  document: number;
  /** Cosine distance, lower is closer. */
  distance: number;
}

export class PassageIndex {
  readonly byId: Map<string, number>;
  readonly reportsById: Map<string, ReportInfo>;
  readonly passages: readonly Passage[];
  readonly reports: readonly ReportInfo[];
  private positionVectors: Float32Array | undefined;
  /** English words and phrases → report terms, from the bilingual dictionary built at ingest (absent in older indexes). */
  english: EnglishDictionary | undefined = undefined;

  constructor(
    readonly manifest: IndexManifest,
    readonly store: PassageStore,
    readonly backend: LocalSearchBackend,
    /** The sentences of every passage with their vectors (the answer step scores them against the question). */
    readonly sentences: SentenceVectors,
    /** The embedder the index was built with; it applies any query or passage prefix itself. */
    readonly embeddings: EmbeddingsInterface,
    /** The folder the index was loaded from (the server compares it with CURRENT to pick up changes). */
    readonly folder = '',
  ) {
    this.passages = store.passages;
    this.reports = store.reports;
    this.byId = new Map(this.passages.map((passage, position) => [passage.id, position]));
    this.reportsById = new Map(this.reports.map((report) => [report.id, report]));
  }

  get dimensions(): number {
    return this.manifest.dimensions;
  }

  /** BM25 statistics over the live passages. */
  get bm25(): { idf(term: string): number; documentFrequency(term: string): number } {
    return this.backend;
  }

  private readonly sounds = new NamesBySound(() => this.passages.map((passage) => passage.text));
  /** Runs of characters the passages write that a name spells in pinyin (Sanjiangyuan → 三江源), most written first. */
  namesBySound(name: string): string[] {
    return this.sounds.find(name);
  }

  private readonly written = new Map<string, number>();
  /**
   * How rare a text is as written: the inverse document frequency, BM25's formula, of the passages whose text holds
   * it — for a word the tokenizer never yields alone (助餐 of 助餐点). Remembered per text.
   */
  writtenIdf(text: string): number | undefined {
    const count = this.writtenCount(text);
    if (count === 0) return undefined;
    const size = this.passages.length;
    return Math.log(1 + (size - count + 0.5) / (count + 0.5));
  }

  /** The share of passages whose text holds a text (0–1). */
  writtenShare(text: string): number {
    return this.passages.length > 0 ? this.writtenCount(text) / this.passages.length : 0;
  }

  private writtenCount(text: string): number {
    let count = this.written.get(text);
    if (count === undefined) {
      count = 0;
      for (const passage of this.passages) if (passage.text.includes(text)) count++;
      if (this.written.size > 20_000) this.written.clear();
      this.written.set(text, count);
    }
    return count;
  }

  /** The HNSW graph (the benchmark sweeps its efSearch). */
  get graph(): LocalSearchBackend['graph'] {
    return this.backend.graph;
  }

  /** Row-major passages × dimensions in `passages` order, unit length (built on first use). */
  get vectors(): Float32Array {
    if (!this.positionVectors) {
      const vectors = new Float32Array(this.passages.length * this.dimensions);
      this.passages.forEach((passage, position) => vectors.set(this.backend.vectorOf(passage.id)!, position * this.dimensions));
      this.positionVectors = vectors;
    }
    return this.positionVectors;
  }

  /**
   * The question's vector, unit length, for `dense` and `sentenceSimilarities`: the embedder's query side
   * (a model's query prefix is applied there, and only there).
   */
  async embedQuery(text: string): Promise<Float32Array> {
    const vector = await this.embeddings.embedQuery(text);
    let norm = 0;
    for (const value of vector) norm += value * value;
    norm = Math.sqrt(norm) || 1;
    return Float32Array.from(vector, (value) => value / norm);
  }

  /** The sentences of a passage, as offsets into `passage.text`, in reading order (empty for an unknown id). */
  sentencesOf(passageId: string): readonly SentenceSpan[] {
    return this.sentences.spansOf(passageId);
  }

  /** Cosine similarity of each sentence of a passage to a query vector (from `embedQuery`), in `sentencesOf` order. */
  sentenceSimilarities(passageId: string, query: ArrayLike<number>): Float32Array {
    return this.sentences.similarities(passageId, query);
  }

  private positions<T extends { id: string }>(hits: readonly T[]): (Omit<T, 'id'> & { document: number })[] {
    return hits.flatMap(({ id, ...rest }) => {
      const document = this.byId.get(id);
      return document === undefined ? [] : [{ ...rest, document }];
    });
  }

  lexical(query: ReadonlyMap<string, number>, k: number, accept?: (document: number) => boolean, filter?: SearchFilter): ScoredDocument[] {
    const where = accept
      ? (id: string): boolean => {
          const document = this.byId.get(id);
          return document !== undefined && accept(document);
        }
      : undefined;
    return this.positions(this.backend.lexical(query, k, { ...filter, ...(where ? { where } : {}) }));
  }

  /** Approximate nearest neighbours over the whole index (HNSW). */
  dense(vector: ArrayLike<number>, k: number, filter?: SearchFilter): DenseHit[] {
    return this.positions(this.backend.dense(Array.from(vector), k, filter));
  }

  /** Exact nearest neighbours among the given passages (used when a region filter leaves few). */
  denseExact(vector: ArrayLike<number>, k: number, documents: Iterable<number>): DenseHit[] {
    const ids: string[] = [];
    for (const document of documents) {
      const passage = this.passages[document];
      if (passage) ids.push(passage.id);
    }
    return this.positions(this.backend.denseAmong(Array.from(vector), k, ids)).sort((left, right) => left.distance - right.distance || left.document - right.document);
  }

  neighbours(id: string, before: number, after: number): { before: Passage[]; after: Passage[] } {
    const position = this.byId.get(id);
    if (position === undefined) return { before: [], after: [] };
    const passage = this.passages[position]!;
    const sameReport = (candidate: Passage | undefined): candidate is Passage => candidate?.reportId === passage.reportId;
    return {
      before: this.passages.slice(Math.max(0, position - before), position).filter(sameReport),
      after: this.passages.slice(position + 1, position + 1 + after).filter(sameReport),
    };
  }
}
