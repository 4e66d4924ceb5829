/**
 * The policy matrix on resources named only by id: tag rules see the tags the targeted resources
 * already carry (an instance stopped by id, an ECS cluster or service, a Lambda function, an S3
 * bucket), ask with a person to ask and deny without one, deny rules on tags hold in the runner,
 * and a tag lookup that fails is unknown tags, noted in the decision.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanStep } from '../../src/protocol/events.js';
import { findAmi, stateOf } from '../aws/ec2-fixtures.js';
import { createExecutionRole, pythonApp, writeZip } from '../aws/lambda-fixtures.js';
import { actionOf, type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { sandboxEndpoint, type ToolHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { type ObservedSession, openObservedSession } from './observed-session.js';
import { requestOutcome, writePolicy } from './policy-requests.js';

/** An instance started straight through the SDK, carrying `environment = <environment>`. */
async function taggedInstance(tools: ToolHarness, ami: string, environment: string): Promise<string> {
  const answer = await tools.aws.ec2().send(
    new RunInstancesCommand({
      ImageId: ami,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: [
        {
          ResourceType: 'instance',
          Tags: [
            { Key: 'Name', Value: uniqueName('policy-tags') },
            { Key: 'environment', Value: environment },
          ],
        },
      ],
    }),
  );
  const id = answer.Instances?.[0]?.InstanceId;
  if (!id) throw new Error('RunInstances returned no instance');
  return id;
}

