/**
 * The product's telemetry bus from the settings: the store and the JSON log always, OpenTelemetry
 * when an OTLP endpoint is configured, the alert webhook when a URL is. The OpenTelemetry SDK is
 * loaded only when it is used.
 */
import type { Settings } from '../config/settings.js';
import type { TelemetryRepository } from '../store/ports.js';
import { TelemetryBus } from './bus.js';
import { type Logger, logger as processLogger } from './logger.js';
import { LogTelemetrySink } from './sinks/log-sink.js';
import { StoreTelemetrySink } from './sinks/store-sink.js';
import { WebhookAlertSink } from './sinks/webhook-sink.js';

export interface CreateTelemetryOptions {
  settings: Pick<Settings, 'otlpEndpoint' | 'alertWebhookUrl'>;
  /** The store's telemetry repository; absent for commands that keep no store open. */
  telemetry?: TelemetryRepository;
  log?: Logger;
}

export async function createTelemetry(options: CreateTelemetryOptions): Promise<TelemetryBus> {
  const log = options.log ?? processLogger;
  const bus = new TelemetryBus([], {
    onSinkError: (sink, error) =>
      sink === 'log'
        ? undefined
        : log.warn({ sink, error: (error as Error).message }, 'telemetry sink failed'),
  });
  if (options.telemetry) bus.add(new StoreTelemetrySink(options.telemetry));
  bus.add(new LogTelemetrySink(log));
  const { otlpEndpoint, alertWebhookUrl } = options.settings;
  if (otlpEndpoint) {
    const { OtelTelemetrySink } = await import('./sinks/otel-sink.js');
    bus.add(new OtelTelemetrySink({ endpoint: otlpEndpoint }));
  }
  if (alertWebhookUrl) {
    bus.add(
      new WebhookAlertSink(alertWebhookUrl, {
        onError: (error) => log.warn({ error: (error as Error).message }, 'alert webhook failed'),
      }),
    );
  }
  return bus;
}

const fallbacks = new WeakMap<TelemetryRepository, TelemetryBus>();

/**
 * The bus of a runtime; a runtime assembled without one (tests, embedders) gets the store and
 * log sinks, one bus per store.
 */
export function telemetryFor(runtime: {
  telemetry?: TelemetryBus;
  store: { telemetry: TelemetryRepository };
}) {
  if (runtime.telemetry) return runtime.telemetry;
  let bus = fallbacks.get(runtime.store.telemetry);
  if (!bus) {
    bus = new TelemetryBus([
      new StoreTelemetrySink(runtime.store.telemetry),
      new LogTelemetrySink(processLogger),
    ]);
    fallbacks.set(runtime.store.telemetry, bus);
  }
  return bus;
}
