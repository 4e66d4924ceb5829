/**
 * Helpers that put the graph lifecycle, nodes and alerts on the bus with the scope's fields, so
 * the callers (the chat session, the node runner, the compliance officer) stay one line each.
 */
import type { TelemetryBus } from './bus.js';
import { currentTelemetryScope, scopeFields, type TelemetryScope, withTelemetryScope } from './context.js';
import type { AlertName, TelemetryStatus } from './events.js';

const errorCodeOf = (error: unknown) => (error as { code?: string })?.code ?? 'internal';

export interface ObservedRun {
  /** Runs the work inside this scope. */
  run<T>(work: () => Promise<T>): Promise<T>;
  end(status: TelemetryStatus, attributes?: Record<string, unknown>): Promise<void>;
  fail(error: unknown): Promise<void>;
}

/** Opens a scope and publishes its start; `end`/`fail` publish how it finished and how long it took. */
async function observe(
  scope: TelemetryScope,
  kinds: {
    start: 'graph-start' | 'node-start';
    end: 'graph-end' | 'node-end';
    fail: 'graph-fail' | 'node-end';
  },
): Promise<ObservedRun> {
  const started = Date.now();
  await scope.bus.publish({ kind: kinds.start, ...scopeFields(scope), status: 'started' });
  return {
    run: (work) => withTelemetryScope(scope, work),
    end: async (status, attributes) => {
      await scope.bus.publish({
        kind: kinds.end,
        ...scopeFields(scope),
        status,
        latency_ms: Date.now() - started,
        ...(attributes ? { attributes } : {}),
      });
    },
    fail: async (error) => {
      await scope.bus.publish({
        kind: kinds.fail,
        ...scopeFields(scope),
        status: 'error',
        latency_ms: Date.now() - started,
        error_code: errorCodeOf(error),
      });
    },
  };
}

/** One invocation of a workflow graph; the correlation id is the workflow run's (its thread). */
export function observeGraph(
  bus: TelemetryBus,
  fields: { sessionId: string; correlationId: string; workflow: string },
): Promise<ObservedRun> {
  return observe(
    {
      bus,
      sessionId: fields.sessionId,
      correlationId: fields.correlationId,
      agent: 'graph',
      phase: fields.workflow,
    },
    { start: 'graph-start', end: 'graph-end', fail: 'graph-fail' },
  );
}

/** One node of a graph, inside the graph's scope (its correlation id) when there is one. */
export function observeNode(
  bus: TelemetryBus,
  fields: { sessionId: string; agent: string; node: string },
): Promise<ObservedRun> {
  const outer = currentTelemetryScope();
  return observe(
    {
      bus,
      sessionId: fields.sessionId,
      correlationId: outer?.correlationId ?? fields.sessionId,
      agent: fields.agent,
      phase: fields.node,
    },
    { start: 'node-start', end: 'node-end', fail: 'node-end' },
  );
}

/** A critical alert (webhook, error log, metrics), in the current scope. */
export async function raiseAlert(
  bus: TelemetryBus,
  alert: AlertName,
  details: { sessionId: string; summary: string; attributes?: Record<string, unknown> },
): Promise<void> {
  const scope = currentTelemetryScope();
  await bus.publish({
    kind: 'alert',
    session_id: details.sessionId,
    correlation_id: scope?.correlationId ?? details.sessionId,
    agent: scope?.agent ?? 'alert',
    phase: alert,
    status: 'critical',
    attributes: { summary: details.summary, ...details.attributes },
  });
}
