/**
 * Why ECS tasks stopped and what service events and log lines say, classified by fixed rules.
 * Everything classified here is data read from AWS: it is matched, never obeyed.
 */
import type { LogEventResult, TaskResult } from './ecs-results.js';

export const STOP_CAUSES = [
  'image-pull',
  'out-of-memory',
  'segfault',
  'application-error',
  'essential-container-exit',
  'start-failure',
  'resource-constraint',
  'health-check',
  'other',
] as const;
export type StopCause = (typeof STOP_CAUSES)[number];

export const CAUSE_LABELS: Record<StopCause, string> = {
  'image-pull': 'image pull failure',
  'out-of-memory': 'out of memory (exit code 137)',
  segfault: 'segmentation fault (exit code 139)',
  'application-error': 'application error (non-zero exit code)',
  'essential-container-exit': 'essential container stopped',
  'start-failure': 'containers cannot start (broken task definition)',
  'resource-constraint': 'resource constraints (tasks cannot be placed)',
  'health-check': 'failed health checks',
  other: 'stopped on purpose or for another reason',
};

export interface ClassifiedTask {
  taskArn: string;
  taskDefinition: string;
  cause: StopCause;
  /** The AWS text that shows the cause: the stopped reason, a container reason, an exit code. */
  evidence: string;
  exitCode?: number;
  stoppedAt?: string;
}

const PULL = /CannotPullContainerError|\bpull(?:ing|ed)?\b(?! secrets)/i;
const OUT_OF_MEMORY = /OutOfMemory|out of memory|OOMKilled|\bOOM\b|memory usage/i;
const START_FAILURE =
  /CannotStartContainerError|CannotCreateContainerError|CannotInspectContainerError|ResourceInitializationError|invalid (?:container|task) definition/i;
export const RESOURCE_CONSTRAINT =
  /RESOURCE:(?:MEMORY|CPU|PORTS|ENI|GPU)|unable to place|no container instance met|insufficient (?:memory|cpu)/i;
const HEALTH_CHECK = /health ?checks?/i;
const ON_PURPOSE = /Scaling activity|stopped by user|Task stopped by|rolled back by aws-copilot/i;
const ESSENTIAL_EXIT = /Essential container in task exited/i;

/** The stopped reason and the containers' reasons, each once (they often repeat each other). */
function reasonsOf(task: TaskResult): string[] {
  const reasons = [task.stopped_reason, ...task.containers.map((container) => container.reason)];
  return [...new Set(reasons.filter((reason): reason is string => Boolean(reason)))];
}

/** The first container that stopped with a non-zero exit code (essential containers first). */
function failedExit(task: TaskResult): { name: string; code: number } | undefined {
  const failed = task.containers.filter(
    (container) => container.exit_code !== undefined && container.exit_code !== 0,
  );
  const first = failed[0];
  return first ? { name: first.name, code: first.exit_code as number } : undefined;
}

function classifyText(task: TaskResult, text: string): StopCause | undefined {
  if (PULL.test(text)) return 'image-pull';
  if (OUT_OF_MEMORY.test(text)) return 'out-of-memory';
  if (START_FAILURE.test(text)) return 'start-failure';
  if (RESOURCE_CONSTRAINT.test(text)) return 'resource-constraint';
  if (HEALTH_CHECK.test(text)) return 'health-check';
  // A task stopped by a person or a deployment often exits 137 (SIGKILL): that is not a crash.
  if (task.stop_code === 'UserInitiated' || ON_PURPOSE.test(text)) return 'other';
  return undefined;
}

function classifyExit(code: number): StopCause {
  if (code === 137) return 'out-of-memory';
  if (code === 139) return 'segfault';
  return 'application-error';
}

export function classifyStoppedTask(task: TaskResult): ClassifiedTask {
  const reasons = reasonsOf(task);
  const text = reasons.join(' | ');
  const exit = failedExit(task);
  const base = {
    taskArn: task.task_arn,
    taskDefinition: task.task_definition_arn,
    ...(exit ? { exitCode: exit.code } : {}),
    ...(task.stopped_at ? { stoppedAt: task.stopped_at } : {}),
  };
  const exitText = exit ? `container ${exit.name} exited with code ${exit.code}` : undefined;
  const evidence = [text, exitText].filter(Boolean).join('; ') || 'no reason recorded';
  const byText = classifyText(task, text);
  if (byText) return { ...base, cause: byText, evidence };
  if (exit) return { ...base, cause: classifyExit(exit.code), evidence };
  if (ESSENTIAL_EXIT.test(text)) return { ...base, cause: 'essential-container-exit', evidence };
  return { ...base, cause: 'other', evidence };
}

export type EventSignal = 'resource-constraint' | 'deployment-failed' | 'start-loop' | 'steady-state';

/** What one service event says, when it says something the triage uses. */
export function classifyServiceEvent(message: string): EventSignal | undefined {
  if (RESOURCE_CONSTRAINT.test(message)) return 'resource-constraint';
  if (/deployment failed|circuit breaker|rolling back/i.test(message)) return 'deployment-failed';
  if (/unable to consistently start tasks/i.test(message)) return 'start-loop';
  if (/has reached a steady state/i.test(message)) return 'steady-state';
  return undefined;
}

export const LOG_PATTERNS = [
  { name: 'OOM', test: /OutOfMemory|\bOOM\b|out of memory|Killed process/i },
  { name: 'Traceback', test: /Traceback/ },
  { name: 'Exception', test: /Exception/ },
  { name: 'ERROR', test: /\bERROR\b/ },
] as const;

/** CloudWatch Logs syntax for "any of these terms"; the lines are checked again here in any case. */
export const LOG_FILTER_PATTERN = '?ERROR ?Exception ?Traceback ?OOM ?OutOfMemory';

export interface LogPatternCount {
  pattern: (typeof LOG_PATTERNS)[number]['name'];
  count: number;
  /** A few matching lines, shortened: quoted as evidence, never followed. */
  samples: string[];
}

const SAMPLE_LENGTH = 200;

export function countLogPatterns(events: LogEventResult[]): LogPatternCount[] {
  return LOG_PATTERNS.map(({ name, test }) => {
    const matching = events.filter((event) => test.test(event.message));
    return {
      pattern: name,
      count: matching.length,
      samples: matching.slice(0, 3).map((event) => event.message.trim().slice(0, SAMPLE_LENGTH)),
    };
  }).filter((entry) => entry.count > 0);
}
