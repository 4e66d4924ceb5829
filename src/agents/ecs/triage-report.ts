/** triage_report.md: what the service, its tasks, its task definition and its logs show, and the hypotheses. */
import { CAUSE_LABELS } from './classify.js';
import { shortRevision, type TaskDefinitionResult } from './ecs-results.js';
import { type Hypothesis, revisionChanges, type TriageEvidence } from './hypotheses.js';
import { bullets, DATA_NOTICE, quote, table } from './markdown.js';

function definitionLines(label: string, definition: TaskDefinitionResult | undefined): string[] {
  if (!definition) return [`- ${label}: _not found_`];
  return [
    `- ${label}: ${definition.family}:${definition.revision} (${definition.status}), cpu ${definition.cpu ?? '-'}, memory ${definition.memory ?? '-'} MiB`,
    ...definition.containers.map(
      (container) =>
        `  - container ${container.name}: image ${quote(container.image)}, memory ${container.memory ?? container.memory_reservation ?? '-'} MiB`,
    ),
  ];
}

export function renderHypotheses(hypotheses: Hypothesis[]): string {
  return hypotheses
    .map((hypothesis, index) =>
      [
        `${index + 1}. **${hypothesis.title}** (confidence: ${hypothesis.confidence}, cause: ${hypothesis.cause})`,
        ...hypothesis.evidence.map((line) => `   - ${line}`),
      ].join('\n'),
    )
    .join('\n');
}

export function renderTriageReport(evidence: TriageEvidence, hypotheses: Hypothesis[], at: string): string {
  const { service, target } = evidence;
  const deployments = table(
    ['deployment', 'status', 'task definition', 'rollout', 'desired / running / pending', 'failed tasks'],
    service.deployments.map((deployment) => [
      deployment.id,
      deployment.status,
      shortRevision(deployment.task_definition),
      `${deployment.rollout_state ?? '-'}${deployment.rollout_state_reason ? ` ${quote(deployment.rollout_state_reason)}` : ''}`,
      `${deployment.desired_count} / ${deployment.running_count} / ${deployment.pending_count}`,
      String(deployment.failed_tasks),
    ]),
  );
  const stopped = table(
    ['task', 'revision', 'cause', 'evidence'],
    evidence.stopped
      .slice(0, 20)
      .map((task) => [
        task.taskArn.split('/').pop() ?? task.taskArn,
        shortRevision(task.taskDefinition),
        CAUSE_LABELS[task.cause],
        quote(task.evidence),
      ]),
  );
  const logs = evidence.logs;
  const logLines = logs
    ? [
        `log group ${quote(logs.group)}${logs.error ? `: could not be read (${quote(logs.error)})` : ''}`,
        ...logs.patterns.map(
          (entry) =>
            `${entry.pattern}: ${entry.count} line(s)\n${entry.samples.map((sample) => `  - ${quote(sample)}`).join('\n')}`,
        ),
      ]
    : ['no awslogs log group in the task definition'];
  return [
    `# Triage report: ${target.service} (cluster ${target.cluster}, ${target.region})`,
    '',
    `Read-only triage at ${at}.`,
    '',
    DATA_NOTICE,
    '',
    '## Service',
    '',
    bullets([
      `status ${service.status}; desired ${service.desired_count}, running ${service.running_count}, pending ${service.pending_count}`,
      `task definition ${shortRevision(service.task_definition)}`,
    ]),
    '',
    deployments,
    '',
    '### Recent events',
    '',
    bullets(service.events.slice(0, 5).map((event) => `${event.created_at ?? ''} ${quote(event.message)}`)),
    '',
    '## Task definition',
    '',
    [
      ...definitionLines('current', evidence.taskDefinition),
      ...definitionLines('previous ACTIVE revision', evidence.previous),
      ...revisionChanges(evidence.previous, evidence.taskDefinition).map((change) => `- changed: ${change}`),
    ].join('\n'),
    '',
    `## Stopped tasks (${evidence.stopped.length})`,
    '',
    stopped,
    '',
    '## Log error patterns',
    '',
    bullets(logLines),
    '',
    '## Hypotheses',
    '',
    renderHypotheses(hypotheses),
    ...(evidence.readErrors.length > 0
      ? ['', '## What could not be read', '', bullets(evidence.readErrors.map((error) => quote(error)))]
      : []),
    '',
  ].join('\n');
}
