/** What the person reads before saying yes to one call or to a whole plan, and why a call was refused. */
import type { PolicyDecision } from '../guardrails/policy.js';
import { redactor } from '../guardrails/redaction.js';
import type { AgentEvent } from '../protocol/events.js';
import type { Risk, ToolPreview } from '../tools/define-tool.js';

type ApprovalRequest = Extract<AgentEvent, { type: 'approval-request' }>;

/** A tool's preview, or one as an approval-request event carries it. */
interface PreviewText {
  summary: string;
  method: string;
  changes: Array<{ kind: string; resource: string; detail?: string | undefined }>;
  warnings: string[];
}

function previewLines(preview: PreviewText): string[] {
  const lines = [`${preview.summary} [${preview.method}]`];
  for (const change of preview.changes)
    lines.push(`  ${change.kind} ${change.resource}${change.detail ? `: ${change.detail}` : ''}`);
  for (const warning of preview.warnings) lines.push(`  warning: ${warning}`);
  return lines;
}

export function describeCall(input: {
  tool: string;
  risk: Risk;
  irreversible: boolean;
  args: unknown;
  preview: ToolPreview | undefined;
  /** The policy's "ask": why this call in particular needs a careful look. */
  policy?: Pick<PolicyDecision, 'reasonCode' | 'reason'>;
}): string {
  const kind = `${input.risk}${input.irreversible ? ', cannot be undone' : ''}`;
  return redactor.text(
    [
      `An assistant asks aws-copilot to run ${input.tool} (${kind}).`,
      ...(input.policy
        ? [`The policy asks you to check this call (${input.policy.reasonCode}): ${input.policy.reason}.`]
        : []),
      `Arguments: ${JSON.stringify(input.args)}`,
      ...(input.preview ? ['What it would do:', ...previewLines(input.preview)] : []),
      'Accept to run exactly this call once; decline to refuse it.',
    ].join('\n'),
  );
}

export function describePlan(request: ApprovalRequest): string {
  const lines = [`An assistant asks you to approve this plan (risk ${request.risk}): ${request.summary}`];
  for (const [index, step] of request.steps.entries()) {
    lines.push(`${index + 1}. ${step.tool} [${step.risk}] ${step.description}`);
    const preview = request.previews[index];
    if (preview) lines.push(...previewLines(preview).map((line) => `   ${line}`));
  }
  lines.push('Accept to run exactly this plan; decline to reject it.');
  return redactor.text(lines.join('\n'));
}

export const REFUSALS = {
  writesOff: (what: string) =>
    `${what} changes things, and writes are off in this MCP server, so nothing was changed. To allow them, restart 'aws-copilot mcp' with AWS_COPILOT_MCP_ALLOW_WRITES=true (setting mcpAllowWrites); each change is then confirmed by you in your MCP client.`,
  cannotAsk: (what: string, policy?: Pick<PolicyDecision, 'reasonCode' | 'reason'>) =>
    `${what} needs your confirmation${policy ? ` (the policy asks a person to check it, ${policy.reasonCode}: ${policy.reason})` : ''}, but this MCP client cannot ask you (it does not support elicitation), so it was refused and nothing was changed. Use a client that supports elicitation, or run it yourself with 'aws-copilot tools run' or 'aws-copilot chat'.`,
  policy: (what: string, decision: Pick<PolicyDecision, 'reasonCode' | 'reason'>) =>
    `${what} was refused by the policy (${decision.reasonCode}): ${decision.reason}. Nothing was changed; only a person lifts this, by changing the policy file (setting policyFile).`,
  declined: (what: string, answer: 'decline' | 'cancel') =>
    answer === 'decline'
      ? `You declined ${what}, so nothing was changed.`
      : `${what} was not confirmed (the question was dismissed or got no answer), so nothing was changed.`,
};
