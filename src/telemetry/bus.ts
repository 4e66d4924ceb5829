/**
 * The telemetry bus: every event is redacted once, stamped, and handed to each sink (the store,
 * JSON logs, OpenTelemetry, the alert webhook). A sink that fails never fails the work it
 * observes; slow sinks queue their I/O and `flush` waits for it.
 */
import { randomUUID } from 'node:crypto';
import { redactor } from '../guardrails/redaction.js';
import type { TelemetryInput, TelemetryRecord } from './events.js';

export interface TelemetrySink {
  readonly name: string;
  /** Takes one (already redacted) event; may queue I/O and finish it in `flush`. */
  handle(event: TelemetryRecord): void | Promise<void>;
  /** Delivers whatever is queued. */
  flush?(): Promise<void>;
  /** Flushes and releases connections; the sink takes nothing afterwards. */
  close?(): Promise<void>;
}

export interface TelemetryBusOptions {
  /** Told about a sink's failure (default: ignored; the log sink must not log its own failures in a loop). */
  onSinkError?: (sink: string, error: unknown) => void;
}

export class TelemetryBus {
  private readonly sinks: TelemetrySink[];

  constructor(
    sinks: TelemetrySink[] = [],
    private readonly options: TelemetryBusOptions = {},
  ) {
    this.sinks = [...sinks];
  }

  add(sink: TelemetrySink): void {
    this.sinks.push(sink);
  }

  /** Publishes one event; resolves when every sink took it, and never rejects. */
  async publish(input: TelemetryInput): Promise<TelemetryRecord> {
    const event: TelemetryRecord = redactor.value({
      id: randomUUID(),
      at: input.at ?? new Date().toISOString(),
      latency_ms: input.latency_ms ?? null,
      error_code: input.error_code ?? null,
      attributes: input.attributes ?? {},
      kind: input.kind,
      session_id: input.session_id,
      correlation_id: input.correlation_id,
      agent: input.agent,
      phase: input.phase,
      status: input.status,
    });
    await Promise.all(
      this.sinks.map(async (sink) => {
        try {
          await sink.handle(event);
        } catch (error) {
          this.options.onSinkError?.(sink.name, error);
        }
      }),
    );
    return event;
  }

  async flush(): Promise<void> {
    await Promise.all(
      this.sinks.map((sink) => sink.flush?.().catch((error) => this.options.onSinkError?.(sink.name, error))),
    );
  }

  async close(): Promise<void> {
    await Promise.all(
      this.sinks.map((sink) => sink.close?.().catch((error) => this.options.onSinkError?.(sink.name, error))),
    );
  }
}
