/** A real tool runner wired to the shared sandbox, for tests that call tools the way the product does. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { loadSettings, type Settings, type SettingsInput } from '../../src/config/settings.js';
import { ApprovalLedger } from '../../src/guardrails/approvals.js';
import { parseKeepingSealed, type SecretSealer } from '../../src/guardrails/sealed-values.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox.js';
import { type AuditSink, MemoryAuditSink } from '../../src/tools/audit.js';
import { type AwsClientFactory, createAwsClientFactory } from '../../src/tools/aws/clients.js';
import { createCatalog } from '../../src/tools/catalog.js';
import type { ToolEnvelope } from '../../src/tools/envelope.js';
import { RateLimiter } from '../../src/tools/rate-limiter.js';
import type { ToolRegistry } from '../../src/tools/registry.js';
import { ToolRunner } from '../../src/tools/runner.js';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';

export interface ToolHarness {
  settings: Settings;
  aws: AwsClientFactory;
  runner: ToolRunner;
  approvals: ApprovalLedger;
  audit: MemoryAuditSink;
  limiter: RateLimiter;
  /** Runs a call with a person's approval of exactly that call; `onProgress` hears its progress lines. */
  approveAndRun<R = unknown>(
    tool: string,
    args: unknown,
    options?: { onProgress?: (line: string) => void },
  ): Promise<ToolEnvelope<R>>;
  /** Runs a read tool (or a write without approval, to see it refused). */
  run<R = unknown>(tool: string, args: unknown): Promise<ToolEnvelope<R>>;
  preview(tool: string, args: unknown): Promise<ToolEnvelope>;
  /** Undoes a finished call through the tool's compensate(). */
  compensate(envelope: ToolEnvelope, args: unknown): Promise<ToolEnvelope<string>>;
  close(): void;
}

export function sandboxEndpoint(): string {
  return inject('sandboxEndpoint');
}

export interface HarnessOptions {
  settings?: SettingsInput;
  endpointUrl?: string;
  registry?: ToolRegistry;
  /** A second audit sink (the store's, as the product wires it); `audit` still records every call. */
  auditSink?: AuditSink;
  /** The vault that opens sealed form values for approved calls, as the product wires it. */
  sealedValues?: Pick<SecretSealer, 'unseal'>;
}

export function createToolHarness(options: HarnessOptions = {}): ToolHarness {
  const workspace = mkdtempSync(join(tmpdir(), 'aws-copilot-ws-'));
  const settings = loadSettings(
    {
      region: 'us-east-1',
      endpointUrl: options.endpointUrl ?? sandboxEndpoint(),
      workspace,
      dataDir: join(workspace, '.data'),
      awsRequestsPerSecond: 500,
      awsMaxAttempts: 4,
      ...options.settings,
    },
    { env: {}, configPath: false },
  );
  const limiter = new RateLimiter(settings.awsRequestsPerSecond);
  const aws = createAwsClientFactory({ settings, credentials: SANDBOX_CREDENTIALS, limiter });
  const approvals = new ApprovalLedger();
  const audit = new MemoryAuditSink();
  const registry = options.registry ?? createCatalog();
  const extra = options.auditSink;
  const sink: AuditSink = extra
    ? {
        write: async (record) => {
          await audit.write(record);
          await extra.write(record);
        },
      }
    : audit;
  const runner = new ToolRunner({
    registry,
    settings,
    aws,
    approvals,
    audit: sink,
    ...(options.sealedValues ? { sealedValues: options.sealedValues } : {}),
  });
  return {
    settings,
    aws,
    runner,
    approvals,
    audit,
    limiter,
    approveAndRun: (tool, args, options = {}) => {
      const approval = approvals.grant({
        grantedBy: 'test-person',
        channel: 'cli-prompt',
        calls: [{ tool, args: parsedArgs(registry, tool, args) }],
      });
      return runner.call({ tool, args, approval, ...options });
    },
    run: (tool, args) => runner.call({ tool, args }),
    preview: (tool, args) => runner.call({ tool, args, mode: 'preview' }),
    compensate: (envelope, args) =>
      runner.compensate({
        tool: envelope.action,
        // The plan approval that allowed the call also allows undoing it.
        approval: approvals.grant({
          grantedBy: 'test-person',
          channel: 'cli-prompt',
          calls: [{ tool: envelope.action, args: parsedArgs(registry, envelope.action, args) }],
        }),
        input: {
          args,
          ...(envelope.status === 'ok' ? { result: envelope.result } : {}),
          created: envelope.created,
        },
      }),
    close: () => aws.destroy(),
  };
}

/**
 * Runs `work` with a harness whose AWS requests pass through a fresh fault proxy in front of the
 * sandbox, and closes both afterwards whatever happens.
 */
export async function withProxiedHarness<T>(
  work: (harness: ToolHarness, proxy: FaultProxy) => Promise<T>,
  options: Omit<HarnessOptions, 'endpointUrl'> = {},
): Promise<T> {
  const proxy = await startFaultProxy(sandboxEndpoint());
  const harness = createToolHarness({ ...options, endpointUrl: proxy.endpointUrl });
  try {
    return await work(harness, proxy);
  } finally {
    harness.close();
    await proxy.close();
  }
}

/** Approvals name the validated call (defaults filled in, secrets sealed), exactly as the runner will see it. */
function parsedArgs(registry: ToolRegistry, tool: string, args: unknown): unknown {
  const definition = registry.get(tool);
  if (!definition) return args;
  const parsed = parseKeepingSealed(definition.input, args);
  return parsed.success ? parsed.data : args;
}
