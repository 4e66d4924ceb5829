/**
 * Deploy the sample app (examples/shop, FastAPI backend on Lambda) to the sandbox through the
 * agents (the real chat session and graph, embedded store, offline model; the forms and the
 * approval answered by the script as a person would) against a plain script doing the same work:
 * the same preflight commands, the same package, and the agents' own AWS SDK calls replayed in
 * the same order with plain SDK clients.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openBenchApp } from './lib/bench-app.js';
import { converse, nodeLatencies } from './lib/conversation.js';
import { plainDeploy } from './lib/plain-deploy.js';
import type { BenchContext, Benchmark, Metric } from './lib/result.js';
import { createExecutionRole, freshName, shopRepo } from './lib/sandbox-fixtures.js';
import { type RecordedCommand, recordingFactory } from './lib/sdk-recorder.js';
import { median, metricFromSamples, round } from './lib/stats.js';

interface AgentsRun {
  wallMs: number;
  functionName: string;
  commands: RecordedCommand[];
  nodes: Map<string, number>;
  /** Summed durations of the tool calls, by `tool mode` (from the audit trail). */
  tools: Map<string, number>;
  awsMs: number;
}

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);

export const benchmark: Benchmark = async (context: BenchContext) => {
  const repetitions = context.quick ? 1 : 5;
  const recorded: RecordedCommand[] = [];
  // The product's 2 AWS requests/s per user would throttle the agents and not the script: lifted for both.
  const bench = await openBenchApp({
    sandboxEndpoint: context.sandboxEndpoint,
    root: join(context.workDir, 'agents'),
    settings: { awsRequestsPerSecond: 1000 },
    wrapAws: (factory) => recordingFactory(factory, recorded),
  });
  const { workspace, dataDir } = bench.settings;
  try {
    const role = await createExecutionRole(context.sandboxEndpoint);
    const agentsDeploy = async (userId: string): Promise<AgentsRun> => {
      const repo = shopRepo(workspace, freshName('shop'));
      recorded.length = 0;
      const conversation = await converse(bench.app.sessions, {
        userId,
        text: `Deploy my FastAPI + Vite app from ./${repo} to us-east-1`,
        field: (name) => ({ target: 'lambda', role_arn: role })[name],
      });
      const end = conversation.events.find((event) => event.type === 'deployment-end');
      if (end?.type !== 'deployment-end' || end.status !== 'succeeded')
        throw new Error(
          `the agents' deployment did not succeed: ${JSON.stringify(end ?? conversation.result)}`,
        );
      const audit = await bench.app.store.audit.list({ userId, limit: 200 });
      const tools = new Map<string, number>();
      for (const record of audit) {
        const key = `${record.tool} ${record.mode}`;
        tools.set(key, (tools.get(key) ?? 0) + record.durationMs);
      }
      const commands = [...recorded];
      return {
        wallMs: conversation.wallMs,
        functionName: repo,
        commands,
        nodes: nodeLatencies(conversation.events),
        tools,
        awsMs: sum(commands.map((command) => command.endMs - command.startMs)),
      };
    };
    const scriptDeploy = (agents: AgentsRun) =>
      plainDeploy({
        endpoint: context.sandboxEndpoint,
        workspace,
        dataDir,
        repo: shopRepo(workspace, freshName('shop')),
        agentsName: agents.functionName,
        commands: agents.commands,
      });

    // Untimed: fills uv's dependency cache and pnpm's store, loads every module, warms the JIT.
    context.log('warm-up round');
    await scriptDeploy(await agentsDeploy('bench-warm-up'));

    const agentsRuns: AgentsRun[] = [];
    const plain: Array<Awaited<ReturnType<typeof scriptDeploy>>> = [];
    for (let index = 0; index < repetitions; index += 1) {
      // The planning limiter allows 4 plans a minute per person: one person per repetition.
      const agents = await agentsDeploy(`bench-${index}`);
      const script = await scriptDeploy(agents);
      agentsRuns.push(agents);
      plain.push(script);
      context.log(
        `run ${index + 1}/${repetitions}: agents ${Math.round(agents.wallMs)} ms, plain script ${Math.round(script.wallMs)} ms (${agents.commands.length} SDK calls)`,
      );
    }
    const agentsPackage = agentsRuns[0]?.commands.find(
      (command) => command.command === 'CreateFunctionCommand',
    );
    const zipOf = (input: unknown) => (input as { Code?: { ZipFile?: Uint8Array } }).Code?.ZipFile;
    const sameBytes =
      zipOf(agentsPackage?.input) !== undefined &&
      createHash('sha256')
        .update(zipOf(agentsPackage?.input) as Uint8Array)
        .digest('hex') === plain[0]?.zipSha256;

    const ratios = agentsRuns.map((run, index) => run.wallMs / (plain[index]?.wallMs ?? Number.NaN));
    const ratiosWithoutBuilds = agentsRuns.map(
      (run, index) => run.wallMs / ((plain[index]?.wallMs ?? 0) - (plain[index]?.preflightMs ?? 0)),
    );
    const metrics: Metric[] = [
      metricFromSamples(
        'wall time ratio (agents / plain script)',
        'ratio',
        ratios,
        { op: '<=', value: 1.15 },
        2,
      ),
      metricFromSamples(
        'agents: deploy by chat',
        'ms',
        agentsRuns.map((run) => run.wallMs),
        undefined,
        0,
      ),
      metricFromSamples(
        'plain script: same commands, package and SDK calls',
        'ms',
        plain.map((run) => run.wallMs),
        undefined,
        0,
      ),
      metricFromSamples(
        'agents overhead (agents - plain)',
        'ms',
        agentsRuns.map((run, index) => run.wallMs - (plain[index]?.wallMs ?? 0)),
        undefined,
        0,
      ),
      metricFromSamples(
        'wall time ratio against package + SDK calls only (no preflight builds)',
        'ratio',
        ratiosWithoutBuilds,
        undefined,
        2,
      ),
      metricFromSamples(
        'AWS SDK calls per deployment',
        'count',
        agentsRuns.map((run) => run.commands.length),
        undefined,
        0,
      ),
    ];
    return {
      id: 'deploy',
      title: 'Deploy the sample app to the sandbox through the agents',
      against: 'a plain script making the same AWS SDK calls in the same order',
      metrics,
      notes: deployNotes(agentsRuns, plain, sameBytes),
    };
  } finally {
    await bench.close();
  }
};

