// The search backend behind retrieval: lexical (BM25) and dense (nearest-neighbour) search over
// passages named by id, with filters given as data, and passages added or removed by id. The local
// backend (BM25 + HNSW in this process) is one implementation; a search engine cluster can be another.
import type { Passage, ReportPart } from '../types.ts';

/** Which passages a search may return: every listed dimension must match (an absent one matches all). */
export interface SearchFilter {
  regions?: readonly string[];
  years?: readonly number[];
  parts?: readonly ReportPart[];
  /**
   * A predicate over passage ids, for callers that still filter in code (the PassageIndex view). A
   * remote backend cannot honour it; the local one applies it after the data filters.
   */
  where?: (id: string) => boolean;
}

export interface LexicalHit {
  id: string;
  score: number;
}

export interface DenseHit {
  id: string;
  /** Cosine distance, lower is closer. */
  distance: number;
}

/** What the backend keeps of a passage: its id, its filterable fields, its tokens and its vector. */
export interface BackendEntry {
  passage: Pick<Passage, 'id' | 'region' | 'year' | 'part'>;
  tokens: readonly string[];
  vector: readonly number[];
}

export interface SearchBackend {
  /** Passages searchable now. */
  readonly size: number;
  readonly dimensions: number;
  has(id: string): boolean;
  /** Inverse document frequency of a term over the live passages (for weighing query terms). */
  idf(term: string): number;
  /** How many live passages hold a term (0: the corpus never uses it). */
  documentFrequency(term: string): number;
  /** Best first; ties broken by the order passages were added, so results are deterministic. */
  lexical(query: ReadonlyMap<string, number>, k: number, filter?: SearchFilter): LexicalHit[];
  /** Closest first. Approximate over everything; exact when a filter leaves few passages. */
  dense(vector: readonly number[], k: number, filter?: SearchFilter): DenseHit[];
  /** Exact nearest neighbours among the given passages. */
  denseAmong(vector: readonly number[], k: number, ids: Iterable<string>): DenseHit[];
  /** The stored unit vector of a passage. */
  vectorOf(id: string): Float32Array | undefined;
  add(entries: readonly BackendEntry[]): void;
  remove(ids: readonly string[]): void;
}

export function matchesFilter(passage: Pick<Passage, 'region' | 'year' | 'part'>, filter: SearchFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.regions && !filter.regions.includes(passage.region)) return false;
  if (filter.years && !filter.years.includes(passage.year)) return false;
  if (filter.parts && !filter.parts.includes(passage.part)) return false;
  return true;
}