describe('tag rules see the tags the targeted resources already carry', () => {
  let session: ObservedSession;
  let production: string;
  let staging: string;
  const policy = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.json');

  beforeAll(async () => {
    writePolicy(policy, [
      {
        id: 'deny-terminate-production',
        effect: 'deny',
        reason_code: 'PRODUCTION_TERMINATE',
        reason: 'production instances are terminated by the platform team only',
        match: { tool: 'terminate_ec2', tags: { environment: 'production' } },
      },
    ]);
    session = await openObservedSession({ settings: { policyFile: policy } });
    const ami = await findAmi(session.tools);
    production = await taggedInstance(session.tools, ami, 'production');
    staging = await taggedInstance(session.tools, ami, 'staging');
  });
  afterAll(() => session.close());

  const interactive = (value: boolean) => {
    session.runtime.nonInteractive = !value;
  };

  it('stopping a production-tagged instance by id, interactive: the officer asks and says why; nothing runs before the approval', async () => {
    interactive(true);
    const result = await requestOutcome(session, `stop ${production}`);
    expect(result.decision).toMatchObject({ decision: 'ask', reason_code: 'PRODUCTION_RESOURCE' });
    expect(result.decision?.reason).toContain('rule ask-production-tag');
    expect(result.said).toMatch(/compliance officer asks you to check this plan .*PRODUCTION_RESOURCE/);
    expect(result.turn.status).toBe('waiting');
    expect(result.approval).toBeDefined();
    expect(result.writes()).toEqual([]);
    expect(await stateOf(session.tools, production)).toBe('running');
    // The lookup is on the audit trail: the compliance officer read the instance's tags, nothing more.
    const lookup = session.audit.find(
      (record) => record.role === 'compliance-officer' && record.resourceIds.includes(production),
    );
    expect(lookup).toMatchObject({
      tool: 'policy_tag_lookup',
      mode: 'preview',
      risk: 'read',
      outcome: 'ok',
      args: { tool: 'stop_ec2', args: { instance_ids: [production] } },
    });
    expect(lookup?.awsCalls.map((call) => call.operation)).toEqual(['DescribeTags']);
  });

  it('the same, not interactive: nobody can be asked, so it is a veto naming the rule, and an alert', async () => {
    interactive(false);
    const result = await requestOutcome(session, `stop ${production}`);
    interactive(true);
    expect(result.decision).toMatchObject({ decision: 'veto', reason_code: 'PRODUCTION_RESOURCE' });
    expect(result.decision?.reason).toMatch(/rule ask-production-tag.*no person can be asked/);
    expect(result.said).toMatch(/compliance officer blocked this plan/);
    expect(result.turn.status).toBe('done');
    expect(result.approval).toBeUndefined();
    expect(result.writes()).toEqual([]);
    expect(await stateOf(session.tools, production)).toBe('running');
    expect(session.telemetry.events.filter((event) => event.kind === 'alert').at(-1)).toMatchObject({
      phase: 'compliance-block',
      session_id: result.turn.sessionId,
    });
  });

  it('an instance tagged otherwise is approved by the officer, interactive or not; the person still approves the call', async () => {
    for (const value of [true, false]) {
      interactive(value);
      const result = await requestOutcome(session, `stop ${staging}`);
      expect(result.decision).toMatchObject({ decision: 'approve' });
      expect(result.approval).toBeDefined();
      expect(result.writes()).toEqual([]);
    }
    interactive(true);
  });

  it('a deny rule on tags holds in the runner for a resource named only by id, whatever approval comes with it', async () => {
    const approve = (id: string) => {
      const tool = session.runtime.runner.registry.require('terminate_ec2');
      const args = { instance_ids: [id] };
      return session.runtime.runner.call({
        tool: 'terminate_ec2',
        args,
        approval: session.runtime.approvals.grant({
          grantedBy: 'ann',
          channel: 'cli-prompt',
          calls: [{ tool: 'terminate_ec2', args: tool.input.parse(args) }],
        }),
      });
    };
    const refused = await approve(production);
    expect(refused).toMatchObject({ status: 'error', error: { code: 'policy_denied' } });
    if (refused.status === 'error') expect(refused.error.message).toContain('deny-terminate-production');
    expect(await stateOf(session.tools, production)).toBe('running');
    expect(await approve(staging)).toMatchObject({ status: 'ok' });
  });

  it('ECS clusters and services, Lambda functions and S3 buckets: their tags count as well', async () => {
    const ecs = session.tools.aws.ecs();
    const production = [{ key: 'environment', value: 'production' }];
    const prodCluster = uniqueName('prod-tags');
    const plainCluster = uniqueName('plain-tags');
    await ecs.send(new CreateClusterCommand({ clusterName: prodCluster, tags: production }));
    await ecs.send(new CreateClusterCommand({ clusterName: plainCluster }));
    const family = uniqueName('policy-tags');
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [{ name: 'web', image: 'nginx', memory: 128, essential: true }],
      }),
    );
    const service = uniqueName('api');
    await ecs.send(
      new CreateServiceCommand({
        cluster: plainCluster,
        serviceName: service,
        taskDefinition: family,
        desiredCount: 0,
        tags: production,
      }),
    );
    const functionName = uniqueName('policy-tags');
    const zip = await writeZip(session.tools, `${functionName}.zip`, pythonApp('hi'));
    await session.tools.aws.lambda().send(
      new CreateFunctionCommand({
        FunctionName: functionName,
        Runtime: 'python3.12',
        Handler: 'app.handler',
        Role: await createExecutionRole(),
        Code: { ZipFile: readFileSync(join(session.tools.settings.workspace, zip)) },
        Tags: { environment: 'production' },
      }),
    );
    const bucket = uniqueName('policy-tags');
    await session.tools.aws.s3().send(new CreateBucketCommand({ Bucket: bucket }));
    await session.tools.aws.s3().send(
      new PutBucketTaggingCommand({
        Bucket: bucket,
        Tagging: { TagSet: [{ Key: 'Environment', Value: 'Production' }] },
      }),
    );
    writeFileSync(join(session.tools.settings.workspace, 'note.txt'), 'hello');

    const step = (tool: string, args: Record<string, unknown>): PlanStep => ({
      id: tool,
      tool,
      args,
      risk: session.runtime.runner.riskOf(tool, args),
      description: tool,
    });
    const decide = (steps: PlanStep[], interactive: boolean) =>
      session.runtime.runner.policyDecision(steps, { userId: session.userId, interactive });
    const tagged = [
      step('update_service', { cluster: prodCluster, service: uniqueName('absent'), desired_count: 2 }),
      step('update_service', { cluster: plainCluster, service, desired_count: 2 }),
      step('update_lambda_code', { function_name: functionName, zip_file: zip }),
      step('upload_s3', { bucket_name: bucket, file_path: 'note.txt' }),
    ];
    for (const target of tagged) {
      expect(await decide([target], true)).toMatchObject({
        decision: 'ask',
        reasonCode: 'PRODUCTION_RESOURCE',
      });
      expect(await decide([target], false)).toMatchObject({
        decision: 'veto',
        reasonCode: 'PRODUCTION_RESOURCE',
      });
    }
    const untouched = [
      step('update_service', { cluster: plainCluster, service: uniqueName('absent'), desired_count: 2 }),
      step('update_lambda_code', { function_name: uniqueName('absent'), zip_file: zip }),
      step('upload_s3', { bucket_name: uniqueName('absent'), file_path: 'note.txt' }),
    ];
    const plain = await decide(untouched, false);
    expect(plain).toMatchObject({ decision: 'approve' });
    // Resources that do not exist simply have no tags: nothing is reported unreadable.
    expect(plain.reason).not.toMatch(/could not be read/);
  });
});

describe('a tag lookup that fails', () => {
  let proxy: FaultProxy;
  let session: ObservedSession;
  let production: string;

  beforeAll(async () => {
    proxy = await startFaultProxy(sandboxEndpoint());
    session = await openObservedSession({ endpointUrl: proxy.endpointUrl });
    production = await taggedInstance(session.tools, await findAmi(session.tools), 'production');
  });
  afterAll(async () => {
    await session.close();
    await proxy.close();
  });

  it('is unknown tags: it matches nothing, and the decision says the tags could not be read', async () => {
    proxy.addRule({
      match: (request) => actionOf(request) === 'DescribeTags',
      times: 100,
      response: {
        status: 403,
        headers: { 'content-type': 'text/xml' },
        body: '<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>',
      },
    });
    const result = await requestOutcome(session, `stop ${production}`);
    expect(result.decision).toMatchObject({ decision: 'approve' });
    expect(result.decision?.reason).toContain(
      `the tags of ${production} (UnauthorizedOperation) could not be read`,
    );
    expect(result.approval).toBeDefined();
    expect(result.writes()).toEqual([]);
  });
});
