/**
 * The telemetry bus's events: one shape for every step of every agent and tool, with the fields
 * the spec names (session_id, agent, phase, status, latency_ms, error_code) and the correlation id
 * that ties one workflow run together across agents, tools and resumes.
 */

export type TelemetryKind =
  | 'graph-start'
  | 'graph-end'
  | 'graph-fail'
  | 'node-start'
  | 'node-end'
  | 'tool-call'
  | 'alert';

export type TelemetryStatus = 'started' | 'ok' | 'error' | 'waiting' | 'denied' | 'critical';

/** Critical alerts, sent to the webhook as well. */
export type AlertName = 'deployment-failure' | 'compliance-block' | 'ecs-repair-failure';

export interface TelemetryRecord {
  id: string;
  kind: TelemetryKind;
  at: string;
  session_id: string | null;
  /** The workflow run (graph thread) the event belongs to; the same for every agent and tool of it. */
  correlation_id: string | null;
  /** The agent role (`deployment-executor`), `graph` for lifecycle events, `alert` for alerts. */
  agent: string;
  /** The node, the tool, the workflow or the alert's name. */
  phase: string;
  status: TelemetryStatus;
  latency_ms: number | null;
  error_code: string | null;
  attributes: Record<string, unknown>;
}

export type TelemetryInput = Omit<TelemetryRecord, 'id' | 'at' | 'latency_ms' | 'error_code' | 'attributes'> &
  Partial<Pick<TelemetryRecord, 'at' | 'latency_ms' | 'error_code' | 'attributes'>>;
