/**
 * Builds what every CLI command needs: settings, the AWS environment, the runner, the audit log.
 * The AWS SDK and the catalog load inside createCliContext, not at import: `--help` and commands
 * that never call AWS do not pay for them (bench/cli-start.ts measures it).
 */
import { join } from 'node:path';
import { loadSettings, type Settings, type SettingsInput } from '../config/settings.js';
import { ApprovalLedger } from '../guardrails/approvals.js';
import type { TelemetryBus } from '../telemetry/bus.js';
import { type AuditSink, JsonlAuditSink, teeAudit } from '../tools/audit.js';
import type { AwsClientFactory } from '../tools/aws/clients.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { ToolRunner } from '../tools/runner.js';
import { type AwsEnvironment, resolveAwsEnvironment } from './aws-environment.js';

export interface GlobalOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  workspace?: string;
  sandbox?: boolean;
}

export interface CliContext {
  settings: Settings;
  environment: AwsEnvironment;
  aws: AwsClientFactory;
  runner: ToolRunner;
  approvals: ApprovalLedger;
  close(): void;
}

export function settingsFrom(options: GlobalOptions): Settings {
  const input: SettingsInput = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.workspace ? { workspace: options.workspace } : {}),
  };
  return loadSettings(input);
}

/** Where a command records its calls beyond the audit log file (`tools run`: the store and the telemetry bus). */
export interface CliRecording {
  audit?: AuditSink;
  telemetry?: TelemetryBus;
}

/** `registry`: the tools the runner offers (default: the catalog; `mcp` adds external servers' tools). */
export async function createCliContext(
  options: GlobalOptions,
  registry?: ToolRegistry,
  recording: CliRecording = {},
): Promise<CliContext> {
  const base = settingsFrom(options);
  const [{ createAwsClientFactory }, { createCatalog }, { ToolRunner }] = await Promise.all([
    import('../tools/aws/clients.js'),
    import('../tools/catalog.js'),
    import('../tools/runner.js'),
  ]);
  const environment = await resolveAwsEnvironment(base, { forceSandbox: Boolean(options.sandbox) });
  const settings: Settings = {
    ...base,
    ...(environment.endpointUrl ? { endpointUrl: environment.endpointUrl } : {}),
  };
  if (environment.sandbox) {
    process.stderr.write(
      `SANDBOX: using the local AWS emulator at ${environment.endpointUrl}; nothing here touches real AWS\n`,
    );
  }
  const aws = createAwsClientFactory({
    settings,
    ...(environment.credentials ? { credentials: environment.credentials } : {}),
  });
  const approvals = new ApprovalLedger();
  const runner = new ToolRunner({
    registry: registry ?? createCatalog(),
    settings,
    aws,
    approvals,
    audit: teeAudit(new JsonlAuditSink(join(settings.dataDir, 'audit.jsonl')), recording.audit),
    ...(recording.telemetry ? { telemetry: recording.telemetry } : {}),
  });
  return { settings, environment, aws, runner, approvals, close: () => aws.destroy() };
}
