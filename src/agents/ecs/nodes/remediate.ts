/**
 * Remediator (role ecs-remediator: update_service, stop_task, run_task only): runs the approved
 * plan as the journaled saga the deploy workflow uses. The runner approval is issued only from
 * the person's recorded decision on this exact plan hash.
 */
import { CopilotError } from '../../../errors/copilot-error.js';
import { executePlan } from '../../deploy/execute-plan.js';
import { approvalForPlan } from '../../deploy/nodes/execute.js';
import { observedNode } from '../../node-runner.js';
import { ROLES } from '../../roles.js';
import { runtimeOf, sessionContextOf } from '../../runtime.js';
import { type EcsStateType, type EcsUpdate, moment } from '../state.js';

export const remediateNode = observedNode(
  'remediate',
  ROLES.ecsRemediator.name,
  async (state: EcsStateType, config): Promise<EcsUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const { plan, deploymentId } = state;
    if (!plan || !deploymentId || state.approvedHash !== plan.hash) {
      throw new CopilotError('approval_required', 'remediation needs the approval of the current plan');
    }
    // Checked again here, not only where the plan stops: no path reaches a write with writes off.
    if (!runtime.settings.ecsAllowWrite)
      throw new CopilotError('approval_required', 'ECS writes are off (ecsAllowWrite); nothing was changed');
    const approval = await approvalForPlan(runtime, session.userId, plan);
    await runtime.store.deployments.update(session.userId, deploymentId, { status: 'running' });
    const execution = await executePlan({
      runtime,
      session,
      deploymentId,
      plan,
      approval,
      role: ROLES.ecsRemediator,
    });
    if (execution.status === 'completed') {
      return {
        execution,
        timeline: moment('remediate', `Applied: ${plan.steps.map((step) => step.description).join('; ')}.`),
      };
    }
    const undone =
      execution.rollback.map((item) => `${item.stepId}: ${item.status}`).join(', ') || 'nothing had changed';
    const problem = `Step ${execution.failedStep} failed: ${execution.error.message}${execution.error.aws_code ? ` (AWS code ${execution.error.aws_code})` : ''}. What had changed was undone (${undone}).`;
    return { execution, outcome: 'repair-failed', problem, timeline: moment('remediate', problem) };
  },
);