function medianOf<K>(maps: Array<Map<K, number>>, key: K): number {
  return median(maps.map((map) => map.get(key) ?? 0));
}

function deployNotes(
  agents: AgentsRun[],
  plain: Array<Awaited<ReturnType<typeof plainDeploy>>>,
  sameBytes: boolean,
): string[] {
  const first = agents[0];
  if (!first) return [];
  const calls = first.commands.map((command) => command.command.replace(/Command$/, '')).join(', ');
  const nodes = [...first.nodes.keys()]
    .map((node) => ({
      node,
      ms: medianOf(
        agents.map((run) => run.nodes),
        node,
      ),
    }))
    .filter((entry) => entry.ms >= 5)
    .sort((a, b) => b.ms - a.ms)
    .map((entry) => `${entry.node} ${Math.round(entry.ms)}`)
    .join(', ');
  const tools = [...first.tools.keys()]
    .map((tool) => ({
      tool,
      ms: medianOf(
        agents.map((run) => run.tools),
        tool,
      ),
    }))
    .sort((a, b) => b.ms - a.ms)
    .map((entry) => `${entry.tool} ${Math.round(entry.ms)}`)
    .join(', ');
  const wall = median(agents.map((run) => run.wallMs));
  const inNodes = median(agents.map((run) => sum(run.nodes.values())));
  const node = (name: string) => medianOf(agents.map((run) => run.nodes), name);
  const phase = (pick: (run: Awaited<ReturnType<typeof plainDeploy>>) => number) =>
    Math.round(median(plain.map(pick)));
  const others = inNodes - node('preflight') - node('dry-run') - node('execute');
  return [
    'Fair comparison: both sides run the same local work and the same AWS calls. The plain script runs the preflight commands the agents run (pnpm install --frozen-lockfile, pnpm run build --mode development, python3 -m compileall -q backend) one after the other, builds the Lambda package once with the same packaging code (uv dependency cache warm for both), then replays the AWS SDK commands recorded from the agents\' run of that repetition, in the same order, with plain SDK clients and a new function name.',
    'The AWS rate limit (2 requests/s per user by default) is lifted for both sides (1000/s): the script has no limiter, and with it the agents would wait on policy rather than on work. Each repetition deploys a new copy of the app under a new function name; one untimed warm-up round first.',
    `AWS SDK calls per deployment (in order): ${calls}. The agents' package is ${sameBytes ? 'byte-identical to' : 'DIFFERENT from'} the plain script's.`,
    `Where the time goes, medians in ms. Plain script: preflight commands ${phase((run) => run.preflightMs)}, package ${phase((run) => run.packageMs)}, SDK calls ${phase((run) => run.awsMs)}. Agents (${Math.round(wall)} wall): preflight node ${Math.round(node('preflight'))} (its three checks side by side), dry-run ${Math.round(node('dry-run'))} (checkout, package, preview calls), execute ${Math.round(node('execute'))} (checkout, the dry run's package reused, the writes), the other ${agents[0]?.nodes.size ?? 0 - 3} nodes ${Math.round(others)}, outside graph nodes ${Math.round(wall - inNodes)} (routing, session and event writes, checkpoints, resuming the graph on each answer). AWS SDK calls inside the agents' run: ${round(median(agents.map((run) => run.awsMs)), 0)}.`,
    `Agents, median ms per graph node (node-end latency_ms, summed over the node's runs): ${nodes}.`,
    `Agents, median ms per tool (audit durationMs, summed per tool; preflight's run concurrently): ${tools}.`,
  ];
}
