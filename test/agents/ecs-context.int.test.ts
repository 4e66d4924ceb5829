/**
 * ECS contextualizer (offline model, sandbox): the cluster and service come from the person's
 * words, from list calls when the account leaves one choice, or from a form when it does not.
 * Each test uses a region no other test touches, so the list calls see only what it built.
 */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentHarness, createAgentHarness } from '../helpers/agent-harness.js';
import { createToolHarness, type ToolHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';

/** One cluster in `region` with services of the given names, all scaled to zero. */
async function buildCluster(direct: ToolHarness, region: string, services: string[]): Promise<string> {
  const ecs = direct.aws.ecs(region);
  const cluster = uniqueName('shop');
  const family = uniqueName('shop-td');
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'web', image: 'public.ecr.aws/docker/library/nginx:1.27', memory: 512 }],
    }),
  );
  for (const service of services)
    await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: service,
        taskDefinition: family,
        desiredCount: 0,
        launchType: 'FARGATE',
      }),
    );
  return cluster;
}

describe('ECS contextualizer', () => {
  let direct: ToolHarness;
  let harness: AgentHarness;
  beforeAll(async () => {
    direct = createToolHarness();
    harness = await createAgentHarness({ settings: { ecsAllowWrite: true } });
  });
  afterAll(async () => {
    await harness.close();
    direct.close();
  });

  it('finds the only cluster of the region and the one service a word of the request names', async () => {
    const checkout = uniqueName('checkout');
    const cluster = await buildCluster(direct, 'ca-central-1', [checkout, uniqueName('billing')]);
    const turn = await harness.send(
      'My checkout service in ca-central-1 is not running anymore, can you diagnose it?',
    );
    expect(turn).toMatchObject({ workflow: 'ecs', status: 'waiting' });
    expect(
      harness.events.filter((event) => event.session_id === turn.sessionId && event.type === 'form-request'),
    ).toEqual([]);
    const approval = harness.last('approval-request');
    expect(approval.steps[0]?.args).toEqual({
      cluster,
      service: checkout,
      desired_count: 1,
      region: 'ca-central-1',
    });
  });

  it('asks with a form when the service cannot be told apart, then carries on with the answer', async () => {
    const worker = uniqueName('worker');
    const cluster = await buildCluster(direct, 'eu-north-1', [uniqueName('web'), worker]);
    const turn = await harness.send(
      'Something is wrong with my ECS service in eu-north-1, please diagnose it',
    );
    expect(turn).toMatchObject({ workflow: 'ecs', status: 'waiting' });
    const form = harness.last('form-request');
    expect(form.fields).toEqual([
      expect.objectContaining({ name: 'service', kind: 'select', options: expect.arrayContaining([worker]) }),
    ]);
    expect(form.fields[0]?.options).toHaveLength(2);

    const next = await harness.answer(turn.sessionId, {
      kind: 'form',
      form_id: form.form_id,
      values: { service: worker },
    });
    expect(next.status).toBe('waiting');
    const approval = harness.last('approval-request');
    expect(approval.steps[0]?.args).toEqual({
      cluster,
      service: worker,
      desired_count: 1,
      region: 'eu-north-1',
    });
  });
});
