/**
 * A deployment survives its process being killed (SIGKILL) between two steps: the restarted
 * process continues from the store's checkpoint and journal, and no step runs twice. A turn
 * killed before its approval (saved only when it ends) runs again from its start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Store } from '../../src/store/ports.js';
import { openPostgresStore } from '../../src/store/postgres/open-postgres-store.js';
import { makeShopRepo } from '../github/repo-fixtures.js';
import { CLI, cliEnvironment, runCli } from '../helpers/cli.js';
import { actionOf, type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { createToolHarness, sandboxEndpoint, type ToolHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';

type JsonEvent = { type: string; [key: string]: unknown };

const lines = (stdout: string): JsonEvent[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as JsonEvent);

async function freshDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: inject('postgresUrl') });
  const name = `durable_${randomUUID().replace(/-/g, '')}`;
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return inject('postgresUrl').replace(/\/postgres$/, `/${name}`);
}

async function until(what: string, check: () => Promise<boolean>, seconds = 120): Promise<void> {
  for (let waited = 0; waited < seconds * 10; waited += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('durable deployments', () => {
  let proxy: FaultProxy;
  let tools: ToolHarness;
  let store: Store;
  let env: NodeJS.ProcessEnv;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    proxy = await startFaultProxy(sandboxEndpoint());
    tools = createToolHarness();
    const databaseUrl = await freshDatabase();
    store = await openPostgresStore({ connectionString: databaseUrl, vectorDimensions: 8 });
    makeShopRepo(tools, 'shop-durable');
    env = cliEnvironment({
      AWS_ENDPOINT_URL: proxy.endpointUrl,
      AWS_COPILOT_DATA_DIR: mkdtempSync(join(tmpdir(), 'durable-data-')),
      AWS_COPILOT_WORKSPACE: tools.settings.workspace,
      AWS_COPILOT_AWS_RPS: '200',
      DATABASE_URL: databaseUrl,
    });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    tools.close();
    await store.close();
    await proxy.close();
  });

  it('continues after SIGKILL between two steps, running no step twice', async () => {
    const images = await tools.run<{ images: Array<{ image_id: string }> }>('describe_images', {
      owners: ['amazon'],
      max_results: 1,
    });
    const ami = images.status === 'ok' ? images.result.images[0]?.image_id : undefined;
    const bucket = uniqueName('durable');
    const first = await runCli(
      [
        'chat',
        '--json',
        '--message',
        `deploy ./shop-durable to us-east-1 on ec2 with ami ${ami} and staging bucket ${bucket}`,
      ],
      env,
    );
    const events = lines(first.stdout);
    const approval = events.find((event) => event.type === 'approval-request');
    const turn = events.find((event) => event.type === 'turn-end');
    expect(turn).toMatchObject({ status: 'waiting' });
    expect(approval?.steps).toEqual([
      expect.objectContaining({ id: 'staging-bucket' }),
      expect.objectContaining({ id: 'instance' }),
    ]);
    const sessionId = String(turn?.session_id);
    const deploymentId = String(approval?.deployment_id);

    // The instance step's launch hangs in flight, so the process dies with step 1 done and step 2 started.
    proxy.addRule({
      match: (request) => actionOf(request) === 'RunInstances' && !request.body.includes('DryRun=true'),
      times: 1,
      delayMs: 600_000,
    });
    child = spawn(
      process.execPath,
      [
        CLI,
        'chat',
        '--json',
        '--session',
        sessionId,
        '--answer',
        JSON.stringify({ kind: 'approval', plan_hash: approval?.plan_hash, decision: 'approve' }),
      ],
      { env, stdio: 'ignore' },
    );
    await until('step 2 to start', async () => {
      const journal = await store.deployments.journal(deploymentId);
      return journal.some((entry) => entry.stepId === 'instance' && entry.status === 'started');
    });
    await until('the launch to be in flight', async () =>
      proxy.requests.some(
        (request) => actionOf(request) === 'RunInstances' && !request.body.includes('DryRun=true'),
      ),
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));

    const resumed = await runCli(['chat', '--json', '--session', sessionId, '--resume'], env);
    const after = lines(resumed.stdout);
    expect(after.find((event) => event.type === 'turn-end')).toMatchObject({ status: 'done' });
    expect(
      after.find((event) => event.type === 'step-end' && event.step_id === 'staging-bucket'),
    ).toMatchObject({ status: 'skipped' });
    expect(after.find((event) => event.type === 'deployment-end')).toMatchObject({ status: 'succeeded' });

    const journal = await store.deployments.journal(deploymentId);
    const completed = (step: string) =>
      journal.filter((entry) => entry.stepId === step && entry.status === 'completed').length;
    expect(completed('staging-bucket')).toBe(1);
    expect(completed('instance')).toBe(1);
    const bucketRuns = (await store.audit.list({})).filter(
      (record) => record.tool === 'create_bucket' && record.mode === 'run',
    );
    expect(bucketRuns).toHaveLength(1);
    const reservations = await tools.aws.ec2().send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'tag:aws-copilot:app', Values: ['shop-durable'] },
          { Name: 'instance-state-name', Values: ['pending', 'running'] },
        ],
      }),
    );
    expect(reservations.Reservations?.flatMap((reservation) => reservation.Instances ?? [])).toHaveLength(1);
  });

  it('runs a turn killed before its approval again from its start when the person writes next, up to the same approval', async () => {
    makeShopRepo(tools, 'shop-replayed');
    const images = await tools.run<{ images: Array<{ image_id: string }> }>('describe_images', {
      owners: ['amazon'],
      max_results: 1,
    });
    const ami = images.status === 'ok' ? images.result.images[0]?.image_id : undefined;
    const bucket = uniqueName('replayed');
    // The dry run's launch check hangs, so the process dies in the middle of its first turn.
    const launchChecks = () =>
      proxy.requests.filter(
        (request) => actionOf(request) === 'RunInstances' && request.body.includes('DryRun=true'),
      ).length;
    const checksBefore = launchChecks();
    proxy.addRule({
      match: (request) => actionOf(request) === 'RunInstances' && request.body.includes('DryRun=true'),
      times: 1,
      delayMs: 600_000,
    });
    let stdout = '';
    child = spawn(
      process.execPath,
      [
        CLI,
        'chat',
        '--json',
        '--message',
        `deploy ./shop-replayed to us-east-1 on ec2 with ami ${ami} and staging bucket ${bucket}`,
      ],
      { env, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    await until('the dry run to be in flight', async () => launchChecks() > checksBefore);
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    const before = lines(stdout);
    expect(before.some((event) => event.type === 'approval-request')).toBe(false);
    const sessionId = String(before.find((event) => typeof event.session_id === 'string')?.session_id);

    // The person writes again before anything continued it: the interrupted turn goes first.
    const resumed = await runCli(['chat', '--json', '--session', sessionId, '--message', 'status?'], env);
    const after = lines(resumed.stdout);
    expect(after.find((event) => event.type === 'message-end')?.text).toMatch(/interrupted .* continues now/);
    expect(after.find((event) => event.type === 'node-start' && event.node !== 'route')).toMatchObject({
      node: 'intake',
    });
    expect(after.find((event) => event.type === 'approval-request')?.steps).toEqual([
      expect.objectContaining({ id: 'staging-bucket' }),
      expect.objectContaining({ id: 'instance' }),
    ]);
    expect(after.find((event) => event.type === 'turn-end')).toMatchObject({ status: 'waiting' });
    // The first run's plan had created the deployment record: the replay found it, made no second.
    const records = (await store.deployments.list(env.AWS_COPILOT_USER ?? 'local', 100)).filter(
      (record) => record.sessionId === sessionId,
    );
    expect(records.map((record) => record.id)).toEqual([
      String(after.find((event) => event.type === 'approval-request')?.deployment_id),
    ]);

    // Nothing is left to continue once the turn finished.
    const again = await runCli(['chat', '--json', '--session', sessionId, '--resume'], env);
    expect(lines(again.stdout).some((event) => event.type === 'node-start')).toBe(false);
  });
});
