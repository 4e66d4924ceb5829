/**
 * One store start in a fresh process, for the store benchmark: PGlite caches its WebAssembly
 * module per process, so a warm start is only honest in a new one. Times openStore from the call
 * to a ready store, then optionally `checkpoints` LangGraph checkpoint writes of a deploy-sized
 * state, and prints `{"openMs":…,"putMs":[…]}`. With `pgliteOnly` it times PGlite.create alone
 * (the library's own start, none of our code): the floor our warm start sits on.
 *
 *   node --import tsx bench/lib/store-driver.ts '{"storeDir":"…"}' | '{"databaseUrl":"…","checkpoints":200}'
 */
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { type Checkpoint, emptyCheckpoint, uuid6 } from '@langchain/langgraph-checkpoint';
import { openStore } from '../../src/store/open-store.js';

interface DriverInput {
  storeDir?: string;
  databaseUrl?: string;
  checkpoints?: number;
  pgliteOnly?: boolean;
}

/** A deploy conversation at plan-approval time: about 20 kB of state, as the deploy graph holds it. */
function deployState(turn: number): Record<string, unknown> {
  const messages = Array.from({ length: 6 + (turn % 10) }, (_, index) => [
    new HumanMessage(`deploy my FastAPI + Vite app from github.com/acme/shop to us-east-1, attempt ${index}`),
    new AIMessage({
      content: 'I read the project: a FastAPI backend in backend/ and a Vite frontend in web/. '.repeat(4),
      tool_calls: [
        { id: `call-${index}`, name: 'repo_reader', args: { path: 'backend/main.py', lines: 200 } },
      ],
    }),
    new ToolMessage({ tool_call_id: `call-${index}`, content: 'from fastapi import FastAPI\n'.repeat(30) }),
  ]).flat();
  const steps = Array.from({ length: 8 }, (_, index) => ({
    id: `step-${index}`,
    tool: ['create_bucket', 'publish_site', 'deploy_lambda_repo', 'launch_ec2'][index % 4],
    args: { region: 'us-east-1', name: `shop-${index}`, tags: { app: 'shop', owner: 'team' } },
    risk: 'write',
    description: `step ${index}: create or update the shop's ${index % 2 ? 'backend' : 'frontend'} resources`,
  }));
  return {
    messages,
    request: { repoUrl: 'https://github.com/acme/shop', region: 'us-east-1', target: 'ec2', appName: 'shop' },
    context: {
      summary: 'A FastAPI service with a Vite single-page frontend; health endpoint /health. '.repeat(20),
      criticalFiles: [
        'backend/main.py',
        'backend/requirements.txt',
        'web/package.json',
        'web/vite.config.ts',
      ],
      stack: ['fastapi', 'vite', 'python', 'node'],
      hasFrontend: true,
      hasBackend: true,
      requiredEnv: ['DATABASE_URL'],
    },
    plan: {
      id: 'plan-1',
      summary: 'deploy shop to EC2 with its frontend on S3',
      steps,
      hash: 'a'.repeat(64),
    },
    previews: steps.map((step) => ({
      summary: `would ${step.tool} ${step.args.name}`,
      method: 'describe-diff',
      changes: [{ kind: 'create', resource: `arn:aws:s3:::${step.args.name}`, detail: 'new' }],
      warnings: [],
    })),
    attempts: 0,
  };
}

async function writeCheckpoints(
  store: Awaited<ReturnType<typeof openStore>>,
  count: number,
): Promise<number[]> {
  const threadId = `bench-${process.pid}-${Date.now()}`;
  let config = { configurable: { thread_id: threadId, checkpoint_ns: '' } };
  let checkpoint: Checkpoint = emptyCheckpoint();
  const channels = ['plan', 'previews', 'context', 'request', 'attempts'];
  const times: number[] = [];
  for (let step = 0; step < count; step += 1) {
    const state = deployState(step);
    // Every node appends to the conversation and changes one other channel, as the graph's nodes do.
    const changed = ['messages', channels[step % channels.length] as string];
    const versions = { ...checkpoint.channel_versions };
    for (const channel of changed) versions[channel] = step + 1;
    checkpoint = {
      ...checkpoint,
      id: uuid6(step),
      ts: new Date().toISOString(),
      channel_values: state,
      channel_versions: versions,
    };
    const newVersions = Object.fromEntries(changed.map((channel) => [channel, step + 1]));
    const start = performance.now();
    config = (await store.checkpointer.put(
      config,
      checkpoint,
      { source: 'loop', step, parents: {} },
      newVersions,
    )) as typeof config;
    times.push(performance.now() - start);
  }
  return times;
}

/** PGlite.create as open-pglite-store.ts calls it, on the store's data folder. */
async function openPGliteAlone(storeDir: string): Promise<number> {
  const start = performance.now();
  const database = await PGlite.create(join(storeDir, 'pgdata'), { extensions: { vector } });
  const openMs = performance.now() - start;
  await database.close();
  return openMs;
}

const input = JSON.parse(process.argv[2] ?? '{}') as DriverInput;
if (input.pgliteOnly && input.storeDir) {
  process.stdout.write(`${JSON.stringify({ openMs: await openPGliteAlone(input.storeDir), putMs: [] })}\n`);
  process.exit(0);
}
const start = performance.now();
const store = await openStore({
  databaseUrl: input.databaseUrl,
  mongodbUri: undefined,
  storeDir: input.storeDir,
  dataDir: input.storeDir ?? process.cwd(),
  vectorDimensions: 256,
});
const openMs = performance.now() - start;
const putMs = await writeCheckpoints(store, input.checkpoints ?? 0);
await store.close();
process.stdout.write(`${JSON.stringify({ openMs, putMs })}\n`);
