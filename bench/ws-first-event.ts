/**
 * First event on `/ws/agent` after a user message, at 1, 100 and 500 concurrent sessions, on the
 * embedded store (PGlite, the default) and on PostgreSQL (the store for a team's server). The
 * server runs as its own process (built dist/, offline model, the sandbox as its AWS), so its
 * memory is read from /proc and the clients' work does not count as the server's.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Served, stopServe } from '../test/helpers/serve-process.js';
import { profileNote, summarizeProfile } from './lib/cpu-profile.js';
import type { BenchContext, Benchmark, Metric, Series, Target } from './lib/result.js';
import {
  buildDist,
  createDatabase,
  memoryOf,
  type ServerMemory,
  type StoreUnderTest,
  serveWarm,
  USER_HEADER,
} from './lib/serve-under-test.js';
import { median, metricFromSamples, percentile, round } from './lib/stats.js';
import { closeSessions, openSessions, sendAll } from './lib/ws-sessions.js';

/** A plain chat message: routed and answered by the offline model, streamed; no AWS call. */
const MESSAGE = 'hello';
const TARGETS: Record<number, Target> = { 100: { op: '<=', value: 50 }, 500: { op: '<=', value: 250 } };
const RSS_TARGET: Target = { op: '<=', value: 1024 };

interface Level {
  sessions: number;
  p50: number[];
  p99: number[];
  firstTypes: Set<string>;
}

interface StoreRun {
  store: StoreUnderTest['label'];
  levels: Level[];
  memory: ServerMemory & { idle: number; firstStart: number };
  profile?: string;
}

async function measureLevel(served: Served, sessions: number, rounds: number, tag: string): Promise<Level> {
  const level: Level = { sessions, p50: [], p99: [], firstTypes: new Set() };
  const url = `${served.url.replace(/^http/, 'ws')}/ws/agent`;
  for (let index = 0; index < rounds; index += 1) {
    // The same people each round (their accounts exist by then), new sessions each time.
    const open = await openSessions(url, sessions, `bench-${sessions}`, USER_HEADER);
    try {
      const result = await sendAll(open, `${MESSAGE} ${tag}-${index}`);
      level.p50.push(percentile(result.latencies, 50));
      level.p99.push(percentile(result.latencies, 99));
      for (const type of result.firstTypes) level.firstTypes.add(type);
    } finally {
      await closeSessions(open);
    }
  }
  return level;
}

async function storesOf(context: BenchContext): Promise<StoreUnderTest[]> {
  const database = await createDatabase(context.postgresUrl, `bench_ws_${process.pid}_${Date.now()}`);
  return [
    { label: 'PGlite', env: { AWS_COPILOT_DATA_DIR: join(context.workDir, 'pglite-data') } },
    {
      label: 'PostgreSQL',
      env: { AWS_COPILOT_DATA_DIR: join(context.workDir, 'pg-data'), DATABASE_URL: database },
    },
  ];
}

async function runStore(context: BenchContext, store: StoreUnderTest, levels: number[], rounds: number) {
  const home = join(context.workDir, store.label);
  await mkdir(home, { recursive: true });
  const { served, firstStartMiB } = await serveWarm({
    home,
    sandboxEndpoint: context.sandboxEndpoint,
    store,
  });
  const pid = served.child.pid as number;
  const run: StoreRun = {
    store: store.label,
    levels: [],
    memory: { rss: 0, peak: 0, idle: 0, firstStart: firstStartMiB },
  };
  try {
    run.memory.idle = (await memoryOf(pid)).rss;
    // Untimed: the server loads its lazy modules and its JIT warms up on one full turn.
    await measureLevel(served, 1, 1, 'warm-up');
    for (const sessions of levels) {
      const level = await measureLevel(served, sessions, rounds, `${store.label}-${sessions}`);
      run.levels.push(level);
      context.log(
        `${store.label}, ${sessions} sessions: first event p50 ${round(median(level.p50))} ms, p99 ${round(median(level.p99))} ms`,
      );
    }
    Object.assign(run.memory, await memoryOf(pid));
  } finally {
    await stopServe(served.child);
  }
  return run;
}

