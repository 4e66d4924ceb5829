/** Telemetry into the store's telemetry table, each field redacted on its own (spec: per-field redaction). */
import { redactor } from '../../guardrails/redaction.js';
import type { TelemetryRepository } from '../../store/ports.js';
import type { TelemetrySink } from '../bus.js';
import type { TelemetryRecord } from '../events.js';

export class StoreTelemetrySink implements TelemetrySink {
  readonly name = 'store';

  constructor(private readonly repository: TelemetryRepository) {}

  async handle(event: TelemetryRecord): Promise<void> {
    // A node's start adds nothing its end does not say; the store keeps ends, tool calls, the graph and alerts.
    if (event.kind === 'node-start') return;
    const text = (value: string | null) => (value === null ? undefined : redactor.text(value));
    const sessionId = text(event.session_id);
    const correlationId = text(event.correlation_id);
    await this.repository.append({
      id: event.id,
      ...(sessionId ? { sessionId } : {}),
      ...(correlationId ? { correlationId } : {}),
      agent: redactor.text(event.agent),
      phase: redactor.text(event.phase),
      status: event.status,
      ...(event.latency_ms === null ? {} : { latencyMs: Math.round(event.latency_ms) }),
      errorCode: text(event.error_code) ?? null,
      attributes: redactor.value({ kind: event.kind, ...event.attributes }),
      at: event.at,
    });
  }
}
