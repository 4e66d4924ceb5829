/** Approval of the repair plan: the shared approval request and interrupt, for the ECS state. */
import { CopilotError } from '../../../errors/copilot-error.js';
import { observedNode } from '../../node-runner.js';
import { awaitPlanApproval, requestPlanApproval } from '../../plan-approval.js';
import { runtimeOf, sessionContextOf } from '../../runtime.js';
import { type EcsStateType, type EcsUpdate, moment } from '../state.js';
import { CONTEXTUALIZER } from './contextualize.js';

function planOf(state: EcsStateType) {
  if (!state.plan || !state.deploymentId) throw new CopilotError('internal', 'approval without a plan');
  return { plan: state.plan, deploymentId: state.deploymentId };
}

export const askApprovalNode = observedNode(
  'ask-approval',
  CONTEXTUALIZER,
  async (state: EcsStateType, config): Promise<EcsUpdate> => {
    const { plan, deploymentId } = planOf(state);
    await requestPlanApproval({
      runtime: runtimeOf(config),
      session: sessionContextOf(config),
      plan,
      previews: state.previews ?? [],
      deploymentId,
    });
    return { timeline: moment('approval', `Asked for approval of plan ${plan.hash.slice(0, 12)}.`) };
  },
);

export const awaitApprovalNode = observedNode(
  'await-approval',
  CONTEXTUALIZER,
  async (state: EcsStateType, config): Promise<EcsUpdate> => {
    const { plan, deploymentId } = planOf(state);
    const decision = await awaitPlanApproval({
      runtime: runtimeOf(config),
      session: sessionContextOf(config),
      plan,
      deploymentId,
    });
    if (!decision.approved)
      return {
        outcome: 'rejected',
        problem: decision.problem,
        timeline: moment('approval', decision.problem),
      };
    return {
      approvedHash: plan.hash,
      timeline: moment('approval', `Plan ${plan.hash.slice(0, 12)} approved.`),
    };
  },
);
