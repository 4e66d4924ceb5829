import { describe, expect, it } from 'vitest';
import { MASK } from '../guardrails/redaction.js';
import type { TelemetryEvent, TelemetryRepository } from '../store/ports.js';
import { TelemetryBus } from './bus.js';
import { currentTelemetryScope } from './context.js';
import type { TelemetryRecord } from './events.js';
import { observeGraph, observeNode, raiseAlert } from './observe.js';
import { StoreTelemetrySink } from './sinks/store-sink.js';
import { alertPayload } from './sinks/webhook-sink.js';

class MemoryTelemetry implements TelemetryRepository {
  readonly rows: TelemetryEvent[] = [];
  async append(event: TelemetryEvent): Promise<void> {
    this.rows.push(event);
  }
  async list(): Promise<TelemetryEvent[]> {
    return this.rows;
  }
}

describe('telemetry bus', () => {
  it('redacts each event once, delivers it to every sink, and survives a failing sink', async () => {
    const seen: TelemetryRecord[] = [];
    const failures: string[] = [];
    const bus = new TelemetryBus(
      [
        { name: 'broken', handle: () => Promise.reject(new Error('down')) },
        { name: 'memory', handle: (event) => void seen.push(event) },
      ],
      { onSinkError: (sink) => failures.push(sink) },
    );
    await bus.publish({
      kind: 'tool-call',
      session_id: 's',
      correlation_id: 'c',
      agent: 'deployment-executor',
      phase: 'deploy_lambda',
      status: 'error',
      error_code: 'aws_error',
      attributes: { detail: 'key AKIABUSTESTKEY000042' },
    });
    expect(failures).toEqual(['broken']);
    expect(seen[0]).toMatchObject({
      attributes: { detail: `key ${MASK}` },
      latency_ms: null,
      error_code: 'aws_error',
    });
    expect(seen[0]?.id).toBeTruthy();
  });

  it('carries the graph run correlation id into nodes, and stores node ends, graph events and alerts', async () => {
    const repository = new MemoryTelemetry();
    const bus = new TelemetryBus([new StoreTelemetrySink(repository)]);
    const graph = await observeGraph(bus, {
      sessionId: 's1',
      correlationId: 's1/deploy/run-1',
      workflow: 'deploy',
    });
    await graph.run(async () => {
      const node = await observeNode(bus, {
        sessionId: 's1',
        agent: 'compliance-officer',
        node: 'compliance',
      });
      await node.run(async () => {
        expect(currentTelemetryScope()).toMatchObject({
          correlationId: 's1/deploy/run-1',
          phase: 'compliance',
        });
        await raiseAlert(bus, 'compliance-block', { sessionId: 's1', summary: 'blocked (IAM_CHANGE)' });
      });
      await node.end('ok');
    });
    await graph.end('waiting');
    expect(repository.rows.map((row) => [row.attributes?.kind, row.phase, row.status])).toEqual([
      ['graph-start', 'deploy', 'started'],
      ['alert', 'compliance-block', 'critical'],
      ['node-end', 'compliance', 'ok'],
      ['graph-end', 'deploy', 'waiting'],
    ]);
    expect(new Set(repository.rows.map((row) => row.correlationId))).toEqual(new Set(['s1/deploy/run-1']));
    expect(repository.rows[1]?.agent).toBe('compliance-officer');
  });

  it('shapes alerts as Slack-compatible payloads', () => {
    const payload = alertPayload({
      id: '1',
      kind: 'alert',
      at: '2026-01-01T00:00:00.000Z',
      session_id: 's1',
      correlation_id: 'run',
      agent: 'conversation-orchestrator',
      phase: 'deployment-failure',
      status: 'critical',
      latency_ms: null,
      error_code: null,
      attributes: { summary: 'Deployment d1 rolled-back: step function failed', deployment_id: 'd1' },
    });
    expect(payload.text).toBe(
      'aws-copilot: Deployment failed: Deployment d1 rolled-back: step function failed',
    );
    expect(payload.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'aws-copilot: Deployment failed' },
    });
    expect(JSON.stringify(payload.blocks[2])).toContain('deployment `d1`');
  });
});
