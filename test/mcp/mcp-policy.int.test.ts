/**
 * The policy for MCP clients: a client without elicitation cannot ask its person, so the policy's
 * "ask" is a refusal, naming the rule, both for one catalog call and for the workflows (which run
 * non-interactive for it); with elicitation the person is asked and told why.
 */
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolEnvelope } from '../../src/tools/envelope.js';
import { findAmi, stateOf } from '../aws/ec2-fixtures.js';
import { createExecutionRole } from '../aws/lambda-fixtures.js';
import { makeBackendRepo } from '../guardrails/observed-session.js';
import { type AgentHarness, createAgentHarness } from '../helpers/agent-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { connectToHarness, type PersonBehaviour, structured, type TestClient } from './mcp-helpers.js';

interface Summary {
  status: 'waiting' | 'done';
  compliance: Array<{ decision: string; reason_code: string; reason: string }>;
  waiting_for: { kind: string } | null;
}

describe('the policy for MCP clients with and without elicitation', () => {
  let harness: AgentHarness;
  let role: string;
  let ami: string;
  const clients: TestClient[] = [];

  async function connect(person: PersonBehaviour): Promise<TestClient> {
    const client = await connectToHarness(harness, person, { writes: true });
    clients.push(client);
    return client;
  }

  async function instance(environment: string): Promise<string> {
    const answer = await harness.tools.aws.ec2().send(
      new RunInstancesCommand({
        ImageId: ami,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'environment', Value: environment }] }],
      }),
    );
    return answer.Instances?.[0]?.InstanceId as string;
  }

  beforeAll(async () => {
    harness = await createAgentHarness();
    role = await createExecutionRole();
    ami = await findAmi(harness.tools);
    makeBackendRepo(harness.tools, 'policy-app');
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await harness.close();
  });

  it('refuses a call the policy would have a person check, naming the rule, when the client cannot ask', async () => {
    const production = await instance('production');
    const staging = await instance('staging');
    const blind = await connect('cannot-ask');

    const refused = await blind.call('stop_ec2', { instance_ids: [production] });
    expect(refused.isError).toBe(true);
    const envelope = structured<ToolEnvelope>(refused);
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    if (envelope.status === 'error') {
      expect(envelope.error.message).toContain('cannot ask you');
      expect(envelope.error.message).toContain('PRODUCTION_RESOURCE');
      expect(envelope.error.message).toContain('rule ask-production-tag');
    }
    expect(await stateOf(harness.tools, production)).toBe('running');
    expect(harness.tools.audit.records.at(-1)).toMatchObject({ tool: 'stop_ec2', outcome: 'denied' });

    // Any other write is refused too (nobody can confirm it), without a rule to name.
    const plain = structured<ToolEnvelope>(await blind.call('stop_ec2', { instance_ids: [staging] }));
    expect(plain.status === 'error' && plain.error.message).toMatch(/cannot ask you/);
    expect(plain.status === 'error' && plain.error.message).not.toMatch(/rule ask-production-tag/);
    expect(blind.asked).toEqual([]);
  });

  it('asks the person, saying why the policy wants a look, and runs the call once they accept', async () => {
    const production = await instance('production');
    const person = await connect('accept');
    const done = structured<ToolEnvelope>(await person.call('stop_ec2', { instance_ids: [production] }));
    expect(done).toMatchObject({ status: 'ok' });
    expect(person.asked).toHaveLength(1);
    expect(person.asked[0]).toMatch(
      /The policy asks you to check this call \(PRODUCTION_RESOURCE\): .*rule ask-production-tag/,
    );
    expect(await stateOf(harness.tools, production)).toBe('stopped');
  });

  it('runs the workflows non-interactive for a client that cannot ask: the policy vetoes what it would have asked', async () => {
    const request = () =>
      `deploy ./policy-app to us-east-1 on lambda with role ${role} as app ${uniqueName('shop-prod')}`;
    const blind = await connect('cannot-ask');
    const vetoed = structured<Summary>(await blind.call('start_deployment', { request: request() }));
    expect(vetoed.status).toBe('done');
    expect(vetoed.waiting_for).toBeNull();
    expect(vetoed.compliance).toEqual([
      expect.objectContaining({ decision: 'veto', reason_code: 'PRODUCTION_RESOURCE' }),
    ]);
    expect(vetoed.compliance[0]?.reason).toMatch(/rule ask-production.*no person can be asked/);

    const person = await connect('accept');
    const asked = structured<Summary>(await person.call('start_deployment', { request: request() }));
    expect(asked.compliance).toEqual([
      expect.objectContaining({ decision: 'ask', reason_code: 'PRODUCTION_RESOURCE' }),
    ]);
    expect(asked).toMatchObject({ status: 'waiting', waiting_for: { kind: 'approval' } });
  });
});
