/**
 * The sample app deployed by chatting over /ws/agent (offline model, sandbox): forms answered,
 * the plan approved with an interrupt-answer, progress streamed; a rejected plan creates nothing;
 * a client that reconnects mid-deployment gets every event it missed exactly once.
 */
import { GetFunctionCommand, GetFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deploymentDetailSchema,
  deploymentListSchema,
  eventListSchema,
  sessionListSchema,
  telemetryListSchema,
  transcriptSchema,
} from '../../src/protocol/api.js';
import type { ServerFrame } from '../../src/protocol/ws.js';
import { createExecutionRole } from '../aws/lambda-fixtures.js';
import { makeShopRepo } from '../github/repo-fixtures.js';
import {
  AgentClient,
  ApiClient,
  bearer,
  type ServerHarness,
  startServerHarness,
} from '../helpers/server-harness.js';
import { uniqueName } from '../helpers/unique-name.js';

type EventOf<T extends string> = Extract<ServerFrame, { type: T; seq: number }>;

/** Sends the deploy request and answers the forms; resolves with the approval request. */
async function chatUntilApproval(
  client: AgentClient,
  role: string,
  repo: string,
): Promise<EventOf<'approval-request'>> {
  client.send({
    type: 'user-message',
    id: 'm1',
    text: `Deploy my FastAPI + Vite app from ./${repo} to us-east-1`,
  });
  const targetForm = (await client.nextOf('form-request')) as EventOf<'form-request'>;
  expect(targetForm.fields.map((field) => field.name)).toContain('target');
  expect(await client.nextOf('turn-end')).toMatchObject({ status: 'waiting', id: 'm1' });
  client.send({
    type: 'interrupt-answer',
    id: 'a1',
    answer: { kind: 'form', form_id: targetForm.form_id, values: { target: 'lambda' } },
  });
  const roleForm = (await client.nextOf('form-request')) as EventOf<'form-request'>;
  expect(roleForm.fields.map((field) => field.name)).toEqual(['role_arn']);
  await client.nextOf('turn-end');
  client.send({
    type: 'interrupt-answer',
    id: 'a2',
    answer: { kind: 'form', form_id: roleForm.form_id, values: { role_arn: role } },
  });
  const approval = (await client.nextOf('approval-request')) as EventOf<'approval-request'>;
  expect(await client.nextOf('turn-end')).toMatchObject({ status: 'waiting', id: 'a2' });
  return approval;
}

