/** Builds what every CLI command needs: settings, the AWS environment, the runner, the audit log. */
import { join } from 'node:path';
import { loadSettings, type Settings, type SettingsInput } from '../config/settings.js';
import { ApprovalLedger } from '../guardrails/approvals.js';
import { JsonlAuditSink } from '../tools/audit.js';
import { type AwsClientFactory, createAwsClientFactory } from '../tools/aws/clients.js';
import { createCatalog } from '../tools/catalog.js';
import type { ToolRegistry } from '../tools/registry.js';
import { ToolRunner } from '../tools/runner.js';
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

/** `registry`: the tools the runner offers (default: the catalog; `mcp` adds external servers' tools). */
export async function createCliContext(
  options: GlobalOptions,
  registry: ToolRegistry = createCatalog(),
): Promise<CliContext> {
  const base = settingsFrom(options);
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
    registry,
    settings,
    aws,
    approvals,
    audit: new JsonlAuditSink(join(settings.dataDir, 'audit.jsonl')),
  });
  return { settings, environment, aws, runner, approvals, close: () => aws.destroy() };
}
