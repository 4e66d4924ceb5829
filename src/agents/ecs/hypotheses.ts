/**
 * From triage evidence to ranked hypotheses, each with the evidence behind it. Rules, not a
 * model: the same evidence always gives the same diagnosis, and no text read from AWS steers it.
 */
import {
  CAUSE_LABELS,
  type ClassifiedTask,
  classifyServiceEvent,
  type LogPatternCount,
  type StopCause,
} from './classify.js';
import { type ServiceResult, shortRevision, type TaskDefinitionResult } from './ecs-results.js';
import type { EcsTarget } from './ecs-target.js';
import { quote } from './markdown.js';

export interface TriageEvidence {
  target: EcsTarget;
  service: ServiceResult;
  taskDefinition?: TaskDefinitionResult;
  /** The newest ACTIVE revision before the current one: where a rollback goes. */
  previous?: TaskDefinitionResult;
  stopped: ClassifiedTask[];
  /** Running tasks a health check reports UNHEALTHY. */
  unhealthy: string[];
  logs?: { group: string; patterns: LogPatternCount[]; error?: string };
  /** Reads that failed: the diagnosis says what it could not see. */
  readErrors: string[];
  /** Symptoms in the person's words: slow, timeouts... */
  slow: boolean;
}

export type HypothesisCause =
  | Exclude<StopCause, 'other'>
  | 'scaled-to-zero'
  | 'failed-deployment'
  | 'unhealthy-task'
  | 'tasks-not-running'
  | 'capacity'
  | 'healthy';

export interface Hypothesis {
  cause: HypothesisCause;
  title: string;
  confidence: 'high' | 'medium' | 'low';
  /** Our sentences; any text read from AWS or logs inside them is quoted with `quote`. */
  evidence: string[];
}

const RANK = { high: 0, medium: 1, low: 2 } as const;

/** What changed from the previous revision to the current one (images, sizes). */
export function revisionChanges(
  previous: TaskDefinitionResult | undefined,
  current: TaskDefinitionResult | undefined,
): string[] {
  if (!previous || !current) return [];
  const from = `${previous.family}:${previous.revision}`;
  const to = `${current.family}:${current.revision}`;
  const changes: string[] = [];
  if (previous.memory !== current.memory)
    changes.push(
      `task memory ${previous.memory ?? '-'} MiB in ${from} -> ${current.memory ?? '-'} MiB in ${to}`,
    );
  if (previous.cpu !== current.cpu)
    changes.push(`task cpu ${previous.cpu ?? '-'} in ${from} -> ${current.cpu ?? '-'} in ${to}`);
  for (const container of current.containers) {
    const before = previous.containers.find((candidate) => candidate.name === container.name);
    if (!before) {
      changes.push(`container ${container.name} is new in ${to}`);
      continue;
    }
    if (before.image !== container.image)
      changes.push(
        `image of ${container.name}: ${quote(before.image)} in ${from} -> ${quote(container.image)} in ${to}`,
      );
    const beforeMemory = before.memory ?? before.memory_reservation;
    const afterMemory = container.memory ?? container.memory_reservation;
    if (beforeMemory !== afterMemory)
      changes.push(`memory of ${container.name}: ${beforeMemory ?? '-'} MiB -> ${afterMemory ?? '-'} MiB`);
  }
  return changes;
}

function failedRollout(service: ServiceResult) {
  return service.deployments.find((deployment) => deployment.rollout_state === 'FAILED');
}

/** Evidence from outside the stopped tasks that supports a cause. */
function supporting(cause: StopCause, evidence: TriageEvidence): string[] {
  const lines: string[] = [];
  const changes = revisionChanges(evidence.previous, evidence.taskDefinition);
  const logs = evidence.logs?.patterns ?? [];
  const logLine = (names: string[]) =>
    logs
      .filter((entry) => names.includes(entry.pattern))
      .map(
        (entry) =>
          `${entry.count} log line(s) in ${quote(evidence.logs?.group ?? '')} match ${entry.pattern}, e.g. ${quote(entry.samples[0] ?? '')}`,
      );
  if (cause === 'image-pull') lines.push(...changes.filter((change) => change.startsWith('image')));
  if (cause === 'out-of-memory') {
    lines.push(...changes.filter((change) => change.includes('memory')));
    lines.push(...logLine(['OOM']));
  }
  if (cause === 'application-error' || cause === 'segfault' || cause === 'essential-container-exit') {
    lines.push(...changes);
    lines.push(...logLine(['Traceback', 'Exception', 'ERROR']));
  }
  if (cause === 'start-failure') lines.push(...changes);
  const rollout = failedRollout(evidence.service);
  if (rollout)
    lines.push(
      `deployment ${rollout.id} of ${shortRevision(rollout.task_definition)} has rolloutState FAILED${rollout.rollout_state_reason ? `: ${quote(rollout.rollout_state_reason)}` : ''}`,
    );
  return lines;
}

