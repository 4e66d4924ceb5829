/**
 * OpenTelemetry over OTLP/HTTP against a local receiver: a deployment paused for approval and
 * then rejected is one trace (two graph invocations), with a span per node under its graph span
 * and a span per tool call, and the metrics arrive too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtelTelemetrySink } from '../../src/telemetry/sinks/otel-sink.js';
import { createExecutionRole } from '../aws/lambda-fixtures.js';
import {
  makeBackendRepo,
  type ObservedSession,
  openObservedSession,
} from '../guardrails/observed-session.js';
import { uniqueName } from '../helpers/unique-name.js';
import { type HttpReceiver, startHttpReceiver } from './http-receiver.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Array<{ key: string; value: { stringValue?: string } }>;
}

function spansOf(receiver: HttpReceiver): { spans: OtlpSpan[]; services: string[] } {
  const spans: OtlpSpan[] = [];
  const services: string[] = [];
  for (const post of receiver.posts.filter((item) => item.path === '/v1/traces')) {
    const body = post.json as {
      resourceSpans: Array<{
        resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
        scopeSpans: Array<{ spans: OtlpSpan[] }>;
      }>;
    };
    for (const resource of body.resourceSpans) {
      services.push(
        ...resource.resource.attributes
          .filter((a) => a.key === 'service.name')
          .map((a) => a.value.stringValue ?? ''),
      );
      for (const scope of resource.scopeSpans) spans.push(...scope.spans);
    }
  }
  return { spans, services };
}

const attribute = (span: OtlpSpan, key: string) =>
  span.attributes.find((item) => item.key === key)?.value.stringValue;

describe('OpenTelemetry traces and metrics over OTLP/HTTP', () => {
  let receiver: HttpReceiver;
  let session: ObservedSession;
  let role: string;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    session = await openObservedSession({
      sinks: [new OtelTelemetrySink({ endpoint: receiver.url, metricIntervalMs: 600_000 })],
    });
    role = await createExecutionRole();
    makeBackendRepo(session.tools, 'otel-app');
  });
  afterAll(async () => {
    await session.close();
    await receiver.close();
  });

  it('sends a span for every graph node and tool call, one trace per workflow run', async () => {
    const first = await session.send(
      `deploy ./otel-app to us-east-1 on lambda with role ${role} as app ${uniqueName('otel')}`,
    );
    expect(first.status).toBe('waiting');
    const approval = session.last('approval-request');
    await session.answer(first.sessionId, {
      kind: 'approval',
      plan_hash: approval.plan_hash,
      decision: 'reject',
    });
    await session.bus.flush();

    const { spans, services } = spansOf(receiver);
    expect(services).toContain('aws-copilot');
    const mine = spans.filter((span) => attribute(span, 'aws_copilot.session_id') === first.sessionId);
    const names = mine.map((span) => span.name);
    for (const node of [
      'intake',
      'context-sync',
      'preflight',
      'plan',
      'compliance',
      'dry-run',
      'ask-approval',
      'await-approval',
      'close',
    ])
      expect(names).toContain(`node ${node}`);
    expect(names.filter((name) => name === 'graph deploy')).toHaveLength(2);
    expect(names).toContain('tool repo_reader');
    expect(names).toContain('tool deploy_lambda_repo');

    // Both invocations (before and after the pause for approval) are one trace: the workflow run.
    expect(new Set(mine.map((span) => span.traceId)).size).toBe(1);
    const graphIds = new Set(mine.filter((span) => span.name === 'graph deploy').map((span) => span.spanId));
    for (const node of mine.filter((span) => span.name.startsWith('node ')))
      expect(graphIds.has(node.parentSpanId ?? '')).toBe(true);
    const nodeIds = new Set(mine.filter((span) => span.name.startsWith('node ')).map((span) => span.spanId));
    const preview = mine.find((span) => span.name === 'tool deploy_lambda_repo');
    expect(nodeIds.has(preview?.parentSpanId ?? '')).toBe(true);
    expect(attribute(preview as OtlpSpan, 'aws_copilot.agent')).toBe('planning-validation');
    const correlation = attribute(mine[0] as OtlpSpan, 'aws_copilot.correlation_id');
    expect(correlation).toMatch(new RegExp(`^${first.sessionId}/deploy/`));
  });

  it('sends the metrics: event counts and latencies', () => {
    const metrics = receiver.posts.filter((post) => post.path === '/v1/metrics');
    expect(metrics.length).toBeGreaterThan(0);
    const text = metrics.map((post) => post.body.toString('utf8')).join('\n');
    expect(text).toContain('aws_copilot.events');
    expect(text).toContain('aws_copilot.latency');
  });

  it('stores the same events in the telemetry table with the correlation id of the run', async () => {
    const sessionId = session.events[0]?.session_id as string;
    const rows = await session.store.telemetry.list({ sessionId });
    const kinds = new Set(rows.map((row) => row.attributes?.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['graph-start', 'graph-end', 'node-end', 'tool-call']));
    const correlations = new Set(rows.map((row) => row.correlationId));
    expect(correlations.size).toBe(1);
    for (const row of rows) {
      expect(row).toMatchObject({
        sessionId,
        agent: expect.any(String),
        phase: expect.any(String),
        status: expect.any(String),
      });
      expect('errorCode' in row || row.errorCode === undefined).toBe(true);
    }
    const toolRows = rows.filter((row) => row.attributes?.kind === 'tool-call');
    expect(toolRows.every((row) => typeof row.latencyMs === 'number')).toBe(true);
  });
});
