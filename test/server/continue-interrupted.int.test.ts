/**
 * The server is the long-running owner of deployments: a `serve` process killed (SIGKILL) in the
 * middle of a deployment step is restarted, continues the deployment by itself at start-up, and
 * runs the step to completion once. The secret the person typed into the environment form was
 * sealed by the first process and is opened by the second (same master key file), so it still
 * reaches the function.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../src/protocol/ws.js';
import { createExecutionRole } from '../aws/lambda-fixtures.js';
import { git, makeShopRepo } from '../github/repo-fixtures.js';
import { cliEnvironment } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type Served, startServe, stopServe } from '../helpers/serve-process.js';
import { AgentClient, ApiClient } from '../helpers/server-harness.js';
import { createToolHarness, sandboxEndpoint, type ToolHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';

type EventOf<T extends string> = Extract<ServerFrame, { type: T; seq: number }>;

const isCreateFunction = (request: { method: string; path: string }) =>
  request.method === 'POST' && /\/functions\/?$/.test(request.path);

async function until<T>(what: string, check: () => Promise<T | undefined>, seconds = 200): Promise<T> {
  for (let waited = 0; waited < seconds * 10; waited += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a server killed mid-deployment', () => {
  let proxy: FaultProxy;
  let tools: ToolHarness;
  let env: NodeJS.ProcessEnv;
  let served: Served | undefined;
  const repo = uniqueName('shop');
  beforeAll(async () => {
    proxy = await startFaultProxy(sandboxEndpoint());
    tools = createToolHarness();
    makeShopRepo(tools, repo);
    const dir = join(tools.settings.workspace, repo);
    writeFileSync(join(dir, '.env.example'), 'SHOP_API_KEY=\n');
    git(dir, 'add', '.env.example');
    git(dir, 'commit', '-q', '-m', 'needs a key');
    env = cliEnvironment({
      AWS_ENDPOINT_URL: proxy.endpointUrl,
      AWS_COPILOT_DATA_DIR: mkdtempSync(join(tmpdir(), 'serve-durable-')),
      AWS_COPILOT_WORKSPACE: tools.settings.workspace,
      AWS_COPILOT_AWS_RPS: '200',
    });
  });
  afterAll(async () => {
    if (served) await stopServe(served.child);
    tools.close();
    await proxy.close();
  });

  it('continues the deployment when it starts again, running the interrupted step to completion once', async () => {
    const role = await createExecutionRole();
    const apiKey = `sk_live_${randomBytes(12).toString('hex')}`;
    served = await startServe([], env);
    const auth = { authorization: `Bearer ${served.token}` };
    const wsUrl = `${served.url.replace(/^http/, 'ws')}/ws/agent`;
    const client = await AgentClient.open(wsUrl, { headers: auth });
    client.send({ type: 'user-message', text: `deploy ./${repo} to us-east-1 on lambda` });
    let request = (await client.next((frame) =>
      ['form-request', 'approval-request'].includes(frame.type),
    )) as EventOf<'form-request' | 'approval-request'>;
    while (request.type === 'form-request') {
      await client.nextOf('turn-end');
      const values = Object.fromEntries(
        request.fields.map((field) => [
          field.name,
          field.name === 'role_arn' ? role : field.name === 'environment.SHOP_API_KEY' ? apiKey : 'lambda',
        ]),
      );
      client.send({ type: 'interrupt-answer', answer: { kind: 'form', form_id: request.form_id, values } });
      request = (await client.next((frame) =>
        ['form-request', 'approval-request'].includes(frame.type),
      )) as EventOf<'form-request' | 'approval-request'>;
    }
    const approval = request;
    await client.nextOf('turn-end');
    const deploymentId = String(approval.deployment_id);

    // The function's creation hangs in flight, so the process dies inside the step.
    proxy.addRule({ match: isCreateFunction, times: 1, delayMs: 600_000 });
    client.send({
      type: 'interrupt-answer',
      answer: { kind: 'approval', plan_hash: approval.plan_hash, decision: 'approve' },
    });
    await client.nextOf('step-start');
    await until(
      'the creation to be in flight',
      async () => proxy.requests.some(isCreateFunction) || undefined,
    );
    served.child.kill('SIGKILL');
    await new Promise((resolve) => served?.child.once('exit', resolve));
    const requestsBefore = proxy.requests.filter(isCreateFunction).length;

    served = await startServe([], env);
    const api = new ApiClient(served.url, { authorization: `Bearer ${served.token}` });
    let last: unknown;
    const finished = await until('the deployment to finish', async () => {
      const details = await api.get(`/api/deployments/${deploymentId}`);
      last = details.body;
      return ['succeeded', 'failed', 'rolled-back'].includes(details.body?.deployment?.status)
        ? details.body
        : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; last seen: ${JSON.stringify(last)}\n${served?.output()}`);
    });
    expect(finished.deployment.status).toBe('succeeded');
    const completed = finished.journal.filter((entry: { status: string }) => entry.status === 'completed');
    expect(completed).toHaveLength(1);
    expect(proxy.requests.filter(isCreateFunction).length).toBe(requestsBefore + 1);
    const configuration = await tools.aws
      .lambda()
      .send(
        new GetFunctionConfigurationCommand({ FunctionName: String(approval.steps[0]?.args.function_name) }),
      );
    expect(configuration.Environment?.Variables?.SHOP_API_KEY).toBe(apiKey);
    // Two server starts, a deployment and its build, beside whatever else the machine runs.
  }, 300_000);
});