function stoppedTaskHypotheses(evidence: TriageEvidence): Hypothesis[] {
  const groups = new Map<Exclude<StopCause, 'other'>, ClassifiedTask[]>();
  for (const task of evidence.stopped) {
    if (task.cause === 'other') continue;
    groups.set(task.cause, [...(groups.get(task.cause) ?? []), task]);
  }
  const current = evidence.taskDefinition;
  return [...groups.entries()]
    .sort(([, a], [, b]) => b.length - a.length)
    .map(([cause, tasks]) => {
      const support = supporting(cause, evidence);
      const revisions = [...new Set(tasks.map((task) => shortRevision(task.taskDefinition)))].join(', ');
      const samples = [...new Set(tasks.map((task) => task.evidence))].slice(0, 3);
      return {
        cause,
        title: `Tasks stop because of ${CAUSE_LABELS[cause]}`,
        confidence: tasks.length >= 2 || support.length > 0 ? 'high' : 'medium',
        evidence: [
          `${tasks.length} stopped task(s) of ${revisions || current?.family || 'the service'}: ${CAUSE_LABELS[cause]}`,
          ...samples.map((sample) => `stopped reason: ${quote(sample)}`),
          ...support,
        ],
      } satisfies Hypothesis;
    });
}

function eventHypotheses(evidence: TriageEvidence, found: Hypothesis[]): Hypothesis[] {
  const placement = evidence.service.events.filter(
    (event) => classifyServiceEvent(event.message) === 'resource-constraint',
  );
  if (placement.length === 0 || found.some((hypothesis) => hypothesis.cause === 'resource-constraint'))
    return [];
  return [
    {
      cause: 'resource-constraint',
      title: `Tasks cannot be placed: ${CAUSE_LABELS['resource-constraint']}`,
      confidence: 'high',
      evidence: placement.slice(0, 3).map((event) => `service event: ${quote(event.message)}`),
    },
  ];
}

export function buildHypotheses(evidence: TriageEvidence): Hypothesis[] {
  const { service } = evidence;
  const found: Hypothesis[] = [];
  if (service.desired_count === 0) {
    found.push({
      cause: 'scaled-to-zero',
      title: 'The service is scaled to zero: it runs no tasks on purpose',
      confidence: 'high',
      evidence: [`desiredCount is 0 (running ${service.running_count}, pending ${service.pending_count})`],
    });
  }
  found.push(...stoppedTaskHypotheses(evidence));
  found.push(...eventHypotheses(evidence, found));
  const rollout = failedRollout(service);
  if (rollout && found.length === 0) {
    found.push({
      cause: 'failed-deployment',
      title: `The deployment of ${shortRevision(rollout.task_definition)} failed`,
      confidence: 'medium',
      evidence: [
        `rolloutState FAILED${rollout.rollout_state_reason ? `: ${quote(rollout.rollout_state_reason)}` : ''}`,
        ...revisionChanges(evidence.previous, evidence.taskDefinition),
      ],
    });
  }
  if (evidence.unhealthy.length > 0) {
    found.push({
      cause: 'unhealthy-task',
      title: 'A running task fails its health check',
      confidence: 'medium',
      evidence: evidence.unhealthy.map(
        (task) => `task ${task.split('/').pop()} reports healthStatus UNHEALTHY`,
      ),
    });
  }
  if (found.length === 0 && service.running_count < service.desired_count) {
    found.push({
      cause: 'tasks-not-running',
      title: 'Fewer tasks run than the service wants, with no stopped task explaining why',
      confidence: 'low',
      evidence: [
        `running ${service.running_count} of ${service.desired_count}, pending ${service.pending_count}`,
      ],
    });
  }
  if (found.length === 0 && evidence.slow) {
    found.push({
      cause: 'capacity',
      title: 'No failures found: the service may need more capacity for its load',
      confidence: 'low',
      evidence: [
        `running ${service.running_count} of ${service.desired_count}, no failing tasks, no failed rollout`,
        'you described the service as slow',
      ],
    });
  }
  if (found.length === 0) {
    found.push({
      cause: 'healthy',
      title: 'The service looks healthy',
      confidence: 'medium',
      evidence: [
        `running ${service.running_count} of ${service.desired_count}; no failing tasks, no failed rollout`,
      ],
    });
  }
  // Stable sort: among equals, the order above (scale first, then the largest group of failures).
  return found
    .map((hypothesis, index) => ({ hypothesis, index }))
    .sort((a, b) => RANK[a.hypothesis.confidence] - RANK[b.hypothesis.confidence] || a.index - b.index)
    .map(({ hypothesis }) => hypothesis);
}
