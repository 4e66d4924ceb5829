/**
 * CLI cold start: `aws-copilot --help` and `aws-copilot tools list` from dist/, against Node's own
 * start (`node -e 0`), each spawned again and again. The three commands take turns within a round
 * so machine drift touches them alike.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { profileNodeCommand, profileNote } from './lib/cpu-profile.js';
import type { Benchmark, Metric, Target } from './lib/result.js';
import { buildDist } from './lib/serve-under-test.js';
import { median, metricFromSamples, percentile, round } from './lib/stats.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'aws-copilot.js');

interface Command {
  label: string;
  args: string[];
  /** Allowed time over `node -e 0`, from the issue. */
  target?: Target;
}

const COMMANDS: Command[] = [
  { label: 'node -e 0', args: ['-e', '0'] },
  { label: 'aws-copilot --help', args: [CLI, '--help'], target: { op: '<=', value: 300 } },
  { label: 'aws-copilot tools list', args: [CLI, 'tools', 'list'], target: { op: '<=', value: 500 } },
];

async function wallTime(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  await run(process.execPath, args, { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
  return performance.now() - start;
}

export const benchmark: Benchmark = async (context) => {
  const spawns = context.quick ? 3 : 15;
  context.log('building dist/ (npm run build) so the CLI measured is the current source ...');
  // tsc still emits on type errors; the spawns below show whether what it emitted runs.
  await buildDist(context.log);
  // A data folder of its own: the commands must not read or lock the person's.
  const env = { ...process.env, AWS_COPILOT_DATA_DIR: await mkdtemp(join(context.workDir, 'data-')) };

  const samples = new Map(COMMANDS.map((command) => [command.label, [] as number[]]));
  await wallTime(COMMANDS[1]?.args ?? [], env); // one unmeasured run: the file cache, not the CLI, is cold otherwise
  for (let turn = 0; turn < spawns; turn += 1) {
    for (const command of COMMANDS) samples.get(command.label)?.push(await wallTime(command.args, env));
  }

  const nodeSamples = samples.get('node -e 0') as number[];
  const nodeMedian = median(nodeSamples);
  const metrics: Metric[] = [];
  const notes = [
    `${spawns} spawns of each command, taking turns; wall time from spawn to exit, output discarded`,
  ];
  for (const command of COMMANDS) {
    const times = samples.get(command.label) as number[];
    metrics.push(metricFromSamples(`${command.label} wall time`, 'ms', times));
    if (!command.target) continue;
    const overhead: Metric = {
      name: `${command.label} over node -e 0`,
      unit: 'ms',
      median: round(median(times) - nodeMedian),
      p99: round(percentile(times, 99) - nodeMedian),
      samples: times.length,
      target: command.target,
    };
    metrics.push(overhead);
    if (overhead.median > command.target.value) {
      const summary = await profileNodeCommand(command.args, ROOT);
      notes.push(profileNote(command.label, summary));
    }
  }
  return {
    id: 'cli-start',
    title: 'CLI cold start',
    against: '`node -e 0`',
    metrics,
    notes,
  };
};
