/**
 * Post-Deployment Validator (read-only tools and an HTTP health check) and the closing summary.
 * A deployment AWS reports as anything but healthy is a failure, and is rolled back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AIMessage } from '@langchain/core/messages';
import { CopilotError } from '../../../errors/copilot-error.js';
import { telemetryFor } from '../../../telemetry/create-telemetry.js';
import { raiseAlert } from '../../../telemetry/observe.js';
import { observedNode } from '../../node-runner.js';
import { ROLES } from '../../roles.js';
import { type AgentRuntime, runtimeOf, sessionContextOf } from '../../runtime.js';
import { say } from '../../say.js';
import { compensate, type StepOutcome } from '../execute-plan.js';
import { rememberFailure } from '../project-memory.js';
import type { DeployStateType, DeployUpdate, ValidationResult } from '../state.js';
import { approvalForPlan } from './execute.js';

type Check = ValidationResult['checks'][number];

async function readTool<R>(
  runtime: AgentRuntime,
  userId: string,
  tool: string,
  args: Record<string, unknown>,
) {
  return runtime.runner.call<R>({ tool, args, role: ROLES.validator, userId });
}

async function httpCheck(name: string, url: string, attempts = 1): Promise<Check> {
  let check: Check = { name, ok: false, detail: `GET ${url} was not tried` };
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    if (attempt > 1) await sleep(3_000);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'follow' });
      check = { name, ok: response.ok, detail: `GET ${url} answered ${response.status}` };
    } catch (error) {
      check = { name, ok: false, detail: `GET ${url} failed: ${(error as Error).message}` };
    }
    if (check.ok) break;
  }
  return check;
}

/** The sample app's health route, relative to where the app answers. */
const HEALTH_PATH = 'api/health';

async function checksFor(
  state: DeployStateType,
  runtime: AgentRuntime,
  userId: string,
  outcomes: StepOutcome[],
): Promise<{ checks: Check[]; url?: string }> {
  const request = state.request;
  const region = request.region;
  const resultOf = (stepId: string) =>
    outcomes.find((outcome) => outcome.stepId === stepId)?.result as Record<string, unknown> | undefined;
  switch (request.target) {
    case 'lambda': {
      const deployed = resultOf('function');
      const name = String(deployed?.function_name ?? '');
      const answer = await readTool<{ state: string; last_update_status: string }>(
        runtime,
        userId,
        'get_lambda_function',
        { function_name: name, region },
      );
      if (answer.status === 'error')
        return { checks: [{ name: 'lambda-state', ok: false, detail: answer.error.message }] };
      const ok = answer.result.state === 'Active' && answer.result.last_update_status === 'Successful';
      const checks: Check[] = [
        {
          name: 'lambda-state',
          ok,
          detail: `State ${answer.result.state}, last update ${answer.result.last_update_status}`,
        },
      ];
      const functionUrl = deployed?.function_url;
      const url = typeof functionUrl === 'string' ? new URL(HEALTH_PATH, functionUrl).href : undefined;
      // The emulator serves no function URLs: the health URL can only be checked on real AWS, a few
      // times, since a new URL and its public permission can take seconds to answer.
      if (url && !runtime.settings.endpointUrl) checks.push(await httpCheck('health', url, 3));
      return { checks, ...(url ? { url } : {}) };
    }
    case 's3-static': {
      const url = String(resultOf('site')?.website_url ?? '');
      return { checks: [await httpCheck('website', url)], url };
    }
    case 'ec2': {
      const instanceId = String(resultOf('instance')?.instance_id ?? '');
      const answer = await readTool<{
        instances: Array<{ instance_id: string; state: string; public_ip?: string }>;
      }>(runtime, userId, 'list_ec2_instances', { region });
      const instance =
        answer.status === 'ok'
          ? answer.result.instances.find((candidate) => candidate.instance_id === instanceId)
          : undefined;
      const checks: Check[] = [
        {
          name: 'instance-state',
          ok: instance?.state === 'running',
          detail: `instance ${instanceId} is ${instance?.state ?? 'missing'}`,
        },
      ];
      const url = instance?.public_ip ? `http://${instance.public_ip}:8000/${HEALTH_PATH}` : undefined;
      // The emulator starts no machines: the health URL can only be checked on real AWS.
      if (url && !runtime.settings.endpointUrl) checks.push(await httpCheck('health', url));
      return { checks, ...(url ? { url } : {}) };
    }
    case 'ecs-fargate': {
      const answer = await readTool<{
        services: Array<{
          desired_count: number;
          running_count: number;
          deployments: Array<{ rollout_state?: string }>;
        }>;
      }>(runtime, userId, 'describe_services', {
        cluster: state.request.app_name,
        services: [state.request.app_name],
        region,
      });
      if (answer.status === 'error')
        return { checks: [{ name: 'service', ok: false, detail: answer.error.message }] };
      const service = answer.result.services[0];
      const failed = service?.deployments.some((deployment) => deployment.rollout_state === 'FAILED');
      return {
        checks: [
          {
            name: 'rollout',
            ok: !failed,
            detail: failed ? 'ECS rolled the deployment back (rolloutState FAILED)' : 'no failed rollout',
          },
          {
            name: 'tasks',
            ok: Boolean(service && service.running_count === service.desired_count),
            detail: `running ${service?.running_count ?? 0} of ${service?.desired_count ?? 0}`,
          },
        ],
      };
    }
    default:
      return { checks: [{ name: 'target', ok: false, detail: 'unknown target' }] };
  }
}

