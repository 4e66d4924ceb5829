/** Spec evaluation task 1: the sample FastAPI + Vite app deployed end to end by chatting. */
import { GetFunctionCommand, GetFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentMetrics } from '../../src/agents/metrics.js';
import { createExecutionRole } from '../aws/lambda-fixtures.js';
import { makeShopRepo } from '../github/repo-fixtures.js';
import { type AgentHarness, createAgentHarness } from '../helpers/agent-harness.js';

describe('deploy by chatting (offline model, sandbox)', () => {
  let harness: AgentHarness;
  let role: string;
  beforeAll(async () => {
    harness = await createAgentHarness();
    role = await createExecutionRole();
    makeShopRepo(harness.tools, 'shop-chat');
  });
  afterAll(() => harness.close());

  it('asks for what is missing, previews, waits for approval, deploys, validates and records the deployment', async () => {
    const first = await harness.send('Deploy my FastAPI + Vite app from ./shop-chat to us-east-1');
    expect(first.status).toBe('waiting');
    const form = harness.last('form-request');
    expect(form.fields.map((field) => field.name)).toContain('target');

    const second = await harness.answer(first.sessionId, {
      kind: 'form',
      form_id: form.form_id,
      values: { target: 'lambda' },
    });
    expect(second.status).toBe('waiting');
    const roleForm = harness.last('form-request');
    expect(roleForm.fields.map((field) => field.name)).toEqual(['role_arn']);

    const third = await harness.answer(first.sessionId, {
      kind: 'form',
      form_id: roleForm.form_id,
      values: { role_arn: role },
    });
    expect(third.status).toBe('waiting');
    const approval = harness.last('approval-request');
    expect(approval.steps.map((step) => step.tool)).toEqual(['deploy_lambda_repo']);
    expect(approval.previews).toHaveLength(approval.steps.length);
    const functionName = String(approval.steps[0]?.args.function_name);
    // A web API is asked a public URL, in the open on the approval card.
    expect(approval.steps[0]?.args.function_url).toBe('public');
    // Nothing exists before the person approves.
    await expect(
      harness.tools.aws.lambda().send(new GetFunctionCommand({ FunctionName: functionName })),
    ).rejects.toThrow();

    const done = await harness.answer(first.sessionId, {
      kind: 'approval',
      plan_hash: approval.plan_hash,
      decision: 'approve',
    });
    expect(done.status).toBe('done');
    const end = harness.last('deployment-end');
    expect(end.status).toBe('succeeded');
    const fn = await harness.tools.aws.lambda().send(new GetFunctionCommand({ FunctionName: functionName }));
    expect(fn.Configuration?.State).toBe('Active');
    // The deployment ends with the address to open: the function URL's health route.
    const { FunctionUrl } = await harness.tools.aws
      .lambda()
      .send(new GetFunctionUrlConfigCommand({ FunctionName: functionName }));
    const url = new URL('api/health', FunctionUrl).href;
    expect(end.url).toBe(url);

    const history = await harness.store.deployments.list(harness.userId);
    expect(history[0]).toMatchObject({ id: end.deployment_id, status: 'succeeded', target: 'lambda', url });
    const journal = await harness.store.deployments.journal(end.deployment_id);
    expect(journal.map((entry) => entry.status)).toEqual(['started', 'completed']);
    const steps = harness.events.filter((event) => event.type === 'step-end');
    expect(steps).toEqual([expect.objectContaining({ step_id: 'function', status: 'completed' })]);
    const metrics = deploymentMetrics(history);
    expect(metrics).toMatchObject({ success_rate: 1, dry_run_coverage: 1 });
    expect(metrics.tokens_per_deployment?.input).toBeGreaterThan(0);
    // The Context Curator kept the project's summary in vector memory, tagged with its stack.
    const remembered = await harness.store.vectors.query(
      Array.from({ length: harness.store.vectors.dimensions }, () => 1),
      { tags: ['fastapi', 'vite'], topK: 10 },
    );
    expect(remembered.map((note) => note.text)).toContainEqual(
      expect.stringMatching(/^The project in shop-chat is /),
    );
    const seqs = harness.events.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});
