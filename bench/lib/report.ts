/**
 * What a benchmark run leaves behind: bench/results.json (machine, date, every result with
 * pass/fail per target), bench/results.md (one table row per metric) and bench/latency.svg.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { renderChart } from './chart.js';
import { type BenchmarkResult, type Metric, passes } from './result.js';

export interface MachineInfo {
  node: string;
  cpuModel: string;
  cpuCount: number;
  totalMemoryMiB: number;
  os: string;
}

export type ScoredMetric = Metric & { pass?: boolean };

export type BenchmarkEntry =
  | (Omit<BenchmarkResult, 'metrics'> & { metrics: ScoredMetric[]; durationMs: number })
  | { id: string; title: string; error: string; durationMs: number };

export interface RunResults {
  date: string;
  quick: boolean;
  machine: MachineInfo;
  benchmarks: BenchmarkEntry[];
}

export function machineInfo(): MachineInfo {
  const processors = cpus();
  return {
    node: process.version,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cpuCount: processors.length,
    totalMemoryMiB: Math.round(totalmem() / 1024 / 1024),
    os: `${platform()} ${release()}`,
  };
}

/** The result with each targeted metric marked pass or miss. */
export function scored(result: BenchmarkResult, durationMs: number): BenchmarkEntry {
  const metrics = result.metrics.map((metric) => {
    const pass = passes(metric);
    return pass === undefined ? metric : { ...metric, pass };
  });
  return { ...result, metrics, durationMs: Math.round(durationMs) };
}

export function isError(entry: BenchmarkEntry): entry is Extract<BenchmarkEntry, { error: string }> {
  return 'error' in entry;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function formatValue(value: number, unit: Metric['unit']): string {
  if (unit === 'ratio') return value.toFixed(2);
  if (unit === 'count') return String(value);
  return `${value} ${unit}`;
}

function spread(metric: Metric): string {
  const parts: string[] = [];
  if (metric.min !== undefined && metric.max !== undefined && (metric.samples ?? 1) > 1)
    parts.push(`${formatValue(metric.min, metric.unit)} – ${formatValue(metric.max, metric.unit)}`);
  if (metric.p99 !== undefined && (metric.samples ?? 1) > 1)
    parts.push(`p99 ${formatValue(metric.p99, metric.unit)}`);
  if (metric.samples !== undefined) parts.push(`n=${metric.samples}`);
  return parts.join(', ') || '—';
}

function verdict(metric: ScoredMetric): string {
  if (metric.pass === undefined) return '';
  return metric.pass ? '✅ pass' : '❌ miss';
}

export function renderMarkdown(results: RunResults): string {
  const { machine } = results;
  const lines = [
    '# Benchmark results',
    '',
    `${results.date}${results.quick ? ' (quick run: few repetitions, small sizes — not figures to quote)' : ''}; ` +
      `Node ${machine.node}, ${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryMiB} MiB, ${machine.os}.`,
    '',
    '| benchmark | metric | median | spread | target | pass |',
    '|---|---|---|---|---|---|',
  ];
  for (const entry of results.benchmarks) {
    if (isError(entry)) {
      lines.push(`| ${cell(entry.id)} | error | ${cell(entry.error)} | | | ❌ error |`);
      continue;
    }
    for (const metric of entry.metrics) {
      const target = metric.target
        ? `${metric.target.op} ${formatValue(metric.target.value, metric.unit)}`
        : '';
      lines.push(
        `| ${cell(entry.id)} | ${cell(metric.name)} | ${formatValue(metric.median, metric.unit)} | ${cell(spread(metric))} | ${target} | ${verdict(metric)} |`,
      );
    }
  }
  for (const entry of results.benchmarks) {
    if (isError(entry) || entry.notes.length === 0) continue;
    lines.push('', `## ${entry.title}`, '', `Measured against: ${entry.against}.`, '');
    for (const note of entry.notes) lines.push(`- ${note.replace(/\r?\n/g, ' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderLatencyChart(results: RunResults): string {
  const series = results.benchmarks.flatMap((entry) => (isError(entry) ? [] : (entry.series ?? [])));
  return renderChart(series, `aws-copilot benchmarks, ${results.date.slice(0, 10)}`);
}

/** Writes results.json, results.md and latency.svg into `directory`; returns their paths. */
export async function writeReports(directory: string, results: RunResults): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const files: Array<[string, string]> = [
    ['results.json', `${JSON.stringify(results, null, 2)}\n`],
    ['results.md', renderMarkdown(results)],
    ['latency.svg', renderLatencyChart(results)],
  ];
  for (const [name, text] of files) await writeFile(join(directory, name), text);
  return files.map(([name]) => join(directory, name));
}
