/** Telemetry as JSON log lines (pino): alerts at error, failures at warn, the rest at info. */
import type { Logger } from '../../telemetry/logger.js';
import type { TelemetrySink } from '../bus.js';
import type { TelemetryRecord } from '../events.js';

export class LogTelemetrySink implements TelemetrySink {
  readonly name = 'log';

  constructor(private readonly log: Logger) {}

  handle(event: TelemetryRecord): void {
    const line = `${event.kind} ${event.agent}/${event.phase} ${event.status}`;
    if (event.kind === 'alert') this.log.error({ telemetry: event }, line);
    else if (event.status === 'error' || event.kind === 'graph-fail')
      this.log.warn({ telemetry: event }, line);
    else this.log.info({ telemetry: event }, line);
  }
}
