// HNSW against exact search on the index's own vectors: recall@k, the speed ratio, and sweeps of
// efSearch (on the loaded graph) and of M / efConstruction (graphs rebuilt in memory from the same vectors).
import hnswlib from 'hnswlib-node';
import type { PassageIndex } from '../../src/index/passage-index.ts';
import { summarizeLatencies, type LatencySummary } from './latency.ts';

export interface RecallMeasurement {
  queries: number;
  /** Mean share of the exact top k that the approximate top k holds. */
  recall: number;
  /** Search only (the query is already a vector), milliseconds per query. */
  approximate: LatencySummary;
  exact: LatencySummary;
}

/** Anything that answers k nearest neighbours for a vector. */
type Searcher = (vector: number[], k: number) => number[];

function overlap(found: readonly number[], truth: readonly number[]): number {
  const expected = new Set(truth);
  return found.filter((document) => expected.has(document)).length / Math.max(1, truth.length);
}

export function exactNeighbours(index: PassageIndex, queries: readonly number[][], k: number): number[][] {
  const all = Array.from({ length: index.passages.length }, (_, position) => position);
  return queries.map((vector) => index.denseExact(vector, k, all).map((hit) => hit.document));
}

/**
 * Scores recall@k of `approximate` against `truth` and times it on every query `repetitions` times (after
 * one warm-up pass); with `timeExact`, brute force is timed on the same queries in the same loop.
 */
export function measureRecall(
  index: PassageIndex,
  approximate: Searcher,
  queries: readonly number[][],
  truth: readonly number[][],
  options: { k: number; repetitions: number; timeExact: boolean },
): RecallMeasurement {
  const { k } = options;
  const all = Array.from({ length: index.passages.length }, (_, position) => position);
  let recallSum = 0;
  queries.forEach((vector, query) => {
    recallSum += overlap(approximate(vector, k), truth[query]!);
    if (options.timeExact) index.denseExact(vector, k, all);
  });
  const approximateMs: number[] = [];
  const exactMs: number[] = [];
  for (let round = 0; round < options.repetitions; round++) {
    for (const vector of queries) {
      let started = performance.now();
      approximate(vector, k);
      approximateMs.push(performance.now() - started);
      if (!options.timeExact) continue;
      started = performance.now();
      index.denseExact(vector, k, all);
      exactMs.push(performance.now() - started);
    }
  }
  return { queries: queries.length, recall: recallSum / Math.max(1, queries.length), approximate: summarizeLatencies(approximateMs), exact: summarizeLatencies(exactMs) };
}

export const loadedGraphSearcher =
  (index: PassageIndex): Searcher =>
  (vector, k) =>
    index.dense(vector, k).map((hit) => hit.document);

export interface BuiltGraph {
  M: number;
  efConstruction: number;
  buildMs: number;
  search: Searcher;
  setEf(ef: number): void;
}

/** Builds an HNSW graph over the index's (unit) vectors with the given parameters, in memory. */
export function buildGraph(index: PassageIndex, M: number, efConstruction: number): BuiltGraph {
  const dimensions = index.dimensions;
  const count = index.passages.length;
  const started = performance.now();
  const graph = new hnswlib.HierarchicalNSW('cosine', dimensions);
  graph.initIndex(count, M, efConstruction, 100);
  for (let position = 0; position < count; position++) graph.addPoint(Array.from(index.vectors.subarray(position * dimensions, (position + 1) * dimensions)), position);
  const buildMs = performance.now() - started;
  return {
    M,
    efConstruction,
    buildMs,
    search: (vector, k) => graph.searchKnn(vector, Math.min(k, count)).neighbors,
    setEf: (ef) => graph.setEf(ef),
  };
}
