// The loaded index: passages, their BM25 index, their vectors in HNSW (LangChain's HNSWLib), and the
// embedder for queries. Search methods return positions into `passages`.
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { Passage, Report } from '../types.ts';
import type { Bm25Index, ScoredDocument } from './bm25.ts';

export interface IndexManifest {
  formatVersion: number;
  corpusHash: string;
  settingsHash: string;
  embedder: string;
  dimensions: number;
  passages: number;
  hnsw: { M: number; efConstruction: number; efSearch: number };
  chunking: { targetChars: number; maxChars: number; minChars: number };
  builtAt: string;
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

  constructor(
    readonly manifest: IndexManifest,
    readonly passages: readonly Passage[],
    readonly reports: readonly ReportInfo[],
    readonly bm25: Bm25Index,
    readonly store: HNSWLib,
    /** Row-major passages × dimensions, unit length: exact search over a filtered subset. */
    readonly vectors: Float32Array,
    readonly embeddings: EmbeddingsInterface,
  ) {
    this.byId = new Map(passages.map((passage, position) => [passage.id, position]));
    this.reportsById = new Map(reports.map((report) => [report.id, report]));
  }

  get dimensions(): number {
    return this.manifest.dimensions;
  }

  lexical(query: ReadonlyMap<string, number>, k: number, accept?: (document: number) => boolean): ScoredDocument[] {
    return this.bm25.search(query, k, accept);
  }

  /** Approximate nearest neighbours over the whole index (HNSW). */
  dense(vector: readonly number[], k: number): DenseHit[] {
    const count = Math.min(k, this.passages.length);
    const result = this.store.index.searchKnn(vector as number[], count);
    return result.neighbors.map((document, rank) => ({ document, distance: result.distances[rank]! }));
  }

  /** Exact nearest neighbours among the given passages (used when a region filter leaves few). */
  denseExact(vector: readonly number[], k: number, documents: Iterable<number>): DenseHit[] {
    const dimensions = this.dimensions;
    const hits: DenseHit[] = [];
    for (const document of documents) {
      let similarity = 0;
      const offset = document * dimensions;
      for (let index = 0; index < dimensions; index++) similarity += vector[index]! * this.vectors[offset + index]!;
      hits.push({ document, distance: 1 - similarity });
    }
    return hits.sort((left, right) => left.distance - right.distance || left.document - right.document).slice(0, k);
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
