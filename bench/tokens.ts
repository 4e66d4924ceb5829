/**
 * Input tokens a hosted model receives per deployment and per ECS diagnosis: the product runs
 * against a local OpenAI-compatible server that counts the o200k tokens of every request body
 * and answers as the offline model would, so the workflow is the real one, request for request.
 */
import { join } from 'node:path';
import { loadSettings } from '../src/config/settings.js';
import { SANDBOX_CREDENTIALS } from '../src/sandbox/sandbox.js';
import { createAwsClientFactory } from '../src/tools/aws/clients.js';
import type { EcsScenario } from '../test/agents/ecs-scenarios.js';
import { buildScenario, shapeScenario } from '../test/agents/ecs-scenarios.js';
import { type FaultProxy, startFaultProxy } from '../test/helpers/fault-proxy.js';
import type { ToolHarness } from '../test/helpers/tool-harness.js';
import { openBenchApp } from './lib/bench-app.js';
import { converse } from './lib/conversation.js';
import { type CountedRequest, startCountingModelServer } from './lib/counting-model-server.js';
import type { BenchContext, Benchmark, Metric, Target } from './lib/result.js';
import { createExecutionRole, freshName, shopRepo } from './lib/sandbox-fixtures.js';

const BUDGET: Target = { op: '<=', value: 6000 };
/** The model settings the product reads from the environment, set for the run and restored after. */
const MODEL_ENVIRONMENT = ['AWS_COPILOT_MODEL_PROVIDER', 'AWS_COPILOT_MODEL_BASE_URL', 'AWS_COPILOT_MODEL'];

const sum = (requests: CountedRequest[]) =>
  requests.reduce((total, request) => total + request.inputTokens, 0);

async function withModelEnvironment<T>(baseUrl: string, work: () => Promise<T>): Promise<T> {
  const saved = MODEL_ENVIRONMENT.map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, {
    AWS_COPILOT_MODEL_PROVIDER: 'openai-compatible',
    AWS_COPILOT_MODEL_BASE_URL: baseUrl,
    AWS_COPILOT_MODEL: 'bench-counting-model',
  });
  try {
    return await work();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

async function deployment(context: BenchContext, root: string): Promise<void> {
  const bench = await openBenchApp({ sandboxEndpoint: context.sandboxEndpoint, root });
  try {
    const role = await createExecutionRole(context.sandboxEndpoint);
    const repo = shopRepo(bench.settings.workspace, freshName('shop'));
    const run = await converse(bench.app.sessions, {
      userId: 'bench-tokens',
      text: `Deploy my FastAPI + Vite app from ./${repo} to us-east-1`,
      field: (name) => ({ target: 'lambda', role_arn: role })[name],
    });
    const end = run.events.find((event) => event.type === 'deployment-end');
    if (end?.type !== 'deployment-end' || end.status !== 'succeeded')
      throw new Error(`the deployment did not succeed: ${JSON.stringify(end ?? run.result)}`);
  } finally {
    await bench.close();
  }
}

/** A service whose last deploy broke it (bad image), shaped by the fault proxy as ECS would report it. */
async function ecsDiagnosis(context: BenchContext, root: string): Promise<void> {
  const settings = loadSettings(
    { endpointUrl: context.sandboxEndpoint, workspace: root, dataDir: join(root, 'setup') },
    { env: {}, configPath: false },
  );
  const direct = createAwsClientFactory({ settings, credentials: SANDBOX_CREDENTIALS });
  let proxy: FaultProxy | undefined;
  try {
    // The scenario builder needs only the harness's AWS clients.
    const scenario: EcsScenario = await buildScenario({ aws: direct } as unknown as ToolHarness, 'bad-image');
    proxy = await startFaultProxy(context.sandboxEndpoint);
    shapeScenario(proxy, scenario);
    const bench = await openBenchApp({
      sandboxEndpoint: proxy.endpointUrl,
      root,
      settings: { ecsAllowWrite: true },
    });
    try {
      const run = await converse(bench.app.sessions, {
        userId: 'bench-tokens',
        text: `My ${scenario.service} service in cluster ${scenario.cluster} keeps failing, diagnose and fix it`,
        field: () => undefined,
      });
      if (!run.events.some((event) => event.type === 'approval-request'))
        throw new Error('the ECS workflow proposed no repair to approve');
    } finally {
      await bench.close();
    }
  } finally {
    await proxy?.close();
    direct.destroy();
  }
}

function requestLines(what: string, requests: CountedRequest[]): string {
  const lines = requests.map(
    (request, index) =>
      `#${index + 1} ${request.inputTokens} (tools ${request.toolTokens}: ${request.tools.join(', ') || 'none'}; ${request.messages} messages; "${request.system}")`,
  );
  const seen = new Set<string>();
  const repeats: CountedRequest[] = [];
  for (const request of requests) {
    if (seen.has(request.digest)) repeats.push(request);
    seen.add(request.digest);
  }
  const repeated =
    repeats.length > 0
      ? ` ${repeats.length} request(s) repeat an earlier one exactly (${sum(repeats)} tokens): ${[...new Set(repeats.map((request) => request.tools.join(', ')))].join('; ')}.`
      : ' No request repeats an earlier one.';
  return `${what}, per request (input tokens): ${lines.join(' | ')}.${repeated}`;
}

function metricsOf(what: string, requests: CountedRequest[]): Metric[] {
  const largest = Math.max(0, ...requests.map((request) => request.inputTokens));
  return [
    { name: `input tokens per ${what}`, unit: 'tokens', median: sum(requests), samples: 1, target: BUDGET },
    { name: `model requests per ${what}`, unit: 'count', median: requests.length, samples: 1 },
    { name: `largest request of a ${what}`, unit: 'tokens', median: largest, samples: 1 },
  ];
}

export const benchmark: Benchmark = async (context: BenchContext) => {
  const server = await startCountingModelServer();
  try {
    const deployRequests = await withModelEnvironment(server.baseUrl, async () => {
      context.log('deploying the sample app through the agents on the counting model server');
      await deployment(context, join(context.workDir, 'deploy'));
      return server.requests.splice(0);
    });
    const ecsRequests = await withModelEnvironment(server.baseUrl, async () => {
      context.log('diagnosing and repairing a failing ECS service on the counting model server');
      await ecsDiagnosis(context, join(context.workDir, 'ecs'));
      return server.requests.splice(0);
    });
    return {
      id: 'tokens',
      title: 'Input tokens a hosted model receives',
      against: "the spec's budget of 30k planning tokens per deployment",
      metrics: [...metricsOf('deployment', deployRequests), ...metricsOf('ECS diagnosis', ecsRequests)],
      notes: [
        "Provider openai-compatible pointed at a local server that counts o200k tokens of each request body (messages with their framing, and the tool schemas, by OpenAI's recipe; src/models/token-counter.ts) and answers with the offline model's decision for that request, streamed in OpenAI's format. The whole conversation counts: routing, intake, every agent's calls; the offline model is deterministic, so one run of each.",
        'Deployment: the sample app (examples/shop) to Lambda, forms answered (target, role) and the plan approved. ECS: a service whose last deploy pointed at a missing image ("diagnose and fix it"), triage, repair plan approved, remediation, verification, report.',
        requestLines('Deployment', deployRequests),
        requestLines('ECS diagnosis', ecsRequests),
      ],
    };
  } finally {
    await server.close();
  }
};
