/**
 * `aws-copilot audit --session ID` and `aws-copilot iam-policy --plan PLAN` on a store a real
 * deployment by chat wrote: each AWS call with its request id, tied to the plan hash and the
 * person's approval; the least-privilege policy of that plan.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openPGliteStore } from '../../src/store/pglite/open-pglite-store.js';
import type { AuditTrail } from '../../src/telemetry/audit-trail.js';
import { createExecutionRole } from '../aws/lambda-fixtures.js';
import { makeBackendRepo } from '../guardrails/observed-session.js';
import { createAgentHarness } from '../helpers/agent-harness.js';
import { cliEnvironment, runCli } from '../helpers/cli.js';
import { uniqueName } from '../helpers/unique-name.js';

describe('audit and iam-policy commands', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-audit-'));
  const env = cliEnvironment({
    AWS_COPILOT_DATA_DIR: dataDir,
    AWS_COPILOT_USER: 'ann',
    AWS_COPILOT_VECTOR_DIMENSIONS: '8',
  });
  let sessionId: string;
  let planHash: string;
  let deploymentId: string;

  beforeAll(async () => {
    const store = await openPGliteStore({ directory: join(dataDir, 'store'), vectorDimensions: 8 });
    const harness = await createAgentHarness({ store, userId: 'ann' });
    try {
      const role = await createExecutionRole();
      makeBackendRepo(harness.tools, 'audited');
      const first = await harness.send(
        `deploy ./audited to us-east-1 on lambda with role ${role} as app ${uniqueName('audited')}`,
      );
      sessionId = first.sessionId;
      const approval = harness.last('approval-request');
      planHash = approval.plan_hash;
      await harness.answer(sessionId, { kind: 'approval', plan_hash: planHash, decision: 'approve' });
      const end = harness.last('deployment-end');
      expect(end.status).toBe('succeeded');
      deploymentId = end.deployment_id;
    } finally {
      await harness.close();
      await store.close();
    }
  });

  it('prints each AWS call of the session with its request id, plan hash and approval', async () => {
    const text = await runCli(['audit', '--session', sessionId], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Audit trail of session ${sessionId}`);
    expect(text.stdout).toMatch(/run\s+deploy_lambda_repo {2}ok/);
    expect(text.stdout).toContain(`plan ${planHash}`);
    expect(text.stdout).toMatch(/approved by ann via chat/);
    expect(text.stdout).toMatch(/AWS lambda:CreateFunction {2}request [\w-]+ {2}HTTP 201/);

    const json = await runCli(['audit', '--session', sessionId, '--json'], env);
    const trail = JSON.parse(json.stdout) as AuditTrail;
    const runs = trail.entries.filter((entry) => entry.mode === 'run' && entry.risk !== 'read');
    expect(runs.map((entry) => entry.tool)).toEqual(['deploy_lambda_repo']);
    const [run] = runs;
    expect(run).toMatchObject({
      plan_hash: planHash,
      approval: { decision: 'approved', by: 'ann', channel: 'chat' },
      correlation_id: deploymentId,
    });
    expect(run?.approval_id).toBeTruthy();
    expect(run?.resource_ids.length).toBeGreaterThan(0);
    expect(run?.aws_calls.map((call) => call.action)).toContain('lambda:CreateFunction');
    expect(run?.aws_calls.every((call) => call.request_id)).toBe(true);
    // The previews and reads of the same session are in the trail too, without approvals.
    expect(
      trail.entries.some((entry) => entry.mode === 'preview' && entry.tool === 'deploy_lambda_repo'),
    ).toBe(true);
    expect(trail.entries.some((entry) => entry.tool === 'repo_reader')).toBe(true);
  });

  it('refuses an unknown session', async () => {
    const result = await runCli(['audit', '--session', 'no-such-session'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no session no-such-session of user ann/);
  });

  it('prints the least-privilege policy of a stored deployment plan', async () => {
    const result = await runCli(['iam-policy', '--plan', deploymentId], env);
    expect(result.code).toBe(0);
    const policy = JSON.parse(result.stdout) as { Statement: Array<{ Action: string[] }> };
    const actions = policy.Statement.flatMap((statement) => statement.Action);
    expect(actions).toEqual(expect.arrayContaining(['lambda:CreateFunction', 'iam:PassRole']));
    expect(actions.some((action) => action.startsWith('ec2:'))).toBe(false);
  });

  it('prints the policy of a plan file, and names the failing field of a bad one', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plan-'));
    const good = join(folder, 'plan.json');
    writeFileSync(
      good,
      JSON.stringify({
        steps: [{ tool: 'create_bucket', args: { bucket_name: 'shop-assets', region: 'us-east-1' } }],
      }),
    );
    const result = await runCli(['iam-policy', '--plan', good], env);
    expect(result.code).toBe(0);
    const policy = JSON.parse(result.stdout) as { Statement: Array<{ Sid: string; Action: string[] }> };
    expect(policy.Statement.map((statement) => statement.Sid)).toEqual(['AwsCopilotS3']);
    expect(policy.Statement[0]?.Action).toContain('s3:CreateBucket');

    const unknown = join(folder, 'unknown.json');
    writeFileSync(
      unknown,
      JSON.stringify({ steps: [{ tool: 'create_bucket' }, { tool: 'nuke_everything' }] }),
    );
    const refused = await runCli(['iam-policy', '--plan', unknown], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /steps\.0\.args\.bucket_name|steps\.1\.tool: unknown tool 'nuke_everything'/,
    );

    const badArgs = join(folder, 'bad.json');
    writeFileSync(
      badArgs,
      JSON.stringify({ steps: [{ tool: 'create_bucket', args: { bucket_name: 'Not Valid' } }] }),
    );
    const invalid = await runCli(['iam-policy', '--plan', badArgs], env);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/steps\.0\.args\.bucket_name/);
  });
});
