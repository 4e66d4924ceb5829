import { CreateClusterCommand, DescribeClustersCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk } from '../helpers/envelopes.js';
import { actionOf, type FaultProxy, startFaultProxy, throttlingResponse } from '../helpers/fault-proxy.js';
import { createToolHarness, sandboxEndpoint } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { type AwsvpcNetwork, defaultNetwork, fargateTaskDefinition } from './ecs-fixtures.js';

describe('ECS tools: risk, approvals, bad input and AWS errors', () => {
  const harness = createToolHarness();
  const ecs = harness.aws.ecs();
  const cluster = uniqueName('ecs-guard');
  const family = uniqueName('guard');
  const service = uniqueName('svc');
  let network: AwsvpcNetwork;

  beforeAll(async () => {
    network = await defaultNetwork(harness);
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    expectOk(
      await harness.approveAndRun('register_task_definition', fargateTaskDefinition(family, 'nginx:1.27')),
    );
    expectOk(
      await harness.approveAndRun('create_service', {
        cluster,
        service_name: service,
        task_definition: family,
        desired_count: 2,
        ...network,
      }),
    );
  });
  afterAll(() => harness.close());

  it('scaling a service to 0 is destructive: riskOf, the preview warning and the audit record say so', async () => {
    const args = { cluster, service, desired_count: 0 };
    expect(harness.runner.riskOf('update_service', args)).toBe('destructive');
    expect(harness.runner.riskOf('update_service', { cluster, service, desired_count: 1 })).toBe('write');
    const preview = await harness.preview('update_service', args);
    expect(preview.status === 'ok' && preview.preview?.warnings).toEqual([
      expect.stringMatching(/stops every task/),
    ]);

    const envelope = await harness.approveAndRun('update_service', args);
    expect(expectOk(envelope)).toMatchObject({ desired_count: 0, previous: { desired_count: 2 } });
    const record = harness.audit.records.find((candidate) => candidate.id === envelope.audit_id);
    expect(record).toMatchObject({ risk: 'destructive', outcome: 'ok', mode: 'run' });

    await harness.compensate(envelope, args);
    const after = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    expect(after.services?.[0]?.desiredCount).toBe(2);
  });

  it('refuses every write without approval and changes nothing', async () => {
    const newCluster = uniqueName('never');
    const refusedCluster = await harness.run('create_cluster', { cluster_name: newCluster });
    expect(refusedCluster).toMatchObject({
      status: 'error',
      error: { code: 'approval_required' },
      created: [],
    });
    const clusters = await ecs.send(new DescribeClustersCommand({ clusters: [newCluster] }));
    expect(clusters.clusters ?? []).toEqual([]);

    const newService = uniqueName('never');
    const refusedService = await harness.run('create_service', {
      cluster,
      service_name: newService,
      task_definition: family,
      desired_count: 1,
      ...network,
    });
    expect(refusedService).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    const services = await ecs.send(new DescribeServicesCommand({ cluster, services: [newService] }));
    expect(services.failures?.[0]?.reason).toBe('MISSING');

    const refusedScale = await harness.run('update_service', { cluster, service, desired_count: 0 });
    expect(refusedScale).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    const record = harness.audit.records.find((candidate) => candidate.id === refusedScale.audit_id);
    expect(record).toMatchObject({ outcome: 'denied', risk: 'destructive' });
    const unchanged = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    expect(unchanged.services?.[0]?.desiredCount).toBe(2);

    for (const [tool, args] of [
      ['run_task', { cluster, task_definition: family, ...network }],
      ['stop_task', { cluster, task: '0123456789abcdef0123456789abcdef' }],
      ['register_task_definition', fargateTaskDefinition(family, 'nginx:1.28')],
    ] as const) {
      expect(await harness.run(tool, args)).toMatchObject({
        status: 'error',
        error: { code: 'approval_required' },
      });
    }
  });

  it('rejects Fargate cpu/memory combinations Fargate does not offer, naming the field and the allowed values', async () => {
    const envelope = await harness.preview('register_task_definition', {
      ...fargateTaskDefinition(family, 'nginx:1.27'),
      cpu: 256,
      memory: 4096,
    });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'invalid_input', field: 'memory' } });
    if (envelope.status === 'error')
      expect(envelope.error.message).toMatch(/cpu 256 takes memory 512, 1024-2048/);

    const badCpu = await harness.preview('register_task_definition', {
      ...fargateTaskDefinition(family, 'nginx:1.27'),
      cpu: 300,
    });
    expect(badCpu).toMatchObject({ error: { code: 'invalid_input', field: 'cpu' } });
    if (badCpu.status === 'error') expect(badCpu.error.message).toMatch(/cpu must be one of 256, 512, 1024/);

    const noSize = await harness.preview('register_task_definition', {
      family,
      container_definitions: [{ name: 'web', image: 'nginx' }],
    });
    expect(noSize).toMatchObject({ error: { code: 'invalid_input', field: 'cpu' } });
  });

  it('rejects update_service without any change, and other bad input, naming the field', async () => {
    const noChange = await harness.preview('update_service', { cluster, service });
    expect(noChange).toMatchObject({ error: { code: 'invalid_input', field: 'desired_count' } });
    if (noChange.status === 'error') expect(noChange.error.message).toMatch(/nothing to change/);

    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['update_service', { cluster: 'bad name!', service, desired_count: 1 }, 'cluster'],
      ['update_service', { cluster, service, desired_count: 1001 }, 'desired_count'],
      ['describe_services', { cluster, services: [] }, 'services'],
      ['run_task', { cluster, task_definition: family }, 'subnets'],
      ['run_task', { cluster, task_definition: family, count: 11, ...network }, 'count'],
      ['stop_task', { cluster, task: 'not-a-task' }, 'task'],
      [
        'create_service',
        { cluster, service_name: 'x', task_definition: 'web:0', desired_count: 1 },
        'task_definition',
      ],
    ];
    for (const [tool, args, field] of cases) {
      expect(await harness.preview(tool, args), `${tool} ${field}`).toMatchObject({
        status: 'error',
        error: { code: 'invalid_input', field },
      });
    }
  });

  it('accepts cluster and service ARNs where AWS does', async () => {
    const clusterArn = (await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }))).clusters?.[0]
      ?.clusterArn;
    const serviceArn = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] })))
      .services?.[0]?.serviceArn;
    const envelope = await harness.run('describe_services', { cluster: clusterArn, services: [serviceArn] });
    expect(expectOk(envelope)).toMatchObject({ services: [{ service_name: service }] });
  });

  it('reports a missing cluster with the AWS error code', async () => {
    const missing = uniqueName('ghost');
    const described = await harness.run('describe_services', { cluster: missing, services: ['web'] });
    expect(described).toMatchObject({ status: 'error', error: { aws_code: 'ClusterNotFoundException' } });
    const update = await harness.approveAndRun('update_service', {
      cluster,
      service: missing,
      desired_count: 1,
    });
    expect(update).toMatchObject({
      status: 'error',
      error: { code: 'not_found', aws_code: 'ServiceNotFoundException' },
    });
    const definition = await harness.run('describe_task_definition', { task_definition: `${missing}:1` });
    expect(definition).toMatchObject({ status: 'error', error: { aws_code: 'ClientException' } });
    const listed = await harness.run('list_tasks', { cluster: missing });
    expect(listed).toMatchObject({ status: 'error', error: { aws_code: 'ClusterNotFoundException' } });
    const created = await harness.approveAndRun('create_service', {
      cluster: missing,
      service_name: 'web',
      task_definition: family,
      desired_count: 1,
      ...network,
    });
    expect(created).toMatchObject({
      status: 'error',
      error: { code: 'not_found', aws_code: 'ClusterNotFoundException' },
      created: [],
    });
    const preview = await harness.preview('create_service', {
      cluster: missing,
      service_name: 'web',
      task_definition: `${family}:99`,
      desired_count: 1,
      ...network,
    });
    expect(preview.status === 'ok' && preview.preview?.warnings).toEqual([
      `cluster ${missing} does not exist`,
      `task definition ${family}:99 does not exist`,
    ]);
  });
});

describe('ECS tools behind a throttling proxy', () => {
  let proxy: FaultProxy;
  let harness: ReturnType<typeof createToolHarness>;
  const cluster = uniqueName('ecs-throttle');

  beforeAll(async () => {
    proxy = await startFaultProxy(sandboxEndpoint());
    harness = createToolHarness({ endpointUrl: proxy.endpointUrl });
    await harness.aws.ecs().send(new CreateClusterCommand({ clusterName: cluster }));
  });
  afterAll(async () => {
    harness.close();
    await proxy.close();
  });

  it('retries DescribeServices after throttling and still answers', async () => {
    proxy.addRule({
      match: (request) => actionOf(request) === 'DescribeServices',
      times: 2,
      response: throttlingResponse('json'),
    });
    const envelope = await harness.run('describe_services', { cluster, services: ['nothing-here'] });
    expect(expectOk(envelope)).toMatchObject({ services: [], failures: [{ reason: 'MISSING' }] });
    expect(proxy.faulted).toBe(2);
  });
});
