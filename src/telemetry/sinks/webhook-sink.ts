/**
 * Critical alerts (a failed deployment, a compliance block, a failed ECS repair or its failed
 * verification) to a Slack-compatible incoming webhook
 * (setting alertWebhookUrl / AWS_COPILOT_ALERT_WEBHOOK_URL): `{ text, blocks }`. Posts are queued,
 * so an alert never slows the workflow it reports; `flush` waits for them.
 */
import type { TelemetrySink } from '../bus.js';
import type { TelemetryRecord } from '../events.js';

export interface WebhookPayload {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

const TITLES: Record<string, string> = {
  'deployment-failure': 'Deployment failed',
  'compliance-block': 'Compliance blocked a plan',
  'ecs-repair-failure': 'ECS repair failed',
};

export function alertPayload(event: TelemetryRecord): WebhookPayload {
  const title = TITLES[event.phase] ?? event.phase;
  const summary = String(event.attributes.summary ?? `${event.agent}/${event.phase} ${event.status}`);
  const context = [
    event.session_id ? `session \`${event.session_id}\`` : undefined,
    event.correlation_id ? `run \`${event.correlation_id}\`` : undefined,
    typeof event.attributes.deployment_id === 'string'
      ? `deployment \`${event.attributes.deployment_id}\``
      : undefined,
    typeof event.attributes.reason_code === 'string'
      ? `reason \`${event.attributes.reason_code}\``
      : undefined,
    event.at,
  ].filter(Boolean);
  return {
    text: `aws-copilot: ${title}: ${summary}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `aws-copilot: ${title}`.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: summary.slice(0, 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] },
    ],
  };
}

export class WebhookAlertSink implements TelemetrySink {
  readonly name = 'webhook';
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly url: string,
    private readonly options: { timeoutMs?: number; onError?: (error: unknown) => void } = {},
  ) {}

  handle(event: TelemetryRecord): void {
    if (event.kind !== 'alert') return;
    const post = this.post(alertPayload(event)).finally(() => this.pending.delete(post));
    this.pending.add(post);
  }

  private async post(payload: WebhookPayload): Promise<void> {
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`the alert webhook answered ${response.status}`);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
