/** plan_repair_plan.md: the numbered repair steps with their previews and success criteria, and what happens next. */
import type { ToolPreview } from '../../tools/define-tool.js';
import type { Plan } from '../plan.js';
import type { EcsTarget } from './ecs-target.js';
import type { Hypothesis } from './hypotheses.js';
import { bullets } from './markdown.js';

export type PlanStatus =
  | { kind: 'awaiting-approval' }
  | { kind: 'writes-off' }
  | { kind: 'no-change' }
  | { kind: 'preview-failed'; problem: string }
  | { kind: 'vetoed'; problem: string };

const STATUS_TEXT: Record<PlanStatus['kind'], string> = {
  'awaiting-approval': 'Waiting for your approval of this exact plan; nothing has been changed yet.',
  'writes-off':
    'Writes are off (setting `ecsAllowWrite`, environment variable `AWS_COPILOT_ECS_ALLOW_WRITE`), so nothing will be changed: this is what I would do. Turn writes on to apply it; every step would still wait for your approval.',
  'no-change': 'No change is proposed.',
  'preview-failed':
    'The preview of the plan failed, so it is not offered for approval and nothing was changed.',
  vetoed:
    'The compliance officer blocked the plan, so it is not offered for approval and nothing was changed.',
};

export function renderPlanReport(input: {
  target: EcsTarget;
  lead: Hypothesis | undefined;
  plan: Plan | undefined;
  previews: ToolPreview[];
  rationale: string;
  successCriteria: string[];
  status: PlanStatus;
  at: string;
}): string {
  const { target, plan, lead } = input;
  const steps = plan
    ? plan.steps
        .map((step, index) => {
          const preview = input.previews[index];
          return [
            `${index + 1}. ${step.description}`,
            `   - call: \`${step.tool}\` with \`${JSON.stringify(step.args)}\` (risk: ${step.risk})`,
            ...(preview ? [`   - preview (${preview.method}): ${preview.summary}`] : []),
            ...(preview?.warnings ?? []).map((warning) => `   - warning: ${warning}`),
          ].join('\n');
        })
        .join('\n')
    : '_No step: no automatic change is safe or needed._';
  return [
    `# Repair plan: ${target.service} (cluster ${target.cluster}, ${target.region})`,
    '',
    `Drafted at ${input.at}.${plan ? ` Plan hash \`${plan.hash}\`.` : ''}`,
    '',
    '## Diagnosis',
    '',
    lead ? `${lead.title} (confidence: ${lead.confidence}).` : 'No diagnosis.',
    '',
    '## Why this change',
    '',
    input.rationale,
    '',
    '## Steps',
    '',
    steps,
    '',
    '## Success criteria',
    '',
    bullets(input.successCriteria),
    '',
    '## Status',
    '',
    'problem' in input.status
      ? `${STATUS_TEXT[input.status.kind]}\n\n${input.status.problem}`
      : STATUS_TEXT[input.status.kind],
    '',
  ].join('\n');
}