/** One more round at the top level with the server under --cpu-prof: where its time goes. */
async function profiledRound(
  context: BenchContext,
  store: StoreUnderTest,
  sessions: number,
): Promise<string> {
  const directory = join(context.workDir, `profile-${store.label}`);
  await mkdir(directory, { recursive: true });
  const home = join(context.workDir, `${store.label}-profiled`);
  await mkdir(home, { recursive: true });
  const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${directory}`];
  const { served } = await serveWarm({ home, sandboxEndpoint: context.sandboxEndpoint, store, nodeArgs });
  let level: Level;
  try {
    level = await measureLevel(served, sessions, 1, 'profiled');
  } finally {
    await stopServe(served.child);
  }
  const [file] = (await readdir(directory)).filter((name) => name.endsWith('.cpuprofile'));
  if (!file) return `${store.label}: the profiled server wrote no profile`;
  const summary = summarizeProfile(JSON.parse(await readFile(join(directory, file), 'utf8')), 10);
  return profileNote(
    `the ${store.label} server (start, ${sessions} sessions connecting and sending one message each; first event p99 ${round(level.p99[0] ?? 0)} ms under the profiler)`,
    summary,
  );
}

function metricsOf(run: StoreRun, quick: boolean): Metric[] {
  const metrics: Metric[] = [];
  for (const level of run.levels) {
    metrics.push(
      metricFromSamples(`first event p50 at ${level.sessions} sessions (${run.store})`, 'ms', level.p50),
      metricFromSamples(
        `first event p99 at ${level.sessions} sessions (${run.store})`,
        'ms',
        level.p99,
        TARGETS[level.sessions],
      ),
    );
  }
  metrics.push({
    name: `server peak RSS after ${run.levels.at(-1)?.sessions} sessions (${run.store})`,
    unit: 'MiB',
    median: round(run.memory.peak),
    samples: 1,
    ...(quick ? {} : { target: RSS_TARGET }),
  });
  return metrics;
}

function seriesOf(runs: StoreRun[]): Series[] {
  return runs.flatMap((run) =>
    (['p99', 'p50'] as const).map((which) => ({
      name: `first event ${which} (${run.store})`,
      xLabel: 'concurrent sessions',
      yLabel: 'ms',
      points: run.levels.map((level) => ({ x: level.sessions, y: round(median(level[which])) })),
    })),
  );
}

export const benchmark: Benchmark = async (context: BenchContext) => {
  const levels = context.quick ? [1, 20] : [1, 100, 500];
  const rounds = context.quick ? 1 : 3;
  context.log('building dist/ (npm run build): the server measured is the current source');
  await buildDist(context.log);
  const stores = await storesOf(context);
  const runs: StoreRun[] = [];
  for (const store of stores) runs.push(await runStore(context, store, levels, rounds));
  const metrics = runs.flatMap((run) => metricsOf(run, context.quick));
  const firstTypes = [
    ...new Set(runs.flatMap((run) => run.levels.flatMap((level) => [...level.firstTypes]))),
  ];
  const notes = [
    `Each session is a WebSocket of its own person (multi-user mode, identity from the trusted ${USER_HEADER} header), so per-user rate limits apply per session as in production. All sessions connect and get their hello; then each sends "${MESSAGE}" back to back, and the latency runs from its send to its first frame with a seq (${firstTypes.join(', ')}: the orchestrator taking the message, before routing). The message is plain chat, routed and answered by the offline model (streamed deltas), no AWS call.`,
    `Server: \`aws-copilot serve\` from dist/ in its own process, offline model, sandbox endpoint; started once on an empty store, stopped, and measured after a restart on that store. ${rounds} round(s) per level with new sessions each round, medians over the rounds; one untimed warm-up turn first.`,
    "Fixed after profiling this benchmark: the first event waited for the session and transcript writes, the routing model call and the route-select write (now the orchestrator's route step starts first and its node-start is the first event, one store statement after the message; model work waits, at most 100 ms, while other messages still wait for their first event); PGlite ran queued statements back to back inside one promise chain, so the event loop read no socket until the queue ran dry (now one event-loop turn per statement); every model call encoded the same system prompt and tool schemas again for its token counts (now cached); each session kept a model object forever (now the shared model with the session's budget). What remains on PGlite is its throughput: one connection, about a thousand statements a second here, so 100 or 500 first events at once queue behind each other; PostgreSQL, the store for a server many people use, spreads them over its pool.",
    ...runs.map(
      (run) =>
        `${run.store} server RSS: ${round(run.memory.firstStart)} MiB idle on its very first start (empty store), ${round(run.memory.idle)} MiB idle after the restart, ${round(run.memory.rss)} MiB after the last level, peak ${round(run.memory.peak)} MiB.`,
    ),
  ];
  if (!context.quick) {
    for (const [index, run] of runs.entries()) {
      const missed = metricsOf(run, false).some(
        (metric) => metric.target?.op === '<=' && metric.median > metric.target.value,
      );
      const store = stores[index];
      if (missed && store) notes.push(await profiledRound(context, store, levels.at(-1) as number));
    }
  }
  return {
    id: 'ws-first-event',
    title: 'First event on /ws/agent after a user message',
    against: '1, 100 and 500 concurrent sessions',
    metrics,
    notes,
    series: seriesOf(runs),
  };
};
