/** The deploy benchmark's measured side: one deployment of the sample app by chat, with what it did. */
import { createHash } from 'node:crypto';
import type { BenchApp } from './bench-app.js';
import { converse, nodeLatencies } from './conversation.js';
import type { RecordedCommand } from './sdk-recorder.js';

export interface AgentsRun {
  wallMs: number;
  functionName: string;
  /** The AWS SDK commands the agents sent, in order. */
  commands: RecordedCommand[];
  /** Wall time per step (node-end latency_ms, summed over the step's runs). */
  nodes: Map<string, number>;
  /** Summed durations of the tool calls, by `tool mode` (from the audit trail). */
  tools: Map<string, number>;
  awsMs: number;
}

export interface AgentsDeployInput {
  bench: BenchApp;
  /** Where the agents' AWS clients record their commands (cleared here first). */
  recorded: RecordedCommand[];
  role: string;
  userId: string;
  /** A fresh copy of the app in the workspace; the function is named after it. */
  repo: string;
}

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);

/** Asks for the deployment, answers the forms (target, role) and approves the plan, as a person would. */
export async function deployThroughAgents(input: AgentsDeployInput): Promise<AgentsRun> {
  const { bench, recorded, userId, repo } = input;
  recorded.length = 0;
  const conversation = await converse(bench.app.sessions, {
    userId,
    text: `Deploy my FastAPI + Vite app from ./${repo} to us-east-1`,
    field: (name) => ({ target: 'lambda', role_arn: input.role })[name],
  });
  const end = conversation.events.find((event) => event.type === 'deployment-end');
  if (end?.type !== 'deployment-end' || end.status !== 'succeeded')
    throw new Error(`the agents' deployment did not succeed: ${JSON.stringify(end ?? conversation.result)}`);
  const tools = new Map<string, number>();
  for (const record of await bench.app.store.audit.list({ userId, limit: 200 })) {
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
}

/** SHA-256 (hex) of the package the agents uploaded with CreateFunction. */
export function packageOf(run: AgentsRun | undefined): string | undefined {
  const create = run?.commands.find((command) => command.command === 'CreateFunctionCommand');
  const zip = (create?.input as { Code?: { ZipFile?: Uint8Array } } | undefined)?.Code?.ZipFile;
  return zip ? createHash('sha256').update(zip).digest('hex') : undefined;
}
