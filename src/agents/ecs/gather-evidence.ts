/**
 * Triage's reads (role ecs-triage, read-only): the service with its deployments and events, the
 * task definition and the revision before it, stopped tasks with their reasons, unhealthy running
 * tasks, and error lines of the awslogs group. A read that fails is noted, not fatal.
 */
import { ROLES } from '../roles.js';
import type { AgentRuntime, SessionContext } from '../runtime.js';
import { classifyStoppedTask, countLogPatterns, LOG_FILTER_PATTERN } from './classify.js';
import type { LogEventResult, ServiceResult, TaskDefinitionResult, TaskResult } from './ecs-results.js';
import { revisionOf } from './ecs-results.js';
import type { EcsTarget } from './ecs-target.js';
import type { TriageEvidence } from './hypotheses.js';
import { readOrNote, readTool } from './read-tool.js';

const role = ROLES.ecsTriage;
/** How far back a rollback may look for an ACTIVE revision. */
const REVISIONS_BACK = 5;
const TASKS_READ = 100;
const LOG_WINDOW_MS = 24 * 60 * 60 * 1000;

interface Reader {
  runtime: AgentRuntime;
  session: SessionContext;
  target: EcsTarget;
  errors: string[];
}

function read<R>(reader: Reader, tool: string, args: Record<string, unknown>) {
  return readOrNote<R>(reader.errors, reader.runtime, reader.session, role, tool, {
    ...args,
    region: reader.target.region,
  });
}

/** The newest ACTIVE revision older than `current`: an older deployment's first, else counting down. */
async function previousRevision(
  reader: Reader,
  service: ServiceResult,
  current: TaskDefinitionResult,
): Promise<TaskDefinitionResult | undefined> {
  const older = service.deployments
    .map((deployment) => revisionOf(deployment.task_definition))
    .filter(
      (reference) => reference.family === current.family && (reference.revision ?? 0) < current.revision,
    )
    .map((reference) => reference.revision as number);
  const counting = Array.from({ length: REVISIONS_BACK }, (_, index) => current.revision - 1 - index).filter(
    (revision) => revision >= 1,
  );
  for (const revision of [...new Set([...older.sort((a, b) => b - a), ...counting])]) {
    // A missing revision is expected here, so it is not noted as a failed read.
    const envelope = await readTool<TaskDefinitionResult>(
      reader.runtime,
      reader.session,
      role,
      'describe_task_definition',
      {
        task_definition: `${current.family}:${revision}`,
        region: reader.target.region,
      },
    );
    if (envelope.status === 'ok' && envelope.result.status === 'ACTIVE') return envelope.result;
  }
  return undefined;
}

async function describeTasks(reader: Reader, status: 'STOPPED' | 'RUNNING'): Promise<TaskResult[]> {
  const { cluster, service } = reader.target;
  const listed = await read<{ task_arns: string[] }>(reader, 'list_tasks', {
    cluster,
    service_name: service,
    desired_status: status,
  });
  const arns = listed?.task_arns.slice(0, TASKS_READ) ?? [];
  if (arns.length === 0) return [];
  const described = await read<{ tasks: TaskResult[] }>(reader, 'describe_tasks', { cluster, tasks: arns });
  return described?.tasks ?? [];
}

async function logErrors(reader: Reader, definition: TaskDefinitionResult): Promise<TriageEvidence['logs']> {
  const awslogs = definition.containers.find(
    (container) =>
      container.log_configuration?.driver === 'awslogs' &&
      container.log_configuration.options?.['awslogs-group'],
  )?.log_configuration?.options;
  const group = awslogs?.['awslogs-group'];
  if (!group) return undefined;
  const errors: string[] = [];
  const found = await readOrNote<{ events: LogEventResult[] }>(
    errors,
    reader.runtime,
    reader.session,
    role,
    'filter_log_events',
    {
      log_group_name: group,
      // Real CloudWatch returns only the matching lines; emulators may ignore the pattern, so the
      // lines are matched again locally either way.
      filter_pattern: LOG_FILTER_PATTERN,
      start_time: Date.now() - LOG_WINDOW_MS,
      limit: 500,
      region: awslogs['awslogs-region'] ?? reader.target.region,
    },
  );
  return {
    group,
    patterns: countLogPatterns(found?.events ?? []),
    ...(errors[0] ? { error: errors[0] } : {}),
  };
}

/** The stopped tasks, classified, newest first. */
export function classifyStopped(tasks: TaskResult[]) {
  return tasks.map(classifyStoppedTask).sort((a, b) => (b.stoppedAt ?? '').localeCompare(a.stoppedAt ?? ''));
}

export async function gatherEvidence(input: {
  runtime: AgentRuntime;
  session: SessionContext;
  target: EcsTarget;
  slow: boolean;
}): Promise<TriageEvidence | { missing: string }> {
  const { target } = input;
  const reader: Reader = { ...input, errors: [] };
  const described = await read<{ services: ServiceResult[]; failures: Array<{ reason: string }> }>(
    reader,
    'describe_services',
    { cluster: target.cluster, services: [target.service] },
  );
  const service = described?.services.find((candidate) => candidate.status !== 'INACTIVE');
  if (!service) {
    const why = described?.failures[0]?.reason ?? reader.errors[0] ?? 'not found';
    return {
      missing: `Service ${target.service} in cluster ${target.cluster} (${target.region}) could not be read: ${why}.`,
    };
  }
  const taskDefinition = service.task_definition
    ? await read<TaskDefinitionResult>(reader, 'describe_task_definition', {
        task_definition: service.task_definition,
      })
    : undefined;
  const previous = taskDefinition ? await previousRevision(reader, service, taskDefinition) : undefined;
  const stopped = classifyStopped(await describeTasks(reader, 'STOPPED'));
  const running = service.running_count > 0 ? await describeTasks(reader, 'RUNNING') : [];
  const logs = taskDefinition ? await logErrors(reader, taskDefinition) : undefined;
  return {
    target,
    service,
    ...(taskDefinition ? { taskDefinition } : {}),
    ...(previous ? { previous } : {}),
    stopped,
    unhealthy: running.filter((task) => task.health_status === 'UNHEALTHY').map((task) => task.task_arn),
    ...(logs ? { logs } : {}),
    readErrors: reader.errors,
    slow: input.slow,
  };
}
