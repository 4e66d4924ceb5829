/**
 * What every benchmark returns to `npm run bench`: named metrics (medians over repeated runs with
 * their spread), the target each is held to, and free-text notes (where the time goes when a
 * target is missed). The runner turns these into bench/results.json, the markdown table and the chart.
 */

export type Unit = 'ms' | 'MiB' | 'tokens' | 'ratio' | 'bytes' | 'count';

export interface Target {
  op: '<=' | '>=' | '==';
  value: number;
}

export interface Metric {
  /** e.g. `wall time ratio (agents / plain SDK)`, `first event p99 at 100 sessions`. */
  name: string;
  unit: Unit;
  /**
   * The median over `samples` repeated runs (or the figure itself when measured once); the target
   * is held against it. A percentile metric names it (`first event p99 at 100 sessions`) and its
   * median is the median of that percentile over the runs.
   */
  median: number;
  p99?: number;
  min?: number;
  max?: number;
  samples?: number;
  target?: Target;
}

/** One line of a chart: y against x (e.g. first-event latency p99 against concurrent sessions). */
export interface Series {
  name: string;
  xLabel: string;
  yLabel: string;
  points: Array<{ x: number; y: number }>;
}

export interface BenchmarkResult {
  /** Short id: `deploy`, `ws-first-event`, `tokens`, `packaging`, `store`, `cli-start`. */
  id: string;
  title: string;
  /** What it is measured against, as in the table. */
  against: string;
  metrics: Metric[];
  /** Findings: profile results, why a target is missed, what the spread means. */
  notes: string[];
  series?: Series[];
}

/** Everything a benchmark may need, prepared once by the runner. */
export interface BenchContext {
  /** The moto sandbox emulator, e.g. `http://127.0.0.1:5123`. */
  sandboxEndpoint: string;
  /** A PostgreSQL server the runner started for the run. */
  postgresUrl: string;
  /** A scratch folder of this run, deleted afterwards. */
  workDir: string;
  /** `npm run bench -- --quick`: few repetitions, small sizes; for checking the benchmarks run. */
  quick: boolean;
  /** Progress lines for the person watching. */
  log(line: string): void;
}

export type Benchmark = (context: BenchContext) => Promise<BenchmarkResult>;

export function passes(metric: Metric): boolean | undefined {
  const { target } = metric;
  if (!target) return undefined;
  if (target.op === '<=') return metric.median <= target.value;
  if (target.op === '>=') return metric.median >= target.value;
  return metric.median === target.value;
}
