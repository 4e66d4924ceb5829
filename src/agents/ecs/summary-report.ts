/** report_summary.md: outcome, timeline, evidence, the actions with their AWS request ids, and the other reports. */
import type { EcsTarget } from './ecs-target.js';
import type { Hypothesis } from './hypotheses.js';
import { bullets, table } from './markdown.js';
import type { TimelineEntry, VerificationResult } from './state.js';

export interface ActionRecord {
  step: string;
  tool: string;
  mode: string;
  args: unknown;
  outcome: string;
  /** The AWS calls the action made, with their request ids, from the audit trail. */
  calls: Array<{ operation: string; requestId?: string }>;
}

export function renderSummaryReport(input: {
  target: EcsTarget | undefined;
  outcome: string;
  headline: string;
  timeline: TimelineEntry[];
  hypotheses: Hypothesis[];
  actions: ActionRecord[];
  verification: VerificationResult | undefined;
  reports: string[];
  deploymentId: string | undefined;
}): string {
  const { target } = input;
  const lead = input.hypotheses[0];
  return [
    `# Report: ${target ? `${target.service} (cluster ${target.cluster}, ${target.region})` : 'ECS service'}`,
    '',
    '## Outcome',
    '',
    `**${input.outcome}**: ${input.headline}`,
    ...(input.deploymentId ? ['', `Repair record: \`${input.deploymentId}\` (target ecs-repair).`] : []),
    '',
    '## Timeline',
    '',
    table(
      ['time', 'phase', 'what happened'],
      input.timeline.map((entry) => [entry.at, entry.phase, entry.text]),
    ),
    '',
    '## Evidence',
    '',
    lead ? `${lead.title} (confidence: ${lead.confidence})\n\n${bullets(lead.evidence)}` : '_no diagnosis_',
    '',
    '## Actions',
    '',
    table(
      ['step', 'tool', 'mode', 'arguments', 'outcome', 'AWS calls (request id)'],
      input.actions.map((action) => [
        action.step,
        action.tool,
        action.mode,
        `\`${JSON.stringify(action.args)}\``,
        action.outcome,
        action.calls.length > 0
          ? action.calls
              .map((call) => `${call.operation} \`${call.requestId ?? 'no request id'}\``)
              .join(', ')
          : '-',
      ]),
    ),
    '',
    '## Verification',
    '',
    input.verification
      ? bullets(
          input.verification.checks.map(
            (check) => `${check.ok ? 'ok' : 'FAILED'} ${check.name}: ${check.detail}`,
          ),
        )
      : '_not run_',
    '',
    '## Reports',
    '',
    bullets(input.reports.map((name) => `\`${name}\``)),
    '',
  ].join('\n');
}
