import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../config/settings.js';
import { ApprovalLedger } from '../../guardrails/approvals.js';
import { MemoryAuditSink } from '../../tools/audit.js';
import type { AwsClientFactory } from '../../tools/aws/clients.js';
import { createCatalog } from '../../tools/catalog.js';
import { ToolRunner } from '../../tools/runner.js';
import type { ClassifiedTask } from './classify.js';
import type { ServiceResult, TaskDefinitionResult } from './ecs-results.js';
import { buildHypotheses, type TriageEvidence } from './hypotheses.js';
import { draftRepair } from './repair-plan.js';

const runner = new ToolRunner({
  registry: createCatalog(),
  settings: loadSettings({ workspace: '/tmp', dataDir: '/tmp' }, { env: {}, configPath: false }),
  aws: {} as AwsClientFactory,
  approvals: new ApprovalLedger(),
  audit: new MemoryAuditSink(),
});

const target = { cluster: 'shop', service: 'api', region: 'us-east-1' };

function definition(revision: number, memory = '512'): TaskDefinitionResult {
  return {
    task_definition_arn: `arn:aws:ecs:us-east-1:123456789012:task-definition/api:${revision}`,
    family: 'api',
    revision,
    status: 'ACTIVE',
    memory,
    containers: [{ name: 'web', image: `shop:${revision}` }],
  };
}

function service(changes: Partial<ServiceResult> = {}): ServiceResult {
  return {
    service_name: 'api',
    status: 'ACTIVE',
    desired_count: 2,
    running_count: 2,
    pending_count: 0,
    task_definition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:3',
    deployments: [],
    events: [],
    ...changes,
  };
}

function stopped(cause: ClassifiedTask['cause'], revision = 3): ClassifiedTask {
  return { taskArn: `t-${cause}-${revision}`, taskDefinition: `api:${revision}`, cause, evidence: cause };
}

function evidence(changes: Partial<TriageEvidence> = {}): TriageEvidence {
  return {
    target,
    service: service(),
    taskDefinition: definition(3),
    previous: definition(2),
    stopped: [],
    unhealthy: [],
    readErrors: [],
    slow: false,
    ...changes,
  };
}

function repair(input: TriageEvidence) {
  const hypotheses = buildHypotheses(input);
  const draft = draftRepair(input, hypotheses, runner);
  return { lead: hypotheses[0]?.cause, steps: draft.plan?.steps.map(({ tool, args }) => ({ tool, args })) };
}

describe('draftRepair: the smallest change for the leading hypothesis', () => {
  it.each(['image-pull', 'out-of-memory', 'start-failure', 'application-error', 'segfault'] as const)(
    '%s on the newest revision: back to the previous ACTIVE revision',
    (cause) => {
      expect(repair(evidence({ stopped: [stopped(cause), stopped(cause)] }))).toEqual({
        lead: cause,
        steps: [{ tool: 'update_service', args: { ...target, task_definition: 'api:2' } }],
      });
    },
  );

  it('no rollback without an earlier revision, or when the older revision fails the same way', () => {
    expect(
      repair(evidence({ previous: undefined, stopped: [stopped('out-of-memory')] })).steps,
    ).toBeUndefined();
    expect(repair(evidence({ stopped: [stopped('image-pull', 2)] })).steps).toBeUndefined();
  });

  it('scaled to zero: back up to one task', () => {
    expect(repair(evidence({ service: service({ desired_count: 0, running_count: 0 }) }))).toEqual({
      lead: 'scaled-to-zero',
      steps: [{ tool: 'update_service', args: { ...target, desired_count: 1 } }],
    });
  });

  it('tasks that cannot be placed: one task fewer', () => {
    const events = [{ message: '(service api) was unable to place a task. RESOURCE:MEMORY' }];
    expect(repair(evidence({ service: service({ running_count: 1, events }) }))).toEqual({
      lead: 'resource-constraint',
      steps: [{ tool: 'update_service', args: { ...target, desired_count: 1 } }],
    });
  });

  it('an unhealthy task: stop it so the service replaces it', () => {
    const task = 'arn:aws:ecs:us-east-1:123456789012:task/shop/0123456789abcdef0123456789abcdef';
    expect(repair(evidence({ unhealthy: [task] })).steps).toEqual([
      { tool: 'stop_task', args: expect.objectContaining({ cluster: 'shop', task, region: 'us-east-1' }) },
    ]);
  });

  it('slow with nothing failing: one task more; healthy and not slow: nothing', () => {
    expect(repair(evidence({ slow: true })).steps).toEqual([
      { tool: 'update_service', args: { ...target, desired_count: 3 } },
    ]);
    expect(repair(evidence())).toEqual({ lead: 'healthy', steps: undefined });
  });

  it('a failed rollout without stopped tasks still points back at the previous revision', () => {
    const deployments = [
      {
        id: 'd1',
        status: 'PRIMARY',
        task_definition: 'api:3',
        desired_count: 2,
        running_count: 0,
        pending_count: 0,
        failed_tasks: 2,
        rollout_state: 'FAILED',
      },
    ];
    expect(repair(evidence({ service: service({ running_count: 0, deployments }) }))).toEqual({
      lead: 'failed-deployment',
      steps: [{ tool: 'update_service', args: { ...target, task_definition: 'api:2' } }],
    });
  });
});
