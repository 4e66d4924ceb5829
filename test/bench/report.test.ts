/** The bench harness's writers on fixed results: no benchmark runs here and nothing is timed. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderChart, ticks } from '../../bench/lib/chart.js';
import {
  type BenchmarkEntry,
  machineInfo,
  type RunResults,
  renderLatencyChart,
  renderMarkdown,
  scored,
  writeReports,
} from '../../bench/lib/report.js';
import type { BenchmarkResult } from '../../bench/lib/result.js';
import { median, metricFromSamples, percentile } from '../../bench/lib/stats.js';

const WS_RESULT: BenchmarkResult = {
  id: 'ws-first-event',
  title: 'First event <fast> & "quoted"',
  against: '1, 100 and 500 sessions',
  metrics: [
    {
      name: 'first event p99 at 100 sessions',
      unit: 'ms',
      median: 42,
      p99: 48,
      min: 30,
      max: 49,
      samples: 5,
      target: { op: '<=', value: 50 },
    },
    {
      name: 'first event p99 at 500 sessions',
      unit: 'ms',
      median: 300,
      samples: 5,
      target: { op: '<=', value: 250 },
    },
    { name: 'size | with a pipe', unit: 'MiB', median: 512 },
  ],
  notes: ['most time goes to JSON encoding'],
  series: [
    {
      name: 'p99 <first event>',
      xLabel: 'concurrent sessions',
      yLabel: 'ms',
      points: [
        { x: 500, y: 300 },
        { x: 1, y: 5 },
        { x: 100, y: 42 },
      ],
    },
  ],
};

function results(benchmarks: BenchmarkEntry[]): RunResults {
  return { date: '2026-01-02T03:04:05.000Z', quick: false, machine: machineInfo(), benchmarks };
}

const ERRORED: BenchmarkEntry = {
  id: 'deploy',
  title: 'deploy',
  error: 'emulator went away',
  durationMs: 12,
};

describe('bench report', () => {
  it('marks each targeted metric pass or miss and leaves untargeted ones unmarked', () => {
    const entry = scored(WS_RESULT, 1234.6);
    expect('error' in entry).toBe(false);
    if ('error' in entry) return;
    expect(entry.metrics.map((metric) => metric.pass)).toEqual([true, false, undefined]);
    expect(entry.durationMs).toBe(1235);
  });

  it('writes one markdown row per metric, escapes pipes, and shows errors as rows', () => {
    const markdown = renderMarkdown(results([scored(WS_RESULT, 10), ERRORED]));
    const rows = markdown.split('\n').filter((line) => line.startsWith('| '));
    expect(rows[0]).toBe('| benchmark | metric | median | spread | target | pass |');
    expect(rows).toContain(
      '| ws-first-event | first event p99 at 100 sessions | 42 ms | 30 ms – 49 ms, p99 48 ms, n=5 | <= 50 ms | ✅ pass |',
    );
    expect(rows.find((row) => row.includes('500 sessions'))).toContain('❌ miss');
    expect(rows).toContain('| ws-first-event | size \\| with a pipe | 512 MiB | — |  |  |');
    expect(rows).toContain('| deploy | error | emulator went away | | | ❌ error |');
    expect(markdown).toContain('- most time goes to JSON encoding');
  });

  it('draws every series as a polyline with axes, ticks and a legend, escaping labels', () => {
    const svg = renderLatencyChart(results([scored(WS_RESULT, 10), ERRORED]));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('p99 &#60;first event&#62;');
    expect(svg).toContain('>concurrent sessions</text>');
    // Points are drawn in x order whatever order the benchmark gave them.
    const points = (svg.match(/points="([^"]+)"/)?.[1] ?? '')
      .split(' ')
      .map((pair) => Number(pair.split(',')[0]));
    expect([...points].sort((a, b) => a - b)).toEqual(points);
  });

  it('says so in the chart when no benchmark produced a series', () => {
    const svg = renderChart([], 'empty');
    expect(svg).toContain('no series in this run');
    expect(svg).not.toContain('<polyline');
  });

  it('writes results.json, results.md and latency.svg that read back', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const written = await writeReports(directory, results([scored(WS_RESULT, 10), ERRORED]));
    expect(written.map((path) => path.slice(directory.length + 1))).toEqual([
      'results.json',
      'results.md',
      'latency.svg',
    ]);
    const json = JSON.parse(readFileSync(join(directory, 'results.json'), 'utf8')) as RunResults;
    expect(json.machine.cpuCount).toBeGreaterThan(0);
    expect(json.machine.node).toBe(process.version);
    expect(json.benchmarks.map((entry) => entry.id)).toEqual(['ws-first-event', 'deploy']);
  });
});

describe('bench statistics', () => {
  it('computes medians, nearest-rank percentiles and round axis ticks', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(metricFromSamples('t', 'ms', [10, 30, 20])).toMatchObject({
      median: 20,
      min: 10,
      max: 30,
      samples: 3,
    });
    expect(ticks(480)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(ticks(0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
  });
});
