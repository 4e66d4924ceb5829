/**
 * The deploy workflow driven by another assistant over MCP: start_deployment, answer_form, then
 * answer_approval, which runs the plan only when writes are on and the person accepts the plan in
 * the client. The whole product runs on the offline model against the sandbox (agent harness).
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutionRole } from '../aws/lambda-fixtures.js';
import { makeShopRepo } from '../github/repo-fixtures.js';
import { type AgentHarness, createAgentHarness } from '../helpers/agent-harness.js';
import { connectToHarness, type PersonBehaviour, structured, type TestClient } from './mcp-helpers.js';

interface Summary {
  session_id: string;
  workflow: string;
  status: 'waiting' | 'done';
  messages: string[];
  deployments: Array<{ deployment_id: string; status: string }>;
  waiting_for: {
    kind: string;
    form_id?: string;
    plan_hash?: string;
    fields?: Array<{ name: string }>;
    steps?: Array<{ tool: string; args: Record<string, unknown> }>;
  } | null;
  next: string;
  error?: { code: string; message: string };
}

describe('the deploy workflow as MCP tools', () => {
  let harness: AgentHarness;
  let role: string;
  const clients: TestClient[] = [];

  /** An MCP server on the harness's runtime, and a client whose person behaves as told. */
  async function connect(person: PersonBehaviour, writes: boolean): Promise<TestClient> {
    const client = await connectToHarness(harness, person, { writes });
    clients.push(client);
    return client;
  }

  const summary = async (client: TestClient, tool: string, args: Record<string, unknown>) =>
    structured<Summary>(await client.call(tool, args));

  /** Starts a Lambda deployment of the sample app and answers its forms until it waits for approval. */
  async function untilApproval(client: TestClient): Promise<Summary> {
    const first = await summary(client, 'start_deployment', {
      request: 'Deploy my FastAPI + Vite app from ./shop-mcp to us-east-1',
    });
    expect(first).toMatchObject({ workflow: 'deploy', status: 'waiting', waiting_for: { kind: 'form' } });
    expect(first.next).toContain('answer_form');
    const second = await summary(client, 'answer_form', {
      session_id: first.session_id,
      form_id: first.waiting_for?.form_id,
      values: { target: 'lambda' },
    });
    expect(second.waiting_for?.fields?.map((field) => field.name)).toEqual(['role_arn']);
    const third = await summary(client, 'answer_form', {
      session_id: first.session_id,
      form_id: second.waiting_for?.form_id,
      values: { role_arn: role },
    });
    expect(third).toMatchObject({ status: 'waiting', waiting_for: { kind: 'approval' } });
    expect(third.next).toContain('answer_approval');
    return third;
  }

  beforeAll(async () => {
    harness = await createAgentHarness();
    role = await createExecutionRole();
    makeShopRepo(harness.tools, 'shop-mcp');
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await harness.close();
  });

  it("runs the plan only after the person accepts it, never on the calling assistant's word alone", async () => {
    const person = await connect('accept', true);
    const waiting = await untilApproval(person);
    const answer = {
      session_id: waiting.session_id,
      plan_hash: waiting.waiting_for?.plan_hash,
      decision: 'approve',
    };
    const functionName = String(waiting.waiting_for?.steps?.[0]?.args.function_name);
    const exists = () =>
      harness.tools.aws
        .lambda()
        .send(new GetFunctionCommand({ FunctionName: functionName }))
        .then(() => true)
        .catch(() => false);

    const writesOff = await connect('accept', false);
    const off = await writesOff.call('answer_approval', answer);
    expect(off.isError).toBe(true);
    expect(structured<Summary>(off).error?.message).toContain('writes are off');

    const blind = await connect('cannot-ask', true);
    const unasked = await blind.call('answer_approval', answer);
    expect(structured<Summary>(unasked).error?.message).toContain('cannot ask you');
    expect(await exists()).toBe(false);

    const done = await summary(person, 'answer_approval', answer);
    expect(done).toMatchObject({ status: 'done', deployments: [{ status: 'succeeded' }] });
    expect(person.asked).toHaveLength(1);
    expect(person.asked[0]).toContain('deploy_lambda_repo');
    expect(await exists()).toBe(true);
  });

  it('rejects the plan when the person declines it', async () => {
    const person = await connect('decline', true);
    const waiting = await untilApproval(person);
    const done = await summary(person, 'answer_approval', {
      session_id: waiting.session_id,
      plan_hash: waiting.waiting_for?.plan_hash,
      decision: 'approve',
    });
    expect(done.status).toBe('done');
    expect(done.messages.join(' ')).toMatch(/rejected/i);
    const [deployment] = await harness.store.deployments.list(harness.userId);
    expect(deployment?.status).toBe('failed');
  });

  it('refuses an unknown session instead of opening a new one', async () => {
    const client = await connect('accept', true);
    const result = await client.call('send_message', { session_id: 'no-such-session', message: 'hello' });
    expect(structured(result)).toMatchObject({
      status: 'error',
      error: { code: 'not_found', field: 'session_id' },
    });
  });

  it('returns a stored report by id, only to its owner', async () => {
    const client = await connect('accept', false);
    const session = await harness.store.sessions.create({
      id: crypto.randomUUID(),
      userId: harness.userId,
      title: 'ecs',
    });
    await harness.store.reports.save({
      id: 'report-1',
      userId: harness.userId,
      sessionId: session.id,
      name: 'triage_report.md',
      markdown: '# Triage\n\nexit code 137: out of memory',
      at: new Date().toISOString(),
    });
    expect(structured(await client.call('get_report', { report_id: 'report-1' }))).toMatchObject({
      name: 'triage_report.md',
      markdown: expect.stringContaining('out of memory'),
    });
    await harness.store.reports.save({
      id: 'report-2',
      userId: 'someone-else',
      sessionId: session.id,
      name: 'x.md',
      markdown: 'secret plans',
      at: new Date().toISOString(),
    });
    expect(structured(await client.call('get_report', { report_id: 'report-2' }))).toMatchObject({
      error: { code: 'not_found' },
    });
  });
});
