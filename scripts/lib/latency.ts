// Latency samples and their summaries (p50 / p99 by nearest rank), and timing of repeated calls.

export interface LatencySummary {
  count: number;
  /** Milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of ascending samples (p in 0..100). */
export function percentile(ascending: readonly number[], p: number): number {
  if (ascending.length === 0) return Number.NaN;
  const rank = Math.min(ascending.length, Math.max(1, Math.ceil((p / 100) * ascending.length)));
  return ascending[rank - 1]!;
}

export function summarizeLatencies(samples: readonly number[]): LatencySummary {
  const ascending = [...samples].sort((left, right) => left - right);
  const sum = ascending.reduce((total, value) => total + value, 0);
  return {
    count: ascending.length,
    p50: percentile(ascending, 50),
    p90: percentile(ascending, 90),
    p99: percentile(ascending, 99),
    mean: ascending.length ? sum / ascending.length : Number.NaN,
    max: ascending.at(-1) ?? Number.NaN,
  };
}

/**
 * Times `run` for every input, `repetitions` rounds after `warmupRounds` untimed rounds. Rounds go over
 * all inputs in turn, so no single input is measured only while warm in every cache.
 */
export async function timeEach<T>(inputs: readonly T[], run: (input: T) => unknown, options: { repetitions: number; warmupRounds?: number }): Promise<number[]> {
  for (let round = 0; round < (options.warmupRounds ?? 2); round++) for (const input of inputs) await run(input);
  const samples: number[] = [];
  for (let round = 0; round < options.repetitions; round++) {
    for (const input of inputs) {
      const started = performance.now();
      await run(input);
      samples.push(performance.now() - started);
    }
  }
  return samples;
}

/** Milliseconds with a precision that suits the size. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value < 1) return value.toFixed(3);
  if (value < 100) return value.toFixed(2);
  return value.toFixed(0);
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
