import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolEnvelope } from '../../src/tools/envelope.js';
import { expectOk } from '../helpers/envelopes.js';
import { createToolHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { type AwsvpcNetwork, defaultNetwork, fargateTaskDefinition } from './ecs-fixtures.js';

interface TaskDefinitionResult {
  task_definition_arn: string;
  family: string;
  revision: number;
}
interface ServiceResult {
  service_arn: string;
  desired_count: number;
  task_definition: string;
  previous: { desired_count: number; task_definition: string };
}
interface RunTaskResult {
  tasks: Array<{ task_arn: string; desired_status: string }>;
}

describe('ECS lifecycle: cluster -> task definition -> service -> update -> tasks -> rollback', () => {
  const harness = createToolHarness();
  const ecs = harness.aws.ecs();
  const cluster = uniqueName('ecs-life');
  const family = uniqueName('web');
  const service = uniqueName('api');
  let network: AwsvpcNetwork;
  let clusterCall: ToolEnvelope;
  let firstRevision: ToolEnvelope<TaskDefinitionResult>;
  let secondRevision: ToolEnvelope<TaskDefinitionResult>;
  let serviceCall: ToolEnvelope<ServiceResult>;
  let scaleUp: ToolEnvelope<ServiceResult>;
  let rollBack: ToolEnvelope<ServiceResult>;
  let runCall: ToolEnvelope<RunTaskResult>;

  const serviceArgs = () => ({
    cluster,
    service_name: service,
    task_definition: `${family}:2`,
    desired_count: 2,
    ...network,
  });
  const describeService = async () =>
    (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0];

  beforeAll(async () => {
    network = await defaultNetwork(harness);
  });
  afterAll(() => harness.close());

  it('creates the cluster once; a second call finds it and creates nothing', async () => {
    clusterCall = await harness.approveAndRun('create_cluster', {
      cluster_name: cluster,
      tags: { team: 'web' },
    });
    expect(expectOk(clusterCall)).toMatchObject({
      cluster_name: cluster,
      status: 'ACTIVE',
      operation: 'created',
    });
    expect(clusterCall.created).toEqual([expect.objectContaining({ type: 'ecs:cluster' })]);

    const preview = await harness.preview('create_cluster', { cluster_name: cluster });
    expect(preview.status === 'ok' && preview.preview?.changes[0]?.kind).toBe('no-op');
    const again = await harness.approveAndRun('create_cluster', { cluster_name: cluster });
    expect(expectOk(again)).toMatchObject({ operation: 'exists' });
    expect(again.created).toEqual([]);
    expect(expectOk(await harness.compensate(again, { cluster_name: cluster }))).toMatch(/nothing to undo/);
  });

  it('registers two revisions; the preview of the second shows the image diff', async () => {
    firstRevision = await harness.approveAndRun(
      'register_task_definition',
      fargateTaskDefinition(family, 'nginx:1.25'),
    );
    expect(expectOk(firstRevision)).toMatchObject({ family, revision: 1 });

    const next = fargateTaskDefinition(family, 'nginx:1.27');
    const preview = await harness.preview('register_task_definition', { ...next, cpu: 512, memory: 1024 });
    if (preview.status !== 'ok') throw new Error(preview.error.message);
    expect(preview.preview?.changes[0]).toMatchObject({
      kind: 'create',
      resource: `ecs:task-definition/${family}:2`,
    });
    expect(preview.preview?.summary).toContain('image nginx:1.25 -> nginx:1.27');
    expect(preview.preview?.summary).toContain('cpu 256 -> 512');
    expect(preview.preview?.summary).toContain('memory 512 -> 1024');

    secondRevision = await harness.approveAndRun('register_task_definition', next);
    expect(expectOk(secondRevision)).toMatchObject({ family, revision: 2 });
  });

  it('describes a task definition with environment variable names but never their values', async () => {
    const envelope = await harness.run('describe_task_definition', { task_definition: `${family}:2` });
    expect(expectOk(envelope)).toMatchObject({
      revision: 2,
      cpu: '256',
      memory: '512',
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          essential: true,
          environment_names: ['APP_MODE', 'DATABASE_PASSWORD'],
          log_configuration: { driver: 'awslogs', options: { 'awslogs-group': `/ecs/${family}` } },
        },
      ],
    });
    expect(JSON.stringify(envelope)).not.toContain('hunter2');
  });

  it('previews and creates the service, and warns when it already exists', async () => {
    const preview = await harness.preview('create_service', serviceArgs());
    expect(preview.status === 'ok' && preview.preview?.warnings).toEqual([]);
    serviceCall = await harness.approveAndRun('create_service', serviceArgs());
    expect(expectOk(serviceCall)).toMatchObject({ desired_count: 2, status: 'ACTIVE' });
    expect(serviceCall.created).toEqual([expect.objectContaining({ type: 'ecs:service' })]);

    const again = await harness.preview('create_service', serviceArgs());
    expect(again.status === 'ok' && again.preview?.warnings).toEqual([
      expect.stringMatching(/already exists/),
    ]);
    const refused = await harness.approveAndRun('create_service', serviceArgs());
    expect(refused).toMatchObject({ status: 'error', error: { code: 'conflict' } });
  });

  it('scales up, then rolls back to the previous task definition, showing before -> after', async () => {
    const scaleArgs = { cluster, service, desired_count: 3 };
    const scalePreview = await harness.preview('update_service', scaleArgs);
    expect(scalePreview.status === 'ok' && scalePreview.preview?.changes[0]?.detail).toBe(
      'desiredCount 2 -> 3',
    );
    scaleUp = await harness.approveAndRun('update_service', scaleArgs);
    expect(expectOk(scaleUp)).toMatchObject({ desired_count: 3, previous: { desired_count: 2 } });

    const rollbackArgs = { cluster, service, task_definition: `${family}:1` };
    const rollbackPreview = await harness.preview('update_service', rollbackArgs);
    expect(rollbackPreview.status === 'ok' && rollbackPreview.preview?.changes[0]?.detail).toBe(
      `taskDefinition ${family}:2 -> ${family}:1`,
    );
    rollBack = await harness.approveAndRun('update_service', rollbackArgs);
    expect(expectOk(rollBack).previous.task_definition).toMatch(new RegExp(`${family}:2$`));
  });

  it('describes the service compactly with deployments and rollout state', async () => {
    const envelope = await harness.run<{ services: Array<Record<string, unknown>> }>('describe_services', {
      cluster,
      services: [service, 'no-such-service'],
    });
    const result = expectOk(envelope) as unknown as {
      services: Array<{
        desired_count: number;
        task_definition: string;
        launch_type: string;
        deployments: unknown[];
      }>;
      failures: Array<{ reason: string }>;
    };
    expect(result.services[0]).toMatchObject({ desired_count: 3, launch_type: 'FARGATE' });
    expect(result.services[0]?.task_definition).toMatch(new RegExp(`${family}:1$`));
    expect(result.services[0]?.deployments[0]).toMatchObject({
      status: 'PRIMARY',
      rollout_state: expect.stringMatching(/IN_PROGRESS|COMPLETED/),
    });
    expect(result.failures).toEqual([expect.objectContaining({ reason: 'MISSING' })]);

    const listed = expectOk(await harness.run<{ service_arns: string[] }>('list_services', { cluster }));
    expect(listed.service_arns).toEqual([expect.stringContaining(service)]);
  });

  it('undoes the updates in reverse order: task definition back to :2, then desired count back to 2', async () => {
    expect(
      expectOk(await harness.compensate(rollBack, { cluster, service, task_definition: `${family}:1` })),
    ).toMatch(/restored/);
    expect((await describeService())?.taskDefinition).toMatch(new RegExp(`${family}:2$`));
    await harness.compensate(scaleUp, { cluster, service, desired_count: 3 });
    expect((await describeService())?.desiredCount).toBe(2);
  });

  it('runs tasks, lists and describes them, stops one, and compensation stops the rest', async () => {
    const runArgs = { cluster, task_definition: `${family}:2`, count: 2, ...network };
    runCall = await harness.approveAndRun('run_task', runArgs);
    const started = expectOk(runCall).tasks.map((task) => task.task_arn);
    expect(started).toHaveLength(2);
    expect(runCall.created.map((resource) => resource.id)).toEqual(started);

    const listed = expectOk(await harness.run<{ task_arns: string[] }>('list_tasks', { cluster, family }));
    expect(listed.task_arns).toEqual(expect.arrayContaining(started));

    const described = expectOk(
      await harness.run<{ tasks: Array<Record<string, unknown>> }>('describe_tasks', {
        cluster,
        tasks: started,
      }),
    );
    expect(described.tasks).toHaveLength(2);
    expect(described.tasks[0]).toMatchObject({
      desired_status: 'RUNNING',
      task_definition_arn: expect.stringMatching(new RegExp(`${family}:2$`)),
      containers: [expect.objectContaining({ name: 'web', image: 'nginx:1.27' })],
    });

    const [first, second] = started as [string, string];
    const stopPreview = await harness.preview('stop_task', { cluster, task: first });
    expect(stopPreview.status === 'ok' && stopPreview.preview?.changes[0]?.kind).toBe('delete');
    const stopped = await harness.approveAndRun('stop_task', {
      cluster,
      task: first,
      reason: 'triage: wedged',
    });
    expect(expectOk(stopped)).toMatchObject({ desired_status: 'STOPPED', stopped_reason: 'triage: wedged' });
    const afterStop = expectOk(
      await harness.run<{ tasks: Array<Record<string, unknown>> }>('describe_tasks', {
        cluster,
        tasks: [first],
      }),
    );
    expect(afterStop.tasks[0]).toMatchObject({ last_status: 'STOPPED', stopped_reason: 'triage: wedged' });
    const stoppedList = expectOk(
      await harness.run<{ task_arns: string[] }>('list_tasks', { cluster, desired_status: 'STOPPED' }),
    );
    expect(stoppedList.task_arns).toContain(first);

    expect(expectOk(await harness.compensate(runCall, runArgs))).toMatch(/stopped 2 task/);
    const raw = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [second] }));
    expect(raw.tasks?.[0]?.desiredStatus).toBe('STOPPED');
    expect(raw.tasks?.[0]?.stoppedReason).toBe('rolled back by aws-copilot');
  });

  it('lists and describes clusters', async () => {
    const listed = expectOk(await harness.run<{ cluster_arns: string[] }>('list_clusters', {}));
    expect(listed.cluster_arns).toContainEqual(expect.stringContaining(`cluster/${cluster}`));
    const described = expectOk(
      await harness.run('describe_clusters', { clusters: [cluster, 'ghost-cluster'] }),
    );
    expect(described).toMatchObject({
      clusters: [{ cluster_name: cluster, status: 'ACTIVE' }],
      failures: [{ reason: 'MISSING' }],
    });
    const everything = expectOk(
      await harness.run<{ clusters: Array<{ cluster_name: string }> }>('describe_clusters', {}),
    );
    expect(everything.clusters.map((found) => found.cluster_name)).toContain(cluster);
  });

  it('rolls everything back: service deleted, revision deregistered, cluster deleted', async () => {
    expect(expectOk(await harness.compensate(serviceCall, serviceArgs()))).toMatch(/deleted/);
    const gone = await describeService();
    expect(gone?.status).toBe('INACTIVE');
    expect(gone?.desiredCount).toBe(0);

    await harness.compensate(secondRevision, fargateTaskDefinition(family, 'nginx:1.27'));
    await harness.compensate(firstRevision, fargateTaskDefinition(family, 'nginx:1.25'));
    const revision = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${family}:2` }));
    expect(revision.taskDefinition?.status).toBe('INACTIVE');

    expect(expectOk(await harness.compensate(clusterCall, { cluster_name: cluster }))).toMatch(
      /deleted cluster/,
    );
    const clusters = await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }));
    expect(clusters.clusters?.[0]?.status ?? 'MISSING').not.toBe('ACTIVE');
  });
});
