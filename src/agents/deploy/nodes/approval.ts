/**
 * Approval of a deploy plan, through the shared plan-approval steps: the request (after saying
 * what went wrong last time, or why the policy wants a look) and the paused wait for the answer.
 */
import { CopilotError } from '../../../errors/copilot-error.js';
import { askText } from '../../compliance-review.js';
import { observedNode } from '../../node-runner.js';
import { awaitPlanApproval, requestPlanApproval } from '../../plan-approval.js';
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
    // After a rollback the person hears what went wrong before being asked again.
    if (state.problem) await say(session, `${state.problem} Here is the plan again; approve it to retry.`);
    // "ask": the policy wants a person to look at this plan in particular; the approval is that look.
    if (state.compliance?.decision === 'ask') await say(session, askText(state.compliance));
    await requestPlanApproval({
      runtime,
      session,
      plan,
      previews: state.previews ?? [],
      deploymentId: state.deploymentId,
    });
    return {};
  },
);

export const awaitApprovalNode = observedNode(
  'await-approval',
  'conversation-orchestrator',
  async (state: DeployStateType, config): Promise<DeployUpdate> => {
    const plan = state.plan;
    if (!plan || !state.deploymentId) throw new CopilotError('internal', 'approval without a plan');
    const decision = await awaitPlanApproval({
      runtime: runtimeOf(config),
      session: sessionContextOf(config),
      plan,
      deploymentId: state.deploymentId,
    });
    return decision.approved
      ? { approvedHash: plan.hash }
      : { outcome: 'rejected', problem: decision.problem };
  },
);
