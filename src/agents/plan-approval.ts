/**
 * Asking a person to approve a plan, for any workflow: the plan, its previews and its hash go out
 * as an approval-request; the graph pauses in a LangGraph interrupt (checkpointed, so it survives
 * a restart); only an answer naming this exact plan hash approves it, and the decision is recorded.
 */
import { randomUUID } from 'node:crypto';
import { interrupt } from '@langchain/langgraph';
import { interruptAnswerSchema } from '../protocol/events.js';
import type { ToolPreview } from '../tools/define-tool.js';
import { type Plan, planRisk } from './plan.js';
import type { AgentRuntime, SessionContext } from './runtime.js';

export async function requestPlanApproval(input: {
  runtime: AgentRuntime;
  session: SessionContext;
  plan: Plan;
  previews: ToolPreview[];
  deploymentId: string;
}): Promise<void> {
  const { runtime, session, plan, deploymentId } = input;
  await runtime.store.deployments.update(session.userId, deploymentId, { status: 'awaiting-approval' });
  await session.emit({
    type: 'approval-request',
    plan_hash: plan.hash,
    plan_id: plan.id,
    deployment_id: deploymentId,
    steps: plan.steps,
    previews: input.previews,
    risk: planRisk(plan),
    summary: plan.summary,
  });
}

export type ApprovalDecision = { approved: true } | { approved: false; problem: string };

/** Pauses for the person's answer, then records it; a rejection also closes the deployment record. */
export async function awaitPlanApproval(input: {
  runtime: AgentRuntime;
  session: SessionContext;
  plan: Plan;
  deploymentId: string;
}): Promise<ApprovalDecision> {
  const { runtime, session, plan, deploymentId } = input;
  const raw = interrupt({ type: 'approval', plan_hash: plan.hash });
  const answer = interruptAnswerSchema.safeParse(raw);
  if (!answer.success || answer.data.kind !== 'approval') {
    return {
      approved: false,
      problem: 'The answer to the approval request was not an approval or a rejection; nothing was changed.',
    };
  }
  const matches = answer.data.plan_hash === plan.hash;
  const approved = matches && answer.data.decision === 'approve';
  await runtime.store.approvals.record({
    id: randomUUID(),
    userId: session.userId,
    sessionId: session.sessionId,
    planHash: plan.hash,
    decision: approved ? 'approved' : 'rejected',
    channel: 'chat',
    ...(answer.data.reason
      ? { reason: answer.data.reason }
      : !matches
        ? { reason: 'the answer named another plan' }
        : {}),
  });
  if (approved) return { approved: true };
  await runtime.store.deployments.update(session.userId, deploymentId, {
    status: 'failed',
    result: { reason: 'rejected' },
  });
  return {
    approved: false,
    problem: matches
      ? 'You rejected the plan, so nothing was changed.'
      : 'The approval named a different plan than the one shown, so it does not count; nothing was changed.',
  };
}