describe('deploying over /ws/agent', () => {
  let harness: ServerHarness;
  let role: string;
  let api: ApiClient;
  // Tests share one emulator: each deploys a folder of its own, so its function is its own.
  const shop = uniqueName('shop');
  const kiosk = uniqueName('kiosk');
  beforeAll(async () => {
    harness = await startServerHarness();
    role = await createExecutionRole();
    makeShopRepo(harness.tools, shop);
    makeShopRepo(harness.tools, kiosk);
    api = new ApiClient(harness.url, bearer());
  });
  afterAll(() => harness.close());

  const functionExists = (name: string) =>
    harness.tools.aws
      .lambda()
      .send(new GetFunctionCommand({ FunctionName: name }))
      .then(
        (answer) => answer.Configuration?.State,
        () => undefined,
      );

  it('deploys the sample app: forms, plan approval as an interrupt-answer, streamed progress, history', async () => {
    const client = await AgentClient.open(harness.wsUrl, { headers: bearer() });
    const sessionId = client.hello.session_id;
    const approval = await chatUntilApproval(client, role, shop);
    expect(approval.steps.map((step) => step.tool)).toEqual(['deploy_lambda_repo']);
    expect(approval.previews).toHaveLength(1);
    const functionName = String(approval.steps[0]?.args.function_name);
    expect(await functionExists(functionName)).toBeUndefined();

    client.send({
      type: 'interrupt-answer',
      id: 'approve',
      answer: { kind: 'approval', plan_hash: approval.plan_hash, decision: 'approve' },
    });
    const end = (await client.nextOf('deployment-end')) as EventOf<'deployment-end'>;
    expect(end.status).toBe('succeeded');
    expect(await client.nextOf('turn-end')).toMatchObject({ status: 'done', id: 'approve' });
    expect(await functionExists(functionName)).toBe('Active');
    const { FunctionUrl } = await harness.tools.aws
      .lambda()
      .send(new GetFunctionUrlConfigCommand({ FunctionName: functionName }));
    const url = new URL('api/health', FunctionUrl).href;
    expect(end.url).toBe(url);

    const events = client.events();
    const types = events.map((event) => event.type);
    for (const type of ['route-select', 'node-start', 'node-end', 'message-delta', 'step-start', 'step-end'])
      expect(types).toContain(type);
    // Deltas arrive before the message they make up is finished.
    expect(types.indexOf('message-delta')).toBeLessThan(types.indexOf('message-end'));
    expect(events.every((event) => event.session_id === sessionId)).toBe(true);
    const seqs = events.map((event) => event.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(client.invalid).toEqual([]);
    await client.close();

    // Every answer has the shape src/protocol/api.ts promises the UI.
    const history = await api.get('/api/deployments');
    deploymentListSchema.parse(history.body);
    expect(history.body.deployments[0]).toMatchObject({
      id: end.deployment_id,
      status: 'succeeded',
      target: 'lambda',
      url,
    });
    const details = await api.get(`/api/deployments/${end.deployment_id}`);
    deploymentDetailSchema.parse(details.body);
    expect(details.body.journal.map((entry: { status: string }) => entry.status)).toEqual([
      'started',
      'completed',
    ]);
    const sessions = await api.get('/api/sessions');
    sessionListSchema.parse(sessions.body);
    expect(sessions.body.sessions.map((session: { id: string }) => session.id)).toContain(sessionId);
    const transcript = await api.get(`/api/sessions/${sessionId}`);
    transcriptSchema.parse(transcript.body);
    expect(transcript.body.turns[0]).toMatchObject({
      role: 'user',
      content: expect.stringContaining('Deploy my'),
    });
    const replay = await api.get(`/api/sessions/${sessionId}/events?after_seq=0`);
    eventListSchema.parse(replay.body);
    expect(replay.body.events.map((event: { seq: number }) => event.seq)).toEqual(seqs);
    const telemetry = await api.get(`/api/sessions/${sessionId}/telemetry`);
    expect(telemetryListSchema.parse(telemetry.body).events.length).toBeGreaterThan(0);
  });

  it('creates nothing when the plan is rejected', async () => {
    const client = await AgentClient.open(harness.wsUrl, { headers: bearer() });
    const approval = await chatUntilApproval(client, role, kiosk);
    const functionName = String(approval.steps[0]?.args.function_name);
    client.send({
      type: 'interrupt-answer',
      answer: { kind: 'approval', plan_hash: approval.plan_hash, decision: 'reject', reason: 'not today' },
    });
    await client.nextOf('turn-end');
    expect(client.events().some((event) => event.type === 'step-start')).toBe(false);
    expect(await functionExists(functionName)).toBeUndefined();
    const deployment = await api.get(`/api/deployments/${approval.deployment_id}`);
    expect(deployment.body.journal).toEqual([]);
    expect(deployment.body.deployment.status).not.toBe('succeeded');
    await client.close();
  });

  it('gives a client that reconnects mid-deployment every missed event exactly once', async () => {
    const first = await AgentClient.open(harness.wsUrl, { headers: bearer() });
    const sessionId = first.hello.session_id;
    const approval = await chatUntilApproval(first, role, shop);
    first.send({
      type: 'interrupt-answer',
      answer: { kind: 'approval', plan_hash: approval.plan_hash, decision: 'approve' },
    });
    await first.nextOf('step-start');
    await first.close();
    const seen = first.events().map((event) => event.seq);
    const lastSeen = Math.max(...seen);

    // A slow store: live events keep coming while the replay reads, and must be neither lost nor doubled.
    const events = harness.app.store.events;
    const listAfter = events.listAfter.bind(events);
    events.listAfter = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return listAfter(...args);
    };
    const second = await AgentClient.open(harness.wsUrl, { headers: bearer(), sessionId });
    expect(second.hello).toMatchObject({ session_id: sessionId, running: true });
    second.send({ type: 'resume', id: 'r1', after_seq: lastSeen });
    const resumed = await second.nextOf('resume-end');
    events.listAfter = listAfter;
    expect(resumed.id).toBe('r1');
    if (resumed.running) await second.nextOf('turn-end');
    await harness.server.liveSessions.idle();
    expect(second.events().some((event) => event.type === 'deployment-end')).toBe(true);

    const missed = second.events().map((event) => event.seq);
    expect(missed.every((seq) => seq > lastSeen)).toBe(true);
    expect(new Set(missed).size).toBe(missed.length);
    // Together the two connections saw every protocol event the store holds, in order, once.
    const stored = (await new ApiClient(harness.url, bearer()).get(`/api/sessions/${sessionId}/events`)).body
      .events;
    expect([...seen, ...missed]).toEqual(stored.map((event: { seq: number }) => event.seq));
    await second.close();
  });
});
