/**
 * Deployment Executor: runs the approved plan as a journaled saga. The approval handed to the
 * runner is issued here only after the store shows the person approved this exact plan hash.
 */
import { CopilotError } from '../../../errors/copilot-error.js';
import type { Approval } from '../../../guardrails/approvals.js';
import { observedNode } from '../../node-runner.js';
import type { Plan } from '../../plan.js';
import { type AgentRuntime, runtimeOf, sessionContextOf } from '../../runtime.js';
import { executePlan } from '../execute-plan.js';
import type { DeployStateType, DeployUpdate } from '../state.js';

/** Re-issues the runner approval from the recorded decision (also after a restart). */
export async function approvalForPlan(runtime: AgentRuntime, userId: string, plan: Plan): Promise<Approval> {
  const decisions = await runtime.store.approvals.forPlan(plan.hash);
  const last = decisions.filter((decision) => decision.userId === userId).at(-1);
  if (last?.decision !== 'approved') {
    throw new CopilotError(
      'approval_required',
      `plan ${plan.hash.slice(0, 12)} has no recorded approval by ${userId}`,
    );
  }
  // Arguments as the plan holds them: secrets sealed, so the approval binds the sealed form.
  const calls = plan.steps.map((step) => ({
    tool: step.tool,
    args: runtime.runner.approvalArgs(step.tool, step.args),
  }));
  return runtime.approvals.grant({ grantedBy: userId, channel: 'chat', planHash: plan.hash, calls });
}

export const executeNode = observedNode(
  'execute',
  'deployment-executor',
  async (state: DeployStateType, config): Promise<DeployUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const plan = state.plan;
    const deploymentId = state.deploymentId;
    if (!plan || !deploymentId || state.approvedHash !== plan.hash) {
      throw new CopilotError('approval_required', 'execution needs the approval of the current plan');
    }
    const approval = await approvalForPlan(runtime, session.userId, plan);
    await runtime.store.deployments.update(session.userId, deploymentId, { status: 'running' });
    const execution = await executePlan({ runtime, session, deploymentId, plan, approval });
    if (execution.status === 'completed') return { execution, problem: undefined };
    const undone =
      execution.rollback.map((item) => `${item.stepId}: ${item.status}`).join(', ') ||
      'nothing had been created';
    return {
      execution,
      attempts: state.attempts + 1,
      problem: `Step ${execution.failedStep} failed: ${execution.error.message}${execution.error.aws_code ? ` (AWS code ${execution.error.aws_code})` : ''}. Everything this deployment had created was rolled back (${undone}).`,
    };
  },
);
