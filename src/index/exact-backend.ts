// A search backend with exact dense search (no graph): the reference the shared backend tests hold the
// local HNSW backend to, and a backend for corpora small enough that brute force is fast.
import { Bm25Index } from './bm25.ts';
import { matchesFilter, type BackendEntry, type DenseHit, type LexicalHit, type SearchBackend, type SearchFilter } from './search-backend.ts';

interface Row {
  passage: BackendEntry['passage'];
  vector: Float32Array;
}

export class ExactSearchBackend implements SearchBackend {
  private readonly bm25 = Bm25Index.build([]);
  /** Indexed by BM25 document number; removed rows are undefined. */
  private readonly rows: (Row | undefined)[] = [];
  private readonly numberOf = new Map<string, number>();

  constructor(readonly dimensions: number) {}

  get size(): number {
    return this.numberOf.size;
  }

  has(id: string): boolean {
    return this.numberOf.has(id);
  }

  idf(term: string): number {
    return this.bm25.idf(term);
  }

  documentFrequency(term: string): number {
    return this.bm25.documentFrequency(term);
  }

  private accept(filter: SearchFilter | undefined): (document: number) => boolean {
    return (document) => {
      const row = this.rows[document];
      return row !== undefined && matchesFilter(row.passage, filter) && (!filter?.where || filter.where(row.passage.id));
    };
  }

  lexical(query: ReadonlyMap<string, number>, k: number, filter?: SearchFilter): LexicalHit[] {
    return this.bm25.search(query, k, this.accept(filter)).map((hit) => ({ id: this.rows[hit.document]!.passage.id, score: hit.score }));
  }

  dense(vector: readonly number[], k: number, filter?: SearchFilter): DenseHit[] {
    const accept = this.accept(filter);
    const documents = this.rows.flatMap((_row, document) => (accept(document) ? [document] : []));
    return this.rank(vector, k, documents);
  }

  denseAmong(vector: readonly number[], k: number, ids: Iterable<string>): DenseHit[] {
    const documents: number[] = [];
    for (const id of ids) {
      const document = this.numberOf.get(id);
      if (document !== undefined) documents.push(document);
    }
    return this.rank(vector, k, documents);
  }

  private rank(vector: readonly number[], k: number, documents: readonly number[]): DenseHit[] {
    return documents
      .map((document) => {
        const row = this.rows[document]!;
        let similarity = 0;
        for (let index = 0; index < this.dimensions; index++) similarity += vector[index]! * row.vector[index]!;
        return { document, distance: 1 - similarity };
      })
      .sort((left, right) => left.distance - right.distance || left.document - right.document)
      .slice(0, k)
      .map((hit) => ({ id: this.rows[hit.document]!.passage.id, distance: hit.distance }));
  }

  vectorOf(id: string): Float32Array | undefined {
    const document = this.numberOf.get(id);
    return document === undefined ? undefined : this.rows[document]!.vector;
  }

  add(entries: readonly BackendEntry[]): void {
    for (const entry of entries) if (this.numberOf.has(entry.passage.id)) throw new Error(`Passage ${entry.passage.id} is already indexed`);
    const numbers = this.bm25.addAll(entries.map((entry) => [...entry.tokens]));
    entries.forEach((entry, index) => {
      const norm = Math.hypot(...entry.vector) || 1;
      this.rows[numbers[index]!] = { passage: entry.passage, vector: Float32Array.from(entry.vector, (value) => value / norm) };
      this.numberOf.set(entry.passage.id, numbers[index]!);
    });
  }

  remove(ids: readonly string[]): void {
    const documents = ids.flatMap((id) => {
      const document = this.numberOf.get(id);
      if (document === undefined) return [];
      this.numberOf.delete(id);
      this.rows[document] = undefined;
      return [document];
    });
    this.bm25.removeAll(documents);
  }
}
