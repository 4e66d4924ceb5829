/**
 * Traces and metrics over OTLP/HTTP when an endpoint is configured (setting otlpEndpoint /
 * OTEL_EXPORTER_OTLP_ENDPOINT). Each workflow run is one trace (its id derived from the
 * correlation id, so a run paused for approval and resumed later stays one trace); each graph
 * invocation, node and tool call is a span in it. Metrics count events and record latencies.
 */
import { createHash } from 'node:crypto';
import {
  type Attributes,
  type Context,
  type Counter,
  type Histogram,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TelemetrySink } from '../bus.js';
import type { TelemetryRecord } from '../events.js';

export interface OtelSinkOptions {
  /** Base URL of the OTLP/HTTP receiver, e.g. http://127.0.0.1:4318; /v1/traces and /v1/metrics are added. */
  endpoint: string;
  serviceName?: string;
  /** How often metrics are pushed (default 30 s); `flush` pushes at once. */
  metricIntervalMs?: number;
}

interface OpenSpan {
  span: Span;
  context: Context;
}

/** A stable remote parent, so every span of one correlation id lands in the same trace. */
function rootContext(correlationId: string): Context {
  const digest = createHash('sha256').update(correlationId).digest('hex');
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: digest.slice(0, 32),
    spanId: digest.slice(32, 48),
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
}

function attributesOf(event: TelemetryRecord): Attributes {
  const attributes: Attributes = {
    'aws_copilot.kind': event.kind,
    'aws_copilot.agent': event.agent,
    'aws_copilot.phase': event.phase,
    'aws_copilot.status': event.status,
  };
  if (event.session_id) attributes['aws_copilot.session_id'] = event.session_id;
  if (event.correlation_id) attributes['aws_copilot.correlation_id'] = event.correlation_id;
  if (event.error_code) attributes['aws_copilot.error_code'] = event.error_code;
  if (event.latency_ms !== null) attributes['aws_copilot.latency_ms'] = event.latency_ms;
  for (const [key, value] of Object.entries(event.attributes)) {
    if (['string', 'number', 'boolean'].includes(typeof value))
      attributes[`aws_copilot.${key}`] = value as string | number | boolean;
  }
  return attributes;
}

export class OtelTelemetrySink implements TelemetrySink {
  readonly name = 'opentelemetry';
  private readonly tracerProvider: BasicTracerProvider;
  private readonly meterProvider: MeterProvider;
  private readonly tracer;
  private readonly events: Counter;
  private readonly latency: Histogram;
  private readonly alerts: Counter;
  private readonly graphs = new Map<string, OpenSpan>();
  private readonly nodes = new Map<string, OpenSpan>();

  constructor(options: OtelSinkOptions) {
    const base = options.endpoint.replace(/\/+$/, '');
    const resource = resourceFromAttributes({ 'service.name': options.serviceName ?? 'aws-copilot' });
    this.tracerProvider = new BasicTracerProvider({
      resource,
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces` }))],
    });
    this.meterProvider = new MeterProvider({
      resource,
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }),
          exportIntervalMillis: options.metricIntervalMs ?? 30_000,
        }),
      ],
    });
    this.tracer = this.tracerProvider.getTracer('aws-copilot');
    const meter = this.meterProvider.getMeter('aws-copilot');
    this.events = meter.createCounter('aws_copilot.events', {
      description: 'telemetry events by kind and status',
    });
    this.latency = meter.createHistogram('aws_copilot.latency', {
      description: 'latency of graph runs, nodes and tool calls',
      unit: 'ms',
    });
    this.alerts = meter.createCounter('aws_copilot.alerts', { description: 'critical alerts raised' });
  }

  handle(event: TelemetryRecord): void {
    const metricAttributes = {
      kind: event.kind,
      agent: event.agent,
      phase: event.phase,
      status: event.status,
    };
    this.events.add(1, metricAttributes);
    if (event.latency_ms !== null) this.latency.record(event.latency_ms, metricAttributes);
    const run = event.correlation_id ?? event.session_id ?? 'no-session';
    const at = new Date(event.at);
    switch (event.kind) {
      case 'graph-start': {
        const parent = rootContext(run);
        const span = this.tracer.startSpan(
          `graph ${event.phase}`,
          { kind: SpanKind.INTERNAL, startTime: at, attributes: attributesOf(event) },
          parent,
        );
        this.graphs.set(run, { span, context: trace.setSpan(parent, span) });
        return;
      }
      case 'node-start': {
        const parent = this.graphs.get(run)?.context ?? rootContext(run);
        const span = this.tracer.startSpan(
          `node ${event.phase}`,
          { startTime: at, attributes: attributesOf(event) },
          parent,
        );
        this.nodes.set(`${run}|${event.phase}`, { span, context: trace.setSpan(parent, span) });
        return;
      }
      case 'node-end': {
        const key = `${run}|${event.phase}`;
        const open = this.nodes.get(key) ?? this.startedBefore(event, run, `node ${event.phase}`);
        this.nodes.delete(key);
        this.finish(open.span, event, at);
        return;
      }
      case 'tool-call': {
        const node = typeof event.attributes.node === 'string' ? event.attributes.node : undefined;
        const parent = (node ? this.nodes.get(`${run}|${node}`) : undefined) ?? this.graphs.get(run);
        const span = this.startedBefore(event, run, `tool ${event.phase}`, parent?.context).span;
        this.finish(span, event, at);
        return;
      }
      case 'alert': {
        this.alerts.add(1, { alert: event.phase });
        const graph = this.graphs.get(run);
        if (graph) graph.span.addEvent(`alert ${event.phase}`, attributesOf(event), at);
        else this.finish(this.startedBefore(event, run, `alert ${event.phase}`).span, event, at);
        return;
      }
      case 'graph-end':
      case 'graph-fail': {
        for (const [key, open] of this.nodes) {
          if (!key.startsWith(`${run}|`)) continue;
          open.span.end(at);
          this.nodes.delete(key);
        }
        const graph = this.graphs.get(run) ?? this.startedBefore(event, run, `graph ${event.phase}`);
        this.graphs.delete(run);
        this.finish(graph.span, event, at);
        return;
      }
    }
  }

  /** A span for an event that only reports its end: it started `latency_ms` earlier. */
  private startedBefore(event: TelemetryRecord, run: string, name: string, parent?: Context): OpenSpan {
    const end = new Date(event.at).getTime();
    const context = parent ?? this.graphs.get(run)?.context ?? rootContext(run);
    const span = this.tracer.startSpan(
      name,
      { startTime: new Date(end - (event.latency_ms ?? 0)), attributes: attributesOf(event) },
      context,
    );
    return { span, context: trace.setSpan(context, span) };
  }

  private finish(span: Span, event: TelemetryRecord, at: Date): void {
    span.setAttributes(attributesOf(event));
    if (event.status === 'error' || event.kind === 'graph-fail' || event.status === 'denied')
      span.setStatus({ code: SpanStatusCode.ERROR, message: event.error_code ?? event.status });
    else span.setStatus({ code: SpanStatusCode.OK });
    span.end(at);
  }

  async flush(): Promise<void> {
    await Promise.all([this.tracerProvider.forceFlush(), this.meterProvider.forceFlush()]);
  }

  async close(): Promise<void> {
    await Promise.all([this.tracerProvider.shutdown(), this.meterProvider.shutdown()]);
  }
}
