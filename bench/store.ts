/**
 * The store side by side: embedded PGlite (a data folder) and PostgreSQL (a database on the run's
 * server), through the project's own opener. First start: a brand-new folder or empty database,
 * migrations included. Warm start: the same folder or database opened again in a fresh process.
 * Checkpoint writes: LangGraph checkpoints of a deploy-sized state through the store's checkpointer.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { profileNodeCommand, profileNote } from './lib/cpu-profile.js';
import type { BenchContext, Benchmark, Metric } from './lib/result.js';
import { createDatabase } from './lib/serve-under-test.js';
import { median, metricFromSamples } from './lib/stats.js';

const run = promisify(execFile);
const DRIVER = resolve(import.meta.dirname, 'lib', 'store-driver.ts');
const WARM_TARGET = { op: '<=', value: 1000 } as const;

interface DriverInput {
  storeDir?: string;
  databaseUrl?: string;
  checkpoints?: number;
  pgliteOnly?: boolean;
}

interface DriverOutput {
  openMs: number;
  putMs: number[];
}

async function startStore(input: DriverInput): Promise<DriverOutput> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', DRIVER, JSON.stringify(input)], {
    cwd: resolve(import.meta.dirname, '..'),
    env: { ...process.env, AWS_COPILOT_LOG_LEVEL: 'error' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as DriverOutput;
}

interface Side {
  label: 'PGlite' | 'PostgreSQL';
  /** A brand-new store for repetition `index`. */
  fresh(index: number): Promise<DriverInput>;
}

function sides(context: BenchContext): Side[] {
  const runId = `bench_store_${process.pid}_${Date.now()}`;
  return [
    { label: 'PGlite', fresh: async (index) => ({ storeDir: join(context.workDir, `pglite-${index}`) }) },
    {
      label: 'PostgreSQL',
      fresh: async (index) => ({
        databaseUrl: await createDatabase(context.postgresUrl, `${runId}_${index}`),
      }),
    },
  ];
}

async function repeat(times: number, input: () => Promise<DriverInput> | DriverInput): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < times; index += 1) samples.push((await startStore(await input())).openMs);
  return samples;
}

async function measureSide(side: Side, repetitions: number, checkpoints: number, context: BenchContext) {
  const metrics: Metric[] = [];
  const notes: string[] = [];
  let created = 0;
  const existing = await side.fresh(created);
  const first = [
    (await startStore(existing)).openMs,
    ...(await repeat(repetitions - 1, () => side.fresh(++created))),
  ];
  // PGlite alone on the same folder, back to back with each warm start: the library's own share.
  const warm: number[] = [];
  const floor: number[] = [];
  for (let index = 0; index < repetitions; index += 1) {
    warm.push((await startStore(existing)).openMs);
    if (side.label === 'PGlite') floor.push((await startStore({ ...existing, pgliteOnly: true })).openMs);
  }
  metrics.push(
    metricFromSamples(`first start (${side.label}, migrations included)`, 'ms', first),
    metricFromSamples(`warm start (${side.label}, fresh process)`, 'ms', warm, WARM_TARGET),
  );
  if (floor.length > 0) {
    const ours = warm.map((ms, index) => ms - (floor[index] as number));
    metrics.push(
      metricFromSamples('warm start (PGlite.create alone: the library, none of our code)', 'ms', floor),
      metricFromSamples('warm start, our share (PGlite warm start minus PGlite.create alone)', 'ms', ours),
    );
    notes.push(
      `PGlite warm start: PGlite.create alone takes ${median(floor).toFixed(0)} ms (WebAssembly compile and instantiate, the Postgres backend starting inside it); our share, measured pair by pair, is ${median(ours).toFixed(0)} ms: CREATE EXTENSION vector, the schema version check and the checkpointer's migration check`,
    );
  }
  const { putMs } = await startStore({ ...existing, checkpoints });
  metrics.push(
    metricFromSamples(`checkpoint write p50 (${side.label}; spread shows p99)`, 'ms', putMs, undefined, 2),
  );
  context.log(
    `${side.label}: first ${median(first).toFixed(0)} ms, warm ${median(warm).toFixed(0)} ms, checkpoint p50 ${median(putMs).toFixed(1)} ms`,
  );
  if (median(warm) > WARM_TARGET.value) {
    const summary = await profileNodeCommand(
      ['--import', 'tsx', DRIVER, JSON.stringify(existing)],
      process.cwd(),
    );
    notes.push(profileNote(`a warm ${side.label} start (driver process, imports included)`, summary));
  }
  return { metrics, notes };
}

export const benchmark: Benchmark = async (context) => {
  const repetitions = context.quick ? 1 : 5;
  const checkpoints = context.quick ? 20 : 200;
  const metrics: Metric[] = [];
  const notes: string[] = [];
  for (const side of sides(context)) {
    const measured = await measureSide(side, repetitions, checkpoints, context);
    metrics.push(...measured.metrics);
    notes.push(...measured.notes);
  }
  notes.push(
    'start times are measured inside a fresh Node process from the openStore call to a ready store (module loading excluded); each run opens the store the way `aws-copilot serve` does',
    `checkpoint writes: ${checkpoints} PostgresSaver.put calls of a deploy conversation at plan time (18–45 messages, an 8-step plan with previews, about 20–30 kB), each changing the messages and one other channel`,
  );
  return {
    id: 'store',
    title: 'Store: first start, warm start, checkpoint writes',
    against: 'PGlite and PostgreSQL side by side',
    metrics,
    notes,
  };
};
