/**
 * Verifier (role ecs-verifier, read-only): after the change, the rollout settles (COMPLETED, not
 * FAILED), running = desired, the service shows the planned change, and no new task stopped for
 * the cause the repair addressed. Writes verify_post_check.md.
 */
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { CopilotError } from '../../../errors/copilot-error.js';
import { observedNode } from '../../node-runner.js';
import { ROLES } from '../../roles.js';
import { type AgentRuntime, runtimeOf, type SessionContext, sessionContextOf } from '../../runtime.js';
import { say } from '../../say.js';
import type { ServiceResult, TaskResult } from '../ecs-results.js';
import { shortRevision } from '../ecs-results.js';
import type { EcsTarget } from '../ecs-target.js';
import { classifyStopped } from '../gather-evidence.js';
import { quote } from '../markdown.js';
import { readOrNote } from '../read-tool.js';
import { REPORT_NAMES, saveReport } from '../save-report.js';
import { type EcsStateType, type EcsUpdate, moment, type VerificationResult } from '../state.js';
import { renderVerifyReport } from '../verify-report.js';

type Check = VerificationResult['checks'][number];

/** A rollout on AWS takes minutes: look again every 15 s for up to 5 minutes while it is in progress. */
const POLL_INTERVAL_MS = 15_000;
const POLL_DEADLINE_MS = 5 * 60_000;

const role = ROLES.ecsVerifier;

function primaryOf(service: ServiceResult) {
  return service.deployments.find((deployment) => deployment.status === 'PRIMARY') ?? service.deployments[0];
}

function settled(service: ServiceResult): boolean {
  const rollout = primaryOf(service)?.rollout_state;
  if (rollout === 'FAILED') return true;
  return rollout !== 'IN_PROGRESS' && service.running_count === service.desired_count;
}

function pause(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function settledService(
  runtime: AgentRuntime,
  session: SessionContext,
  target: EcsTarget,
  errors: string[],
  config: LangGraphRunnableConfig,
): Promise<ServiceResult | undefined> {
  const deadline = Date.now() + POLL_DEADLINE_MS;
  let told = false;
  for (;;) {
    const described = await readOrNote<{ services: ServiceResult[] }>(
      errors,
      runtime,
      session,
      role,
      'describe_services',
      {
        cluster: target.cluster,
        services: [target.service],
        region: target.region,
      },
    );
    const service = described?.services[0];
    if (!service || settled(service) || Date.now() + POLL_INTERVAL_MS > deadline || config.signal?.aborted)
      return service;
    if (!told) {
      await say(
        session,
        'The rollout is still in progress; I will look again every 15 seconds for up to 5 minutes.',
      );
      told = true;
    }
    await pause(POLL_INTERVAL_MS, config.signal);
  }
}

function serviceChecks(state: EcsStateType, service: ServiceResult): Check[] {
  const primary = primaryOf(service);
  const rollout = primary?.rollout_state;
  const checks: Check[] = [
    {
      name: 'rollout',
      ok: rollout === undefined || rollout === 'COMPLETED',
      detail: rollout
        ? `primary deployment ${shortRevision(primary?.task_definition ?? '')}: rolloutState ${rollout}${primary?.rollout_state_reason ? ` ${quote(primary.rollout_state_reason)}` : ''}`
        : 'no rollout state reported',
    },
    {
      name: 'tasks',
      ok: service.running_count === service.desired_count,
      detail: `running ${service.running_count} of ${service.desired_count} (pending ${service.pending_count})`,
    },
  ];
  for (const step of state.plan?.steps ?? []) {
    if (step.tool !== 'update_service') continue;
    const wanted = step.args.task_definition as string | undefined;
    if (wanted)
      checks.push({
        name: 'task-definition',
        ok: shortRevision(service.task_definition) === shortRevision(wanted),
        detail: `service runs ${shortRevision(service.task_definition)} (planned ${wanted})`,
      });
    const count = step.args.desired_count as number | undefined;
    if (count !== undefined)
      checks.push({
        name: 'desired-count',
        ok: service.desired_count === count,
        detail: `desiredCount ${service.desired_count} (planned ${count})`,
      });
  }
  return checks;
}

async function newStopsCheck(
  runtime: AgentRuntime,
  session: SessionContext,
  state: EcsStateType,
  errors: string[],
): Promise<Check> {
  const target = state.target as EcsTarget;
  const cause = state.hypotheses?.[0]?.cause;
  const seen = new Set(state.evidence?.stopped.map((task) => task.taskArn));
  const listed = await readOrNote<{ task_arns: string[] }>(errors, runtime, session, role, 'list_tasks', {
    cluster: target.cluster,
    service_name: target.service,
    desired_status: 'STOPPED',
    region: target.region,
  });
  const fresh = (listed?.task_arns ?? []).filter((arn) => !seen.has(arn)).slice(0, 100);
  const described =
    fresh.length > 0
      ? await readOrNote<{ tasks: TaskResult[] }>(errors, runtime, session, role, 'describe_tasks', {
          cluster: target.cluster,
          tasks: fresh,
          region: target.region,
        })
      : { tasks: [] };
  const same = classifyStopped(described?.tasks ?? []).filter((task) => task.cause === cause);
  return {
    name: 'no-new-failures',
    ok: listed !== undefined && same.length === 0,
    detail: listed
      ? `${fresh.length} task(s) stopped since triage, ${same.length} of them with the same cause (${cause ?? 'none'})`
      : 'stopped tasks could not be listed',
  };
}

export const verifyNode = observedNode(
  'verify',
  role.name,
  async (state: EcsStateType, config): Promise<EcsUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const target = state.target;
    if (!target || state.execution?.status !== 'completed')
      throw new CopilotError('internal', 'verification without a completed remediation');
    const errors: string[] = [];
    const service = await settledService(runtime, session, target, errors, config);
    const checks: Check[] = service
      ? serviceChecks(state, service)
      : [{ name: 'service', ok: false, detail: errors[0] ?? 'the service could not be read' }];
    checks.push(await newStopsCheck(runtime, session, state, errors));
    const verification: VerificationResult = { ok: checks.every((check) => check.ok), checks };
    await saveReport(
      runtime,
      session,
      REPORT_NAMES.verify,
      renderVerifyReport(target, verification, new Date().toISOString()),
    );
    const failed = checks.filter((check) => !check.ok).map((check) => check.detail);
    const text = verification.ok
      ? `Verification passed: ${checks.map((check) => check.detail).join('; ')}.`
      : `Verification failed: ${failed.join('; ')}.`;
    return {
      verification,
      outcome: verification.ok ? 'repaired' : 'verification-failed',
      ...(verification.ok ? {} : { problem: text }),
      timeline: moment('verify', text),
    };
  },
);
