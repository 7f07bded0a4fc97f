// A BM25 index over token lists, with weighted query terms and a document filter. Pure: no I/O.

export interface Bm25Parameters {
  k1: number;
  b: number;
}

export const DEFAULT_BM25: Bm25Parameters = { k1: 1.2, b: 0.75 };

export interface Bm25Data {
  parameters: Bm25Parameters;
  documentLengths: number[];
  /** term → flat [document, termFrequency, document, termFrequency, …] */
  postings: Record<string, number[]>;
}

export interface ScoredDocument {
  /** Position of the document in the indexed list. */
  document: number;
  score: number;
}

/** Length recorded for a removed document: it scores nothing and counts nowhere. */
const REMOVED = -1;

/**
 * Documents are numbered by the order they were added and keep their number for good: adding appends,
 * removing leaves a hole (so HNSW labels and vector rows that share the numbers never move).
 */
export class Bm25Index {
  readonly parameters: Bm25Parameters;
  private readonly lengths: number[];
  private averageLength = 0;
  private live = 0;
  private readonly postings: Map<string, number[]>;

  private constructor(data: Bm25Data) {
    this.parameters = data.parameters;
    this.lengths = [...data.documentLengths];
    this.postings = new Map(Object.entries(data.postings).map(([term, list]) => [term, [...list]]));
    this.updateStatistics();
  }

  private updateStatistics(): void {
    let total = 0;
    let live = 0;
    for (const length of this.lengths) {
      if (length === REMOVED) continue;
      total += length;
      live++;
    }
    this.live = live;
    this.averageLength = total / Math.max(1, live);
  }

  static build(documents: readonly string[][], parameters: Bm25Parameters = DEFAULT_BM25): Bm25Index {
    const index = new Bm25Index({ parameters, documentLengths: [], postings: {} });
    index.addAll(documents);
    return index;
  }

  static fromData(data: Bm25Data): Bm25Index {
    return new Bm25Index(data);
  }

  toData(): Bm25Data {
    const postings: Record<string, number[]> = {};
    for (const [term, list] of this.postings) postings[term] = list;
    return { parameters: this.parameters, documentLengths: this.lengths, postings };
  }

  /** Appends documents; returns their numbers. */
  addAll(documents: readonly string[][]): number[] {
    const numbers = documents.map((tokens) => {
      const document = this.lengths.length;
      const counts = new Map<string, number>();
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [term, count] of counts) {
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push(document, count);
      }
      this.lengths.push(tokens.length);
      return document;
    });
    this.updateStatistics();
    return numbers;
  }

  /** Removes documents by number; the numbers are not reused. */
  removeAll(documents: Iterable<number>): void {
    const removed = new Set<number>();
    for (const document of documents) {
      if (this.lengths[document] === undefined || this.lengths[document] === REMOVED) continue;
      this.lengths[document] = REMOVED;
      removed.add(document);
    }
    if (removed.size === 0) return;
    for (const [term, list] of this.postings) {
      let kept = 0;
      for (let index = 0; index < list.length; index += 2) {
        if (removed.has(list[index]!)) continue;
        list[kept++] = list[index]!;
        list[kept++] = list[index + 1]!;
      }
      if (kept === 0) this.postings.delete(term);
      else list.length = kept;
    }
    this.updateStatistics();
  }

  /** Documents indexed and not removed. */
  get size(): number {
    return this.live;
  }

  /** One past the highest document number ever given. */
  get capacity(): number {
    return this.lengths.length;
  }

  isLive(document: number): boolean {
    const length = this.lengths[document];
    return length !== undefined && length !== REMOVED;
  }

  documentFrequency(term: string): number {
    return (this.postings.get(term)?.length ?? 0) / 2;
  }

  idf(term: string): number {
    const frequency = this.documentFrequency(term);
    return Math.log(1 + (this.size - frequency + 0.5) / (frequency + 0.5));
  }

  /**
   * The top `k` documents for weighted query terms (a term's weight multiplies its contribution), best
   * first; ties broken by document position so results are deterministic.
   */
  search(query: ReadonlyMap<string, number>, k: number, accept?: (document: number) => boolean): ScoredDocument[] {
    const { k1, b } = this.parameters;
    const scores = new Map<number, number>();
    for (const [term, weight] of query) {
      const list = this.postings.get(term);
      if (!list || weight <= 0) continue;
      const idf = this.idf(term) * weight;
      for (let index = 0; index < list.length; index += 2) {
        const document = list[index]!;
        if (accept && !accept(document)) continue;
        const frequency = list[index + 1]!;
        const norm = frequency + k1 * (1 - b + (b * this.lengths[document]!) / this.averageLength);
        scores.set(document, (scores.get(document) ?? 0) + (idf * frequency * (k1 + 1)) / norm);
      }
    }
    return [...scores]
      .map(([document, score]) => ({ document, score }))
      .sort((left, right) => right.score - left.score || left.document - right.document)
      .slice(0, k);
  }
}

/** Counts tokens into query weights: repeated terms weigh more, each list may carry its own weight. */
export function weighQuery(groups: readonly { tokens: readonly string[]; weight: number }[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const { tokens, weight } of groups) {
    for (const token of new Set(tokens)) weights.set(token, Math.max(weights.get(token) ?? 0, weight));
  }
  return weights;
}