export const validateNode = observedNode(
  'validate',
  'post-deployment-validator',
  async (state: DeployStateType, config): Promise<DeployUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const execution = state.execution;
    if (execution?.status !== 'completed' || !state.plan || !state.deploymentId)
      throw new CopilotError('internal', 'validation without a completed execution');
    const { checks, url } = await checksFor(state, runtime, session.userId, execution.outcomes);
    const ok = checks.every((check) => check.ok);
    const validation: ValidationResult = { ok, checks, ...(url ? { url } : {}) };
    if (ok) return { validation };
    const approval = await approvalForPlan(runtime, session.userId, state.plan);
    const rollback = await compensate({
      runtime,
      session,
      deploymentId: state.deploymentId,
      plan: state.plan,
      approval,
      outcomes: execution.outcomes,
    });
    const failedChecks = checks
      .filter((check) => !check.ok)
      .map((check) => check.detail)
      .join('; ');
    return {
      validation,
      attempts: state.attempts + 1,
      problem: `The deployment finished but did not pass validation (${failedChecks}), so it was rolled back (${rollback.map((item) => `${item.stepId}: ${item.status}`).join(', ')}).`,
    };
  },
);

function runbook(state: DeployStateType): string {
  const lines = [
    'Runbook for a person:',
    `- request: target ${state.request.target}, region ${state.request.region}, app ${state.request.app_name ?? '(default)'}`,
    `- plan ${state.plan?.hash.slice(0, 12) ?? '-'}: ${state.plan?.steps.map((step) => `${step.id}=${step.tool}`).join(', ') ?? '-'}`,
    `- last problem: ${state.problem ?? 'none'}`,
    `- deployment id: ${state.deploymentId ?? '-'}; its journal lists every step, result and compensation`,
  ];
  return lines.join('\n');
}

/** o200k tokens the session's model calls spent on this deployment, and in the whole session. */
function tokensOf(runtime: AgentRuntime, sessionId: string, deploymentId: string) {
  const snapshot = runtime.budgetFor?.(sessionId)?.snapshot();
  if (!snapshot) return null;
  const deployment = snapshot.deployments[deploymentId] ?? { input_used: 0, output_used: 0 };
  return { deployment, session: { input_used: snapshot.input_used, output_used: snapshot.output_used } };
}

export const closeNode = observedNode(
  'close',
  'conversation-orchestrator',
  async (state: DeployStateType, config): Promise<DeployUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    let outcome = state.outcome;
    if (!outcome) outcome = state.validation?.ok ? 'succeeded' : state.attempts >= 2 ? 'escalated' : 'failed';
    const url = state.validation?.url;
    let text: string;
    if (outcome === 'succeeded') {
      const checks = state.validation?.checks.map((check) => check.detail).join('; ') ?? '';
      text = `Deployed: ${state.plan?.summary ?? 'the plan'} is live.${url ? ` It answers at ${url}.` : ''} Checks: ${checks}.`;
    } else if (outcome === 'escalated') {
      text = `I stopped after ${state.attempts} failed attempts and need a person to look at this. ${state.problem ?? ''}\n${runbook(state)}`;
    } else {
      text = state.problem ?? 'The deployment did not complete; nothing was left half-created.';
    }
    if (state.deploymentId) {
      const status =
        outcome === 'succeeded'
          ? 'succeeded'
          : outcome === 'escalated'
            ? 'escalated'
            : state.execution
              ? 'rolled-back'
              : 'failed';
      await runtime.store.deployments.update(session.userId, state.deploymentId, {
        status,
        ...(url ? { url } : {}),
        result: {
          outcome,
          attempts: state.attempts,
          dry_run_coverage: state.plan ? (state.previews?.length ?? 0) / state.plan.steps.length : 0,
          tokens: tokensOf(runtime, session.sessionId, state.deploymentId),
          checks: state.validation?.checks ?? [],
        },
      });
      // A failure that was rolled back teaches something: why, tagged with the stack, for the next project.
      if (status === 'rolled-back' || (status === 'escalated' && state.execution))
        await rememberFailure(runtime, state);
      // A deployment that failed (not one the person declined, nor a compliance block, alerted already) is critical.
      if (status !== 'succeeded' && outcome !== 'vetoed' && (outcome !== 'rejected' || state.execution)) {
        await raiseAlert(telemetryFor(runtime), 'deployment-failure', {
          sessionId: session.sessionId,
          summary: `Deployment ${state.deploymentId} ${status}: ${text}`,
          attributes: { deployment_id: state.deploymentId, outcome },
        });
      }
      await session.emit({
        type: 'deployment-end',
        deployment_id: state.deploymentId,
        status,
        ...(url ? { url } : {}),
        summary: text,
      });
    }
    await say(session, text);
    return { outcome, messages: [new AIMessage(text)] };
  },
);
