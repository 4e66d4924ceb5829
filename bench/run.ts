/**
 * `npm run bench`: starts the servers the selected benchmarks need once, runs the benchmarks one
 * after another (so they do not compete for the two cores), each in a fresh process of its own
 * (bench/run-one.ts), and writes results.json, results.md and latency.svg. A benchmark that throws is recorded as an error and the run goes on; the exit
 * code is non-zero when any errored. A missed target is a finding, not an error.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { POSTGRES_ENV, REGISTRY, type RegistryEntry, SANDBOX_ENV } from './lib/registry.js';
import {
  type BenchmarkEntry,
  isError,
  machineInfo,
  type RunResults,
  scored,
  writeReports,
} from './lib/report.js';
import type { BenchmarkResult } from './lib/result.js';
import { type RunningServices, startServices } from './lib/services.js';

const RUN_ONE = join(import.meta.dirname, 'run-one.ts');

const USAGE = `usage: npm run bench -- [--quick] [--only id,id] [--out DIR]
  --quick     few repetitions and small sizes: checks the benchmarks run, figures not to quote
  --only      comma-separated ids (${REGISTRY.map((entry) => entry.id).join(', ')})
  --out       folder for results.json, results.md and latency.svg (default: bench/)`;

function parseOptions(argv: string[]): { quick: boolean; selected: RegistryEntry[]; out: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string', default: resolve(import.meta.dirname) },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const wanted = values.only
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = wanted?.filter((id) => !REGISTRY.some((entry) => entry.id === id)) ?? [];
  if (unknown.length > 0) throw new Error(`--only: unknown benchmark ${unknown.join(', ')}\n${USAGE}`);
  const selected = wanted ? REGISTRY.filter((entry) => wanted.includes(entry.id)) : REGISTRY;
  return { quick: values.quick, selected, out: resolve(values.out) };
}

/** The benchmark process running now: stopped with the run (a SIGTERM reaches only this process). */
let runningChild: ChildProcess | undefined;

/** Runs one benchmark in a child process and reads back its result; a crash is recorded as an error. */
async function runOne(
  entry: RegistryEntry,
  services: RunningServices,
  workDir: string,
  quick: boolean,
): Promise<BenchmarkEntry> {
  const start = performance.now();
  const resultFile = join(workDir, 'result.json');
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (services.sandboxEndpoint) env[SANDBOX_ENV] = services.sandboxEndpoint;
  if (services.postgresUrl) env[POSTGRES_ENV] = services.postgresUrl;
  const args = ['--id', entry.id, '--work', workDir, '--result', resultFile, ...(quick ? ['--quick'] : [])];
  // The same loader flags (tsx) as this process, so the child runs the TypeScript sources too.
  const child = spawn(process.execPath, [...process.execArgv, RUN_ONE, ...args], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  runningChild = child;
  const code = await new Promise<number | null>((resolveExit) => {
    child.once('exit', resolveExit);
    child.once('error', () => resolveExit(null));
  });
  runningChild = undefined;
  try {
    if (code !== 0) throw new Error(`the benchmark process exited with ${code} (its error is above)`);
    const result = JSON.parse(await readFile(resultFile, 'utf8')) as BenchmarkResult;
    return scored(result, performance.now() - start);
  } catch (error) {
    return {
      id: entry.id,
      title: entry.id,
      error: error instanceof Error ? error.message : String(error),
      durationMs: Math.round(performance.now() - start),
    };
  }
}

async function main(): Promise<number> {
  const { quick, selected, out } = parseOptions(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const workRoot = await mkdtemp(join(tmpdir(), 'aws-copilot-bench-'));
  let services: RunningServices | undefined;
  let stopping: Promise<void> | undefined;
  const cleanUp = () => {
    stopping ??= (async () => {
      await services?.stop();
      await rm(workRoot, { recursive: true, force: true, maxRetries: 5 });
    })();
    return stopping;
  };
  const interrupted = (signal: NodeJS.Signals) => {
    log(`\n${signal}: stopping the servers this run started ...`);
    runningChild?.kill(signal);
    process.once(signal, () => process.exit(130));
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    const needed = new Set(selected.flatMap((entry) => entry.needs));
    services = await startServices(needed, log);
    const benchmarks: BenchmarkEntry[] = [];
    for (const entry of selected) {
      log(`== ${entry.id}${quick ? ' (quick)' : ''}`);
      const workDir = await mkdtemp(join(workRoot, `${entry.id}-`));
      benchmarks.push(await runOne(entry, services, workDir, quick));
      await rm(workDir, { recursive: true, force: true });
    }
    const results: RunResults = { date: new Date().toISOString(), quick, machine: machineInfo(), benchmarks };
    for (const path of await writeReports(out, results)) log(`wrote ${path}`);
    const errored = benchmarks.filter(isError);
    if (errored.length > 0) log(`errored: ${errored.map((entry) => entry.id).join(', ')}`);
    return errored.length > 0 ? 1 : 0;
  } finally {
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
