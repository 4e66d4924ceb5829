/**
 * The Change Planner's rules: the smallest change that addresses the leading hypothesis, built
 * in code as catalog tool calls (desiredCount +-1 or back up from 0, the previous task definition
 * revision, stopping one task). Nothing read from AWS or from logs can add a step.
 */
import type { PlanStep } from '../../protocol/events.js';
import type { ToolRunner } from '../../tools/runner.js';
import { createPlan, type Plan } from '../plan.js';
import { revisionOf, shortRevision } from './ecs-results.js';
import type { Hypothesis, HypothesisCause, TriageEvidence } from './hypotheses.js';

export interface RepairDraft {
  /** Absent when no automatic change is safe or needed. */
  plan?: Plan;
  /** Why this change (or why none), in plain words. */
  rationale: string;
  /** What verification checks after the change. */
  successCriteria: string[];
}

/** Causes a newer task definition revision can introduce, so going back one revision undoes them. */
const ROLLBACK_CAUSES = new Set<HypothesisCause>([
  'image-pull',
  'out-of-memory',
  'segfault',
  'application-error',
  'essential-container-exit',
  'start-failure',
  'failed-deployment',
  'health-check',
]);

const WHY_NO_ROLLBACK: Partial<Record<HypothesisCause, string>> = {
  'image-pull':
    'Fix the image reference or the registry permissions of the execution role, then register a new revision.',
  'out-of-memory': 'Raise the memory of the task definition in a new revision (register_task_definition).',
  'start-failure': 'Fix the task definition (command, secrets, mounts) in a new revision.',
  'application-error': 'Look at the application logs and fix the code or its configuration.',
  segfault: 'The process crashed with a segmentation fault: fix the binary or its native libraries.',
};

function step(
  runner: ToolRunner,
  id: string,
  tool: string,
  args: Record<string, unknown>,
  description: string,
): PlanStep {
  return { id, tool, args, risk: runner.riskOf(tool, args), description };
}

function rollback(evidence: TriageEvidence, lead: Hypothesis, runner: ToolRunner): RepairDraft | undefined {
  const { target, taskDefinition: current, previous } = evidence;
  if (!current || !previous || previous.revision >= current.revision) return undefined;
  const failing = evidence.stopped.filter((task) => task.cause === lead.cause);
  const onCurrent = failing.filter((task) => revisionOf(task.taskDefinition).revision === current.revision);
  // Going back helps only when the failures come from the current revision.
  if (failing.length > 0 && onCurrent.length === 0) return undefined;
  const from = `${current.family}:${current.revision}`;
  const to = `${previous.family}:${previous.revision}`;
  const plan = createPlan(`Roll ${target.service} in ${target.cluster} back from ${from} to ${to}`, [
    step(
      runner,
      'roll-back-task-definition',
      'update_service',
      { cluster: target.cluster, service: target.service, task_definition: to, region: target.region },
      `Point service ${target.service} back at ${to}, the revision before ${from}`,
    ),
  ]);
  return {
    plan,
    rationale: `The failures (${lead.title.toLowerCase()}) come with revision ${from}; ${to} is the previous ACTIVE revision, so going back to it is the smallest change.`,
    successCriteria: [
      `service ${target.service} runs ${to}`,
      'the primary deployment reaches rolloutState COMPLETED with running = desired',
      `no new task stops with the same cause (${lead.cause})`,
    ],
  };
}

function scale(evidence: TriageEvidence, runner: ToolRunner, desired: number, why: string): RepairDraft {
  const { target, service } = evidence;
  const id = desired > service.desired_count ? 'scale-up' : 'scale-down';
  const plan = createPlan(
    `Set ${target.service} in ${target.cluster} to ${desired} task(s) (now ${service.desired_count})`,
    [
      step(
        runner,
        id,
        'update_service',
        { cluster: target.cluster, service: target.service, desired_count: desired, region: target.region },
        `Change desiredCount of ${target.service} from ${service.desired_count} to ${desired}`,
      ),
    ],
  );
  return {
    plan,
    rationale: why,
    successCriteria: [
      `desiredCount is ${desired}`,
      `running = desired (${desired}) and the primary deployment is not FAILED`,
    ],
  };
}

export function draftRepair(
  evidence: TriageEvidence,
  hypotheses: Hypothesis[],
  runner: ToolRunner,
): RepairDraft {
  const lead = hypotheses[0];
  const { service, target } = evidence;
  if (!lead || lead.cause === 'healthy')
    return { rationale: 'Nothing is failing, so nothing is changed.', successCriteria: [] };
  if (lead.cause === 'scaled-to-zero')
    return scale(
      evidence,
      runner,
      1,
      'The service wants 0 tasks, so it serves nothing; scaling back up to one task is the smallest change that brings it back.',
    );
  if (ROLLBACK_CAUSES.has(lead.cause)) {
    const draft = rollback(evidence, lead, runner);
    if (draft) return draft;
    const current = evidence.taskDefinition
      ? shortRevision(evidence.taskDefinition.task_definition_arn)
      : 'the current revision';
    return {
      rationale: `Going back from ${current} would not help: there is no earlier ACTIVE revision, or the failures happen on older revisions too. ${WHY_NO_ROLLBACK[lead.cause] ?? 'A person needs to fix the cause.'}`,
      successCriteria: [],
    };
  }
  if (lead.cause === 'resource-constraint') {
    if (service.desired_count > 1)
      return scale(
        evidence,
        runner,
        service.desired_count - 1,
        'The cluster cannot place every task; one task fewer fits the capacity that is there while you add more.',
      );
    return {
      rationale:
        'The cluster cannot place even one task: add capacity (container instances or Fargate quota).',
      successCriteria: [],
    };
  }
  if (lead.cause === 'unhealthy-task') {
    const task = evidence.unhealthy[0] as string;
    const plan = createPlan(`Replace the unhealthy task ${task.split('/').pop()} of ${target.service}`, [
      step(
        runner,
        'stop-unhealthy-task',
        'stop_task',
        {
          cluster: target.cluster,
          task,
          reason: 'unhealthy: replaced by the service (aws-copilot repair)',
          region: target.region,
        },
        `Stop task ${task.split('/').pop()}; service ${target.service} starts a fresh one`,
      ),
    ]);
    return {
      plan,
      rationale:
        'One task fails its health check while the service otherwise runs: stopping it lets the service replace it.',
      successCriteria: ['running = desired', 'no running task reports UNHEALTHY'],
    };
  }
  if (lead.cause === 'capacity' && service.desired_count < 1000)
    return scale(
      evidence,
      runner,
      service.desired_count + 1,
      'No task fails, yet the service is slow: one more task is the smallest change that adds capacity.',
    );
  return {
    rationale: `${lead.title}. No automatic change is safe for this; a person should look at it.`,
    successCriteria: [],
  };
}
