import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadSettings } from '../config/settings.js';
import { CopilotError } from '../errors/copilot-error.js';
import { ApprovalLedger } from '../guardrails/approvals.js';
import { MASK } from '../guardrails/redaction.js';
import type { SealedValue } from '../guardrails/sealed-values.js';
import { MemoryAuditSink } from './audit.js';
import { createAwsClientFactory } from './aws/clients.js';
import { defineTool, readOnlyPreview } from './define-tool.js';
import { ToolRegistry } from './registry.js';
import { ToolRunner } from './runner.js';

const VAULT: Record<string, string> = { 'sealed:key': 'sk_live_clear', 'sealed:other': 'another-value' };

/** A vault stand-in: opens its own references for their owner, refuses anything else. */
function recordingSealer() {
  const opened: Array<{ userId: string; id: string }> = [];
  return {
    opened,
    unseal: async (userId: string, sealed: SealedValue) => {
      opened.push({ userId, id: sealed.$sealed });
      const clear = userId === 'ann' ? VAULT[sealed.$sealed] : undefined;
      if (clear === undefined)
        throw new CopilotError('vault_locked', `the sealed value ${sealed.$sealed} failed authentication`);
      return clear;
    },
  };
}

function setup(options: { withSealer?: boolean } = {}) {
  const settings = loadSettings(
    { workspace: '/tmp', dataDir: '/tmp/call-args-test' },
    { env: {}, configPath: false },
  );
  const received: Array<{ mode: string; args: unknown }> = [];
  const environment = z.record(z.string(), z.string().max(64));
  const deploy = defineTool({
    name: 'deploy_thing',
    description: 'deploys with an environment',
    input: z.strictObject({
      name: z.string(),
      environment: environment.optional(),
      memory: z.int().default(128),
    }),
    risk: 'write',
    iam: [],
    preview: async (args) => {
      received.push({ mode: 'preview', args });
      return { summary: `deploy ${args.name}`, method: 'describe-diff', changes: [], warnings: [] };
    },
    run: async (args) => {
      received.push({ mode: 'run', args });
      return { name: args.name };
    },
    compensate: async () => 'removed',
  });
  const echo = defineTool({
    name: 'echo_thing',
    description: 'reads something back',
    input: z.strictObject({ text: z.string() }),
    risk: 'read',
    iam: [],
    preview: async () => readOnlyPreview('echo'),
    run: async (args) => {
      received.push({ mode: 'run', args });
      return args.text;
    },
  });
  const sealer = recordingSealer();
  const approvals = new ApprovalLedger();
  const audit = new MemoryAuditSink();
  const runner = new ToolRunner({
    registry: new ToolRegistry([deploy, echo]),
    settings,
    aws: createAwsClientFactory({
      settings,
      credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }),
    }),
    approvals,
    audit,
    ...(options.withSealer === false ? {} : { sealedValues: sealer }),
  });
  const approve = (args: unknown) =>
    approvals.grant({
      grantedBy: 'ann',
      channel: 'chat',
      calls: [{ tool: 'deploy_thing', args: runner.approvalArgs('deploy_thing', args) }],
    });
  return { runner, received, sealer, audit, approve };
}

const sealedArgs = { name: 'shop', environment: { API_KEY: { $sealed: 'sealed:key' }, MODE: 'prod' } };

describe('sealed values in tool calls', () => {
  it('opens them just before an approved call runs; the audit trail keeps the mask', async () => {
    const { runner, received, sealer, audit, approve } = setup();
    const envelope = await runner.call({
      tool: 'deploy_thing',
      args: sealedArgs,
      userId: 'ann',
      approval: approve(sealedArgs),
    });
    expect(envelope.status).toBe('ok');
    expect(received).toEqual([
      {
        mode: 'run',
        args: { name: 'shop', environment: { API_KEY: 'sk_live_clear', MODE: 'prod' }, memory: 128 },
      },
    ]);
    expect(sealer.opened).toEqual([{ userId: 'ann', id: 'sealed:key' }]);
    expect(audit.records[0]?.args).toEqual({
      name: 'shop',
      environment: { API_KEY: MASK, MODE: 'prod' },
      memory: 128,
    });
  });

  it('binds the approval to the sealed form: another reference is another call', async () => {
    const { runner, received, sealer, approve } = setup();
    const swapped = {
      ...sealedArgs,
      environment: { ...sealedArgs.environment, API_KEY: { $sealed: 'sealed:other' } },
    };
    const envelope = await runner.call({
      tool: 'deploy_thing',
      args: swapped,
      userId: 'ann',
      approval: approve(sealedArgs),
    });
    expect(envelope.status === 'error' && envelope.error.code).toBe('approval_required');
    expect(received).toEqual([]);
    expect(sealer.opened).toEqual([]);
  });

  it('refuses to run when a value fails to open, naming where it was', async () => {
    const { runner, received, approve } = setup();
    const envelope = await runner.call({
      tool: 'deploy_thing',
      args: sealedArgs,
      userId: 'bob',
      approval: approve(sealedArgs),
    });
    expect(envelope.status === 'error' && envelope.error).toMatchObject({
      code: 'vault_locked',
      message: expect.stringMatching(
        /^environment\.API_KEY: the sealed value sealed:key failed authentication/,
      ),
    });
    expect(received).toEqual([]);
  });

  it('shows previews the mask, never the value', async () => {
    const { runner, received, sealer } = setup();
    const envelope = await runner.call({
      tool: 'deploy_thing',
      args: sealedArgs,
      userId: 'ann',
      mode: 'preview',
    });
    expect(envelope.status).toBe('ok');
    expect(received).toEqual([
      { mode: 'preview', args: { name: 'shop', environment: { API_KEY: MASK, MODE: 'prod' }, memory: 128 } },
    ]);
    expect(sealer.opened).toEqual([]);
  });

  it('never opens one for a call nobody approved, even a read', async () => {
    const { runner, received, sealer } = setup();
    const envelope = await runner.call({
      tool: 'echo_thing',
      args: { text: { $sealed: 'sealed:key' } },
      userId: 'ann',
    });
    expect(envelope.status === 'error' && envelope.error.code).toBe('approval_required');
    expect(received).toEqual([]);
    expect(sealer.opened).toEqual([]);
  });

  it('says so when no vault is there to open them', async () => {
    const { runner, approve } = setup({ withSealer: false });
    const envelope = await runner.call({
      tool: 'deploy_thing',
      args: sealedArgs,
      userId: 'ann',
      approval: approve(sealedArgs),
    });
    expect(envelope.status === 'error' && envelope.error.code).toBe('vault_locked');
  });
});
