// Reciprocal-rank fusion: combines rankings by rank alone, never by adding scores of different kinds.

export const RRF_K = 60;

/** Fused score per item: Σ weight / (k + rank), rank 1-based. Items keep insertion order on ties. */
export function fuseRankings<T>(rankings: readonly { items: readonly T[]; weight?: number }[], k = RRF_K): Map<T, number> {
  const scores = new Map<T, number>();
  for (const { items, weight = 1 } of rankings) {
    items.forEach((item, index) => scores.set(item, (scores.get(item) ?? 0) + weight / (k + index + 1)));
  }
  return scores;
}

/** Interleaves per-group rankings round-robin so each group gets a fair share of the first places. */
export function interleave<T>(groups: readonly (readonly T[])[], limit: number): T[] {
  const result: T[] = [];
  const seen = new Set<T>();
  for (let round = 0; result.length < limit; round++) {
    let added = false;
    for (const group of groups) {
      const item = group[round];
      if (item === undefined) continue;
      added = true;
      if (seen.has(item)) continue;
      seen.add(item);
      result.push(item);
      if (result.length >= limit) break;
    }
    if (!added) break;
  }
  return result;
}
