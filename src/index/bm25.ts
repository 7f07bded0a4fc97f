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

export class Bm25Index {
  readonly parameters: Bm25Parameters;
  private readonly lengths: Float64Array;
  private readonly averageLength: number;
  private readonly postings: Map<string, Int32Array>;

  private constructor(data: Bm25Data) {
    this.parameters = data.parameters;
    this.lengths = Float64Array.from(data.documentLengths);
    this.averageLength = this.lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, this.lengths.length);
    this.postings = new Map(Object.entries(data.postings).map(([term, list]) => [term, Int32Array.from(list)]));
  }

  static build(documents: readonly string[][], parameters: Bm25Parameters = DEFAULT_BM25): Bm25Index {
    const postings: Record<string, number[]> = Object.create(null) as Record<string, number[]>;
    documents.forEach((tokens, document) => {
      const counts = new Map<string, number>();
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [term, count] of counts) (postings[term] ??= []).push(document, count);
    });
    return new Bm25Index({ parameters, documentLengths: documents.map((tokens) => tokens.length), postings });
  }

  static fromData(data: Bm25Data): Bm25Index {
    return new Bm25Index(data);
  }

  toData(): Bm25Data {
    const postings: Record<string, number[]> = {};
    for (const [term, list] of this.postings) postings[term] = Array.from(list);
    return { parameters: this.parameters, documentLengths: Array.from(this.lengths), postings };
  }

  get size(): number {
    return this.lengths.length;
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
