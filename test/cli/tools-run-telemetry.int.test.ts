/**
 * `aws-copilot tools run` is observed like the agents' tool calls: each run gets a session (its
 * id printed, or given with --session) that `aws-copilot audit --session` prints, JSON log lines
 * with latency, error code and correlation id, OpenTelemetry spans over OTLP, and a webhook alert
 * when the policy refuses the call.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditTrail } from '../../src/telemetry/audit-trail.js';
import type { TelemetryRecord } from '../../src/telemetry/events.js';
import { cliEnvironment, runCli } from '../helpers/cli.js';
import { sandboxEndpoint } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { type HttpReceiver, startHttpReceiver } from '../telemetry/http-receiver.js';

/** The telemetry events among the JSON log lines a run wrote to stderr. */
function telemetryOf(stderr: string): TelemetryRecord[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      const parsed = JSON.parse(line) as { telemetry?: TelemetryRecord };
      return parsed.telemetry ? [parsed.telemetry] : [];
    });
}

const sessionOf = (stderr: string) => /^session (\S+) /m.exec(stderr)?.[1];

describe('tools run on the telemetry bus and the audit trail', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-tools-telemetry-'));
  const policy = join(dataDir, 'policy.json');
  let receiver: HttpReceiver;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    writeFileSync(
      policy,
      JSON.stringify({
        version: 1,
        rules: [
          {
            id: 'deny-forbidden-buckets',
            effect: 'deny',
            reason_code: 'FORBIDDEN_BUCKET',
            reason: 'buckets named forbidden-* are managed elsewhere',
            match: { tool: 'create_bucket', args: [{ path: 'bucket_name', regex: '^forbidden-' }] },
          },
        ],
      }),
    );
    env = cliEnvironment({
      AWS_ENDPOINT_URL: sandboxEndpoint(),
      AWS_COPILOT_DATA_DIR: dataDir,
      AWS_COPILOT_AWS_RPS: '50',
      AWS_COPILOT_USER: 'tess',
      AWS_COPILOT_VECTOR_DIMENSIONS: '8',
      AWS_COPILOT_LOG_LEVEL: 'info',
      AWS_COPILOT_POLICY_FILE: policy,
      AWS_COPILOT_ALERT_WEBHOOK_URL: `${receiver.url}/hooks/cli`,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    });
  });
  afterAll(() => receiver.close());

  it('records a read in a new session: log lines, OTLP spans, and the audit trail of that session', async () => {
    const result = await runCli(['tools', 'run', 'get_caller_identity'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'ok' });
    const sessionId = sessionOf(result.stderr) as string;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const events = telemetryOf(result.stderr);
    const call = events.find((event) => event.kind === 'tool-call');
    expect(call).toMatchObject({
      session_id: sessionId,
      agent: 'person',
      phase: 'get_caller_identity',
      status: 'ok',
      error_code: null,
    });
    expect(call?.latency_ms).toEqual(expect.any(Number));
    expect(call?.correlation_id).toMatch(/^tools-run:/);
    expect(events.map((event) => event.kind)).toEqual(['graph-start', 'tool-call', 'graph-end']);
    expect(new Set(events.map((event) => event.correlation_id))).toEqual(new Set([call?.correlation_id]));
    expect(receiver.posts.some((post) => post.path === '/v1/traces')).toBe(true);

    const audit = await runCli(['audit', '--session', sessionId, '--json'], env);
    expect(audit.code).toBe(0);
    const trail = JSON.parse(audit.stdout) as AuditTrail;
    expect(trail.entries).toEqual([
      expect.objectContaining({
        tool: 'get_caller_identity',
        mode: 'run',
        outcome: 'ok',
        correlation_id: call?.correlation_id,
        aws_calls: [
          expect.objectContaining({ action: 'sts:GetCallerIdentity', request_id: expect.any(String) }),
        ],
      }),
    ]);
  });

  it('adds later runs to a session given with --session, failures with their error code', async () => {
    const sessionId = uniqueName('cli-session');
    const bucket = uniqueName('cli-telemetry');
    const created = await runCli(
      [
        'tools',
        'run',
        'create_bucket',
        '--args',
        JSON.stringify({ bucket_name: bucket }),
        '--yes',
        '--session',
        sessionId,
      ],
      env,
    );
    expect(created.code).toBe(0);
    expect(sessionOf(created.stderr)).toBe(sessionId);
    const missing = await runCli(
      [
        'tools',
        'run',
        'get_lambda_function',
        '--args',
        JSON.stringify({ function_name: uniqueName('absent') }),
        '--session',
        sessionId,
      ],
      env,
    );
    expect(missing.code).toBe(1);
    const failed = telemetryOf(missing.stderr).find((event) => event.kind === 'tool-call');
    expect(failed).toMatchObject({
      session_id: sessionId,
      status: 'error',
      error_code: 'ResourceNotFoundException',
    });

    const audit = await runCli(['audit', '--session', sessionId], env);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/run\s+create_bucket {2}ok/);
    expect(audit.stdout).toMatch(/approval [\w-]+: approved by \S+ via cli-flag at /);
    expect(audit.stdout).toMatch(/run\s+get_lambda_function {2}error \(ResourceNotFoundException\)/);
    expect(audit.stdout).toMatch(/AWS s3:CreateBucket {2}request/);
  });

  it('alerts the webhook when the policy refuses the call', async () => {
    const before = receiver.posts.filter((post) => post.path === '/hooks/cli').length;
    const refused = await runCli(
      [
        'tools',
        'run',
        'create_bucket',
        '--args',
        JSON.stringify({ bucket_name: uniqueName('forbidden') }),
        '--yes',
      ],
      env,
    );
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'policy_denied' } });
    const alerts = receiver.posts.filter((post) => post.path === '/hooks/cli').slice(before);
    expect(alerts).toHaveLength(1);
    expect((alerts[0]?.json as { text?: string } | undefined)?.text).toMatch(
      /^aws-copilot: Compliance blocked a plan: aws-copilot tools run create_bucket was refused: .*deny-forbidden-buckets/,
    );
  });

  it('explains a bad --session value', async () => {
    const bad = await runCli(['tools', 'run', 'get_caller_identity', '--session', 'no spaces please'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--session must be a session id/);
  });
});
