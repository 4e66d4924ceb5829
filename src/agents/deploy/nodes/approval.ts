/**
 * Approval: the plan, its previews and its hash go to the person; the graph pauses (a LangGraph
 * interrupt, checkpointed, so it survives a restart). Only the person's answer resumes it, and
 * only an answer naming this exact plan hash approves it.
 */
import { randomUUID } from 'node:crypto';
import { interrupt } from '@langchain/langgraph';
import { CopilotError } from '../../../errors/copilot-error.js';
import { interruptAnswerSchema } from '../../../protocol/events.js';
import { observedNode } from '../../node-runner.js';
import { planRisk } from '../../plan.js';
import { runtimeOf, sessionContextOf } from '../../runtime.js';
import { say } from '../../say.js';
import type { DeployStateType, DeployUpdate } from '../state.js';

export const askApprovalNode = observedNode(
  'ask-approval',
  'conversation-orchestrator',
  async (state: DeployStateType, config): Promise<DeployUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const plan = state.plan;
    if (!plan || !state.deploymentId) throw new CopilotError('internal', 'approval without a plan');
    await runtime.store.deployments.update(session.userId, state.deploymentId, {
      status: 'awaiting-approval',
    });
    // After a rollback the person hears what went wrong before being asked again.
    if (state.problem) await say(session, `${state.problem} Here is the plan again; approve it to retry.`);
    // "ask": the policy wants a person to look at this plan in particular; the approval is that look.
    if (state.compliance?.decision === 'ask')
      await say(
        session,
        `The compliance officer asks you to check this plan before approving it (${state.compliance.reasonCode}): ${state.compliance.reason}.`,
      );
    await session.emit({
      type: 'approval-request',
      plan_hash: plan.hash,
      plan_id: plan.id,
      deployment_id: state.deploymentId,
      steps: plan.steps,
      previews: state.previews ?? [],
      risk: planRisk(plan),
      summary: plan.summary,
    });
    return {};
  },
);

export const awaitApprovalNode = observedNode(
  'await-approval',
  'conversation-orchestrator',
  async (state: DeployStateType, config): Promise<DeployUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const plan = state.plan;
    if (!plan || !state.deploymentId) throw new CopilotError('internal', 'approval without a plan');
    const raw = interrupt({ type: 'approval', plan_hash: plan.hash });
    const answer = interruptAnswerSchema.safeParse(raw);
    if (!answer.success || answer.data.kind !== 'approval') {
      return {
        outcome: 'rejected',
        problem:
          'The answer to the approval request was not an approval or a rejection; nothing was changed.',
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
    if (!approved) {
      await runtime.store.deployments.update(session.userId, state.deploymentId, {
        status: 'failed',
        result: { reason: 'rejected' },
      });
      return {
        outcome: 'rejected',
        problem: matches
          ? 'You rejected the plan, so nothing was created or changed.'
          : 'The approval named a different plan than the one shown, so it does not count; nothing was changed.',
      };
    }
    return { approvedHash: plan.hash };
  },
);
