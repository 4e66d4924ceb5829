import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadSettings } from '../config/settings.js';
import { ApprovalLedger } from '../guardrails/approvals.js';
import { MemoryAuditSink } from './audit.js';
import { createAwsClientFactory } from './aws/clients.js';
import { defineTool, readOnlyPreview } from './define-tool.js';
import { ToolRegistry } from './registry.js';
import { type RoleGrant, ToolRunner } from './runner.js';

/** A write tool that records what it did, so tests see whether it really ran. */
function recordingTools() {
  const runs: unknown[] = [];
  const compensations: unknown[] = [];
  const createThing = defineTool({
    name: 'create_thing',
    description: 'creates a thing',
    input: z.strictObject({
      name: z.string().regex(/^[a-z]+$/, 'lowercase letters only'),
      count: z.int().default(1),
    }),
    risk: 'write',
    riskOf: (args) => (args.count === 0 ? 'destructive' : 'write'),
    iam: ['thing:Create'],
    preview: async (args) => ({
      summary: `create ${args.name}`,
      method: 'describe-diff',
      changes: [{ kind: 'create', resource: args.name }],
      warnings: [],
    }),
    run: async (args, context) => {
      runs.push(args);
      context.created({ type: 'thing', id: args.name });
      if (args.name === 'broken') throw new Error('failed half way');
      return { name: args.name, secret_token: 'tok-123456789' };
    },
    compensate: async (input) => {
      compensations.push(input);
      return `removed ${input.created.map((resource) => resource.id).join(',')}`;
    },
  });
  const slowRead = defineTool({
    name: 'slow_read',
    description: 'waits',
    input: z.strictObject({ ms: z.int() }),
    risk: 'read',
    iam: [],
    preview: async () => readOnlyPreview('wait'),
    run: async (args, context) => {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, args.ms);
        context.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(context.signal.reason);
        });
      });
      return 'done';
    },
  });
  return { runs, compensations, tools: [createThing, slowRead] };
}

function makeRunner(overrides: { toolTimeoutMs?: number; toolConcurrency?: number } = {}) {
  const settings = loadSettings(
    { workspace: '/tmp', dataDir: '/tmp/runner-test', ...overrides },
    { env: {}, configPath: false },
  );
  const fixture = recordingTools();
  const approvals = new ApprovalLedger();
  const audit = new MemoryAuditSink();
  const runner = new ToolRunner({
    registry: new ToolRegistry(fixture.tools),
    settings,
    aws: createAwsClientFactory({
      settings,
      credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }),
    }),
    approvals,
    audit,
  });
  return { runner, approvals, audit, ...fixture };
}

describe('ToolRunner guardrails', () => {
  it('refuses a write call without an approval and does not run it', async () => {
    const { runner, runs, audit } = makeRunner();
    const envelope = await runner.call({ tool: 'create_thing', args: { name: 'alpha' } });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    expect(runs).toHaveLength(0);
    expect(audit.records[0]).toMatchObject({ tool: 'create_thing', outcome: 'denied' });
  });

  it('refuses a forged approval object and one for different arguments', async () => {
    const { runner, approvals, runs } = makeRunner();
    const real = approvals.grant({
      grantedBy: 'ann',
      channel: 'cli-prompt',
      calls: [{ tool: 'create_thing', args: { name: 'alpha', count: 1 } }],
    });
    const forged = JSON.parse(JSON.stringify(real));
    expect(
      (await runner.call({ tool: 'create_thing', args: { name: 'alpha' }, approval: forged })).status,
    ).toBe('error');
    expect((await runner.call({ tool: 'create_thing', args: { name: 'beta' }, approval: real })).status).toBe(
      'error',
    );
    expect(runs).toHaveLength(0);
    expect(
      (await runner.call({ tool: 'create_thing', args: { name: 'alpha' }, approval: real })).status,
    ).toBe('ok');
    expect(runs).toHaveLength(1);
  });

  it('enforces a role allow-list before anything else', async () => {
    const { runner, approvals, runs, audit } = makeRunner();
    const role: RoleGrant = { name: 'validator', tools: new Set(['slow_read']) };
    const approval = approvals.grant({
      grantedBy: 'ann',
      channel: 'ui',
      calls: [{ tool: 'create_thing', args: { name: 'alpha', count: 1 } }],
    });
    const envelope = await runner.call({ tool: 'create_thing', args: { name: 'alpha' }, role, approval });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'role_denied' } });
    expect(runs).toHaveLength(0);
    expect(audit.records[0]).toMatchObject({ role: 'validator', outcome: 'denied' });
  });

  it('names the failing field of invalid input', async () => {
    const { runner } = makeRunner();
    const envelope = await runner.call({ tool: 'create_thing', args: { name: 'ABC', extra: 1 } });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'invalid_input', field: 'name' } });
    if (envelope.status === 'error') expect(envelope.error.message).toMatch(/name: lowercase letters only/);
  });

  it('answers an unknown tool with the way to list the catalog', async () => {
    const { runner } = makeRunner();
    const envelope = await runner.call({ tool: 'drop_database', args: {} });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'unknown_tool' } });
  });

  it('raises the risk from the arguments: an approval is still needed and the audit says destructive', async () => {
    const { runner, audit } = makeRunner();
    expect(runner.riskOf('create_thing', { name: 'alpha', count: 0 })).toBe('destructive');
    await runner.call({ tool: 'create_thing', args: { name: 'alpha', count: 0 } });
    expect(audit.records[0]?.risk).toBe('destructive');
  });

  it('keeps what a failed call created, and undoes it only under the approval of that call', async () => {
    const { runner, approvals, compensations } = makeRunner();
    const args = { name: 'broken', count: 1 };
    const approval = approvals.grant({
      grantedBy: 'ann',
      channel: 'ui',
      calls: [{ tool: 'create_thing', args }],
    });
    const envelope = await runner.call({ tool: 'create_thing', args, approval });
    expect(envelope).toMatchObject({ status: 'error', created: [{ type: 'thing', id: 'broken' }] });
    const unapproved = await runner.compensate({
      tool: 'create_thing',
      input: { args, created: envelope.created },
    });
    expect(unapproved).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    expect(compensations).toHaveLength(0);
    const undo = await runner.compensate({
      tool: 'create_thing',
      input: { args, created: envelope.created },
      approval,
    });
    expect(undo).toMatchObject({ status: 'ok', result: 'removed broken', mode: 'compensate' });
    expect(compensations).toHaveLength(1);
  });

  it('times out a call that runs too long', async () => {
    const { runner } = makeRunner({ toolTimeoutMs: 1000 });
    const envelope = await runner.call({ tool: 'slow_read', args: { ms: 60_000 } });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'timeout', retryable: true } });
  });

  it('never lets more calls run at once than the concurrency cap', async () => {
    const { runner } = makeRunner({ toolConcurrency: 2 });
    let peak = 0;
    const watcher = setInterval(() => {
      peak = Math.max(peak, (runner as unknown as { semaphore: { inUse: number } }).semaphore.inUse);
    }, 1);
    await Promise.all(Array.from({ length: 6 }, () => runner.call({ tool: 'slow_read', args: { ms: 30 } })));
    clearInterval(watcher);
    expect(peak).toBe(2);
  });

  it('redacts secrets from audited arguments', async () => {
    const { runner, audit } = makeRunner();
    await runner.call({ tool: 'create_thing', args: { name: 'AKIAABCDEFGHIJKLMNOP' } });
    expect(JSON.stringify(audit.records)).not.toContain('AKIAABCDEFGHIJKLMNOP');
  });
});
