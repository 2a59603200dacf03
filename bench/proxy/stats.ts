export type Summary = { count: number; p50: number; p90: number; p99: number; mean: number; max: number };

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** Runs `task` `count` times with `concurrency` callers in parallel; returns each call's latency (ms). */
export async function measure(
  count: number,
  concurrency: number,
  task: () => Promise<void>,
): Promise<number[]> {
  const samples: number[] = [];
  let next = 0;
  const caller = async () => {
    while (next < count) {
      next++;
      const started = performance.now();
      await task();
      samples.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return samples;
}
