/**
 * A failed ECS repair is a critical alert: a remediation that fails (and is undone) and a change
 * that verification finds did not help each post a Slack-compatible payload to the alert webhook
 * (a local HTTP receiver, wired from the alertWebhookUrl setting as the product does); a repair
 * that works posts nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TelemetryBus } from '../../src/telemetry/bus.js';
import { createTelemetry } from '../../src/telemetry/create-telemetry.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { actionOf } from '../helpers/fault-proxy.js';
import { type HttpReceiver, startHttpReceiver } from '../telemetry/http-receiver.js';
import { type ScenarioRun, startScenario } from './ecs-scenarios.js';

interface SlackPayload {
  text: string;
  blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }>;
}

describe('alerts for failed ECS repairs', () => {
  let run: ScenarioRun | undefined;
  let receiver: HttpReceiver | undefined;
  let bus: TelemetryBus | undefined;
  afterEach(async () => {
    await bus?.close();
    await run?.close();
    await receiver?.close();
    run = undefined;
    receiver = undefined;
    bus = undefined;
  });

  /** A scenario whose runtime alerts to a fresh receiver; runs the repair to its end with the person's approval. */
  async function repair(options: { repairFails?: boolean; remediationFails?: boolean }) {
    receiver = await startHttpReceiver();
    run = await startScenario('out-of-memory', options.repairFails ? { repairFails: true } : {});
    const { harness, scenario, proxy } = run;
    bus = await createTelemetry({
      settings: { alertWebhookUrl: `${receiver.url}/hooks/ecs`, otlpEndpoint: undefined },
      telemetry: harness.store.telemetry,
      // The alert's error line is expected here; the webhook is what is checked.
      log: createLogger('silent'),
    });
    harness.runtime.telemetry = bus;
    if (options.remediationFails)
      proxy.addRule({
        match: (request) => actionOf(request) === 'UpdateService' && request.body.includes(scenario.cluster),
        times: 100,
        response: {
          status: 500,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: JSON.stringify({ __type: 'ServerException', message: 'ECS is having a bad day' }),
        },
      });
    const first = await harness.send(
      `Service ${scenario.service} in cluster ${scenario.cluster} keeps crashing, can you diagnose it?`,
    );
    const approval = harness.last('approval-request');
    await bus.flush();
    expect(receiver.posts).toEqual([]);
    const done = await harness.answer(first.sessionId, {
      kind: 'approval',
      plan_hash: approval.plan_hash,
      decision: 'approve',
    });
    expect(done.status).toBe('done');
    await bus.flush();
    return {
      sessionId: first.sessionId,
      deploymentId: approval.deployment_id as string,
      payloads: receiver.posts.map((post) => post.json as SlackPayload),
    };
  }

  it('posts nothing for a repair that verification confirms', async () => {
    const { payloads } = await repair({});
    expect(run?.harness.last('message-end').text).toMatch(/Repaired/);
    expect(payloads).toEqual([]);
  });

  it('posts an alert when the remediation fails and is undone', async () => {
    const { payloads, sessionId, deploymentId } = await repair({ remediationFails: true });
    const record = await run?.harness.store.deployments.get(run.harness.userId, deploymentId);
    expect(record).toMatchObject({ status: 'rolled-back', result: { outcome: 'repair-failed' } });
    expect(payloads).toHaveLength(1);
    const [payload] = payloads;
    expect(receiver?.posts[0]?.path).toBe('/hooks/ecs');
    expect(payload?.text).toMatch(
      /^aws-copilot: ECS repair failed: ECS repair of .* repair-failed: Step .* failed/,
    );
    expect(payload?.text).toContain(run?.scenario.service);
    expect(payload?.blocks.map((block) => block.type)).toEqual(['header', 'section', 'context']);
    const context = JSON.stringify(payload?.blocks[2]);
    expect(context).toContain(sessionId);
    expect(context).toContain(deploymentId);
  });

  it('posts an alert when verification finds the change did not help', async () => {
    const { payloads, deploymentId } = await repair({ repairFails: true });
    const record = await run?.harness.store.deployments.get(run.harness.userId, deploymentId);
    expect(record).toMatchObject({ status: 'failed', result: { outcome: 'verification-failed' } });
    expect(payloads).toHaveLength(1);
    expect(payloads[0]?.text).toMatch(
      /^aws-copilot: ECS repair failed: .*verification-failed: .*verification failed/,
    );
    const alerts = await run?.harness.store.telemetry.list({ sessionId: record?.sessionId ?? '' });
    expect(alerts?.filter((event) => event.attributes?.kind === 'alert')).toEqual([
      expect.objectContaining({ phase: 'ecs-repair-failure', status: 'critical' }),
    ]);
  });
});
