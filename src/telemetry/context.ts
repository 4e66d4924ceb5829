/**
 * The telemetry scope of the code running now: which bus, session, workflow run (correlation id),
 * agent and node. A graph run opens it, each node narrows it, and the tool runner reads it, so a
 * correlation id reaches every tool call without being passed by hand.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TelemetryBus } from './bus.js';

export interface TelemetryScope {
  bus: TelemetryBus;
  sessionId: string | null;
  correlationId: string | null;
  agent: string;
  phase: string;
}

const storage = new AsyncLocalStorage<TelemetryScope>();

export function currentTelemetryScope(): TelemetryScope | undefined {
  return storage.getStore();
}

export function withTelemetryScope<T>(scope: TelemetryScope, work: () => T): T {
  return storage.run(scope, work);
}

/** The scope's identifying fields, as an event carries them. */
export function scopeFields(scope: TelemetryScope) {
  return {
    session_id: scope.sessionId,
    correlation_id: scope.correlationId,
    agent: scope.agent,
    phase: scope.phase,
  };
}
