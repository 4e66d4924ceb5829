/**
 * First event on `/ws/agent` after a user message, at 1, 100 and 500 concurrent sessions: `aws-copilot
 * serve` runs as its own process (built dist/, embedded store, offline model, the sandbox as its
 * AWS), so its memory is read from /proc and the client's work does not count as the server's.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cliEnvironment } from '../test/helpers/cli.js';
import { type Served, startServe, stopServe } from '../test/helpers/serve-process.js';
import { profileNote, summarizeProfile } from './lib/cpu-profile.js';
import type { Benchmark, BenchContext, Metric, Series, Target } from './lib/result.js';
import { median, metricFromSamples, percentile, round } from './lib/stats.js';
import { closeSessions, openSessions, sendAll } from './lib/ws-sessions.js';

const ROOT = resolve(import.meta.dirname, '..');
/** Every session is its own person, named by a trusted proxy: per-user limits stay per user. */
const USER_HEADER = 'X-Bench-User';
/** A plain chat message: routed, answered by the offline model, streamed; no AWS call. */
const MESSAGE = 'hello';
const TARGETS: Record<number, Target> = { 100: { op: '<=', value: 50 }, 500: { op: '<=', value: 250 } };
const RSS_TARGET: Target = { op: '<=', value: 1024 };

/** VmRSS (now) and VmHWM (peak) of a process, in MiB. */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

function serverEnvironment(context: BenchContext, dataDir: string): NodeJS.ProcessEnv {
  return cliEnvironment({
    AWS_COPILOT_DATA_DIR: dataDir,
    AWS_COPILOT_WORKSPACE: context.workDir,
    HOME: context.workDir,
    AWS_ENDPOINT_URL: context.sandboxEndpoint,
    AWS_COPILOT_TRUSTED_USER_HEADER: USER_HEADER,
  });
}

interface Level {
  sessions: number;
  p50: number[];
  p99: number[];
  firstTypes: Set<string>;
}

async function measureLevel(served: Served, sessions: number, rounds: number, round: number): Promise<Level> {
  const level: Level = { sessions, p50: [], p99: [], firstTypes: new Set() };
  const url = `${served.url.replace(/^http/, 'ws')}/ws/agent`;
  for (let index = 0; index < rounds; index += 1) {
    // The same people each round (their accounts exist), new sessions: each round starts fresh.
    const open = await openSessions(url, sessions, `bench-${sessions}`, USER_HEADER);
    try {
      const result = await sendAll(open, `${MESSAGE} ${round + index}`);
      level.p50.push(percentile(result.latencies, 50));
      level.p99.push(percentile(result.latencies, 99));
      for (const type of result.firstTypes) level.firstTypes.add(type);
    } finally {
      await closeSessions(open);
    }
  }
  return level;
}

/** One more round at the top level with the server under --cpu-prof: where its time goes. */
async function profiledRound(context: BenchContext, sessions: number): Promise<string> {
  const directory = join(context.workDir, 'profile');
  await mkdir(directory, { recursive: true });
  const served = await startServe([], serverEnvironment(context, join(context.workDir, 'profiled-data')), [
    '--cpu-prof',
    `--cpu-prof-dir=${directory}`,
  ]);
  let level: Level;
  try {
    level = await measureLevel(served, sessions, 1, 0);
  } finally {
    await stopServe(served.child);
  }
  const [file] = (await readdir(directory)).filter((name) => name.endsWith('.cpuprofile'));
  if (!file) return 'the profiled server wrote no profile';
  const profile = JSON.parse(await readFile(join(directory, file), 'utf8'));
  return `${profileNote(`the server (start-up, ${sessions} sessions connecting, one message each; first event p99 ${round(level.p99[0] ?? 0)} ms under the profiler)`, summarizeProfile(profile, 10))}`;
}

export const benchmark: Benchmark = async (context: BenchContext) => {
  const levels = context.quick ? [1, 20] : [1, 100, 500];
  const rounds = context.quick ? 1 : 3;
  context.log('building dist/ (npm run build): the server measured is the current source');
  await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: ROOT }).catch(
    (error: { stdout?: string }) => context.log(`npm run build reported errors:\n${error.stdout ?? ''}`),
  );
  const served = await startServe([], serverEnvironment(context, join(context.workDir, 'data')));
  const pid = served.child.pid as number;
  const measured: Level[] = [];
  const memory = { rss: 0, peak: 0, idle: 0 };
  try {
    memory.idle = (await memoryOf(pid)).rss;
    // Untimed: the server loads its lazy modules and the JIT warms up on one full turn.
    await measureLevel(served, 1, 1, -1);
    for (const sessions of levels) {
      const level = await measureLevel(served, sessions, rounds, measured.length * rounds);
      measured.push(level);
      context.log(
        `${sessions} sessions: first event p50 ${round(median(level.p50))} ms, p99 ${round(median(level.p99))} ms`,
      );
    }
    Object.assign(memory, await memoryOf(pid));
  } finally {
    await stopServe(served.child);
  }

  const top = measured.at(-1) as Level;
  const metrics: Metric[] = [];
  for (const level of measured) {
    metrics.push(
      metricFromSamples(`first event p50 at ${level.sessions} sessions`, 'ms', level.p50),
      metricFromSamples(`first event p99 at ${level.sessions} sessions`, 'ms', level.p99, TARGETS[level.sessions]),
    );
  }
  metrics.push({
    name: `server peak RSS (VmHWM) after ${top.sessions} sessions`,
    unit: 'MiB',
    median: round(memory.peak),
    samples: 1,
    ...(context.quick ? {} : { target: RSS_TARGET }),
  });
  const series: Series[] = [
    { name: 'first event p99', xLabel: 'concurrent sessions', yLabel: 'ms', points: [] },
    { name: 'first event p50', xLabel: 'concurrent sessions', yLabel: 'ms', points: [] },
  ];
  for (const level of measured) {
    series[0]?.points.push({ x: level.sessions, y: round(median(level.p99)) });
    series[1]?.points.push({ x: level.sessions, y: round(median(level.p50)) });
  }
  const notes = [
    `Each session is a WebSocket of its own person (multi-user mode, identity from the trusted ${USER_HEADER} header), so per-user rate limits apply per session as in production. All sessions connect and get their hello first; then each sends "${MESSAGE}" back to back, and the latency is from its send to its first frame carrying a seq (${[...top.firstTypes].join(', ')}). The message is a plain chat message answered by the offline model (routing, session and transcript writes, streamed answer), no AWS call.`,
    `Server: \`aws-copilot serve\` from dist/ in its own process (embedded PGlite store in a fresh data folder, offline model, sandbox endpoint); ${rounds} round(s) per level with new sessions each round, medians over rounds; one untimed warm-up turn first. Server RSS: ${round(memory.idle)} MiB idle after start, ${round(memory.rss)} MiB after the last level, peak ${round(memory.peak)} MiB.`,
  ];
  const missed = metrics.some(
    (metric) => metric.target && metric.target.op === '<=' && metric.median > metric.target.value,
  );
  if (missed && !context.quick) notes.push(await profiledRound(context, top.sessions));
  return {
    id: 'ws-first-event',
    title: 'First event on /ws/agent after a user message',
    against: '1, 100 and 500 concurrent sessions',
    metrics,
    notes,
    series,
  };
};
