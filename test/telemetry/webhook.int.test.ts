/**
 * Critical alerts to a Slack-compatible webhook (a local HTTP server): a compliance block and a
 * deployment that failed and was rolled back each post `{ text, blocks }`; nothing else does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookAlertSink } from '../../src/telemetry/sinks/webhook-sink.js';
import { createExecutionRole } from '../aws/lambda-fixtures.js';
import {
  makeBackendRepo,
  type ObservedSession,
  openObservedSession,
} from '../guardrails/observed-session.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { sandboxEndpoint } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { type HttpReceiver, startHttpReceiver } from './http-receiver.js';

interface SlackPayload {
  text: string;
  blocks: Array<{ type: string; text?: { type: string; text: string } }>;
}

describe('critical alerts to the webhook', () => {
  let receiver: HttpReceiver;
  let proxy: FaultProxy;
  let session: ObservedSession;
  let role: string;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    proxy = await startFaultProxy(sandboxEndpoint());
    session = await openObservedSession({
      endpointUrl: proxy.endpointUrl,
      sinks: [new WebhookAlertSink(`${receiver.url}/hooks/T000/B000`)],
    });
    role = await createExecutionRole();
    makeBackendRepo(session.tools, 'alert-app');
  });
  afterAll(async () => {
    await session.close();
    await proxy.close();
    await receiver.close();
  });

  const payloads = () => receiver.posts.map((post) => post.json as SlackPayload);

  it('posts nothing for a deployment that waits for its approval', async () => {
    await session.send(
      `deploy ./alert-app to us-east-1 on lambda with role ${role} as app ${uniqueName('calm')}`,
    );
    await session.bus.flush();
    expect(receiver.posts).toEqual([]);
  });

  it('posts a compliance block', async () => {
    session.runtime.nonInteractive = true;
    const turn = await session.send(
      `deploy ./alert-app to us-east-1 on lambda with role ${role} as app ${uniqueName('shop-prod')}`,
    );
    session.runtime.nonInteractive = false;
    await session.bus.flush();
    expect(receiver.posts).toHaveLength(1);
    expect(receiver.posts[0]?.path).toBe('/hooks/T000/B000');
    expect(receiver.posts[0]?.contentType).toBe('application/json');
    const [payload] = payloads();
    expect(payload?.text).toMatch(/^aws-copilot: Compliance blocked a plan: .*PRODUCTION_RESOURCE/);
    expect(payload?.blocks.map((block) => block.type)).toEqual(['header', 'section', 'context']);
    expect(JSON.stringify(payload?.blocks)).toContain(turn.sessionId);
  });

  it('posts a deployment failure once the failed deployment is rolled back and closed', async () => {
    proxy.addRule({
      match: (request) => request.method === 'POST' && /\/2015-03-31\/functions\/?$/.test(request.path),
      times: 100,
      response: {
        status: 500,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' },
        body: '{"Type":"Service","message":"Lambda is having a bad day"}',
      },
    });
    const first = await session.send(
      `deploy ./alert-app to us-east-1 on lambda with role ${role} as app ${uniqueName('fail')}`,
    );
    const approval = session.last('approval-request');
    const retry = await session.answer(first.sessionId, {
      kind: 'approval',
      plan_hash: approval.plan_hash,
      decision: 'approve',
    });
    // The failure rolled back and the plan is offered again; the person declines the retry.
    expect(retry.status).toBe('waiting');
    const again = session.last('approval-request');
    await session.answer(first.sessionId, {
      kind: 'approval',
      plan_hash: again.plan_hash,
      decision: 'reject',
    });
    await session.bus.flush();
    const failure = payloads().find((payload) => payload.text.startsWith('aws-copilot: Deployment failed'));
    expect(failure?.text).toMatch(/rolled-back/);
    expect(payloads()).toHaveLength(2);
  });
});
