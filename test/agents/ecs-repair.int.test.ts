/**
 * ECS diagnose and repair by chatting (offline model, sandbox): for each failure scenario the
 * right cause is found, the smallest repair is planned, nothing is written before approval, the
 * approved change shows in the emulator, verification runs and four reports are stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { REPORT_NAMES } from '../../src/agents/ecs/save-report.js';
import { createAgentHarness } from '../helpers/agent-harness.js';
import {
  type ScenarioKind,
  type ScenarioRun,
  serviceInSandbox,
  startScenario,
  writesSeen,
} from './ecs-scenarios.js';

interface Case {
  kind: ScenarioKind;
  message: (service: string, cluster: string) => string;
  logLines?: string[];
  cause: string;
  /** The plan's one step, given the scenario's names. */
  step: (run: ScenarioRun) => { tool: string; args: Record<string, unknown> };
  /** What the emulator shows after the repair. */
  after: (run: ScenarioRun) => { desiredCount?: number; taskDefinition?: string };
}

const rollback = (run: ScenarioRun) => ({
  tool: 'update_service',
  args: {
    cluster: run.scenario.cluster,
    service: run.scenario.service,
    task_definition: `${run.scenario.family}:1`,
    region: 'us-east-1',
  },
});

const CASES: Case[] = [
  {
    kind: 'bad-image',
    message: (service, cluster) =>
      `The ${service} service in cluster ${cluster} keeps failing since this morning's deploy. Can you diagnose it and fix it?`,
    cause: 'image pull failure',
    step: rollback,
    after: (run) => ({ taskDefinition: `${run.scenario.family}:1`, desiredCount: 2 }),
  },
  {
    kind: 'out-of-memory',
    message: (service, cluster) =>
      `Tasks of service ${service} in cluster ${cluster} (us-east-1) keep crashing and restarting, please diagnose`,
    logLines: [
      'INFO worker started',
      'java.lang.OutOfMemoryError: Java heap space',
      'ERROR worker 3 killed: OOM',
    ],
    cause: 'out of memory (exit code 137)',
    step: rollback,
    after: (run) => ({ taskDefinition: `${run.scenario.family}:1` }),
  },
  {
    kind: 'broken-task-definition',
    message: (service, cluster) =>
      `diagnose the ECS service ${service} on cluster ${cluster}: its tasks fail to start after the new task definition`,
    cause: 'containers cannot start (broken task definition)',
    step: rollback,
    after: (run) => ({ taskDefinition: `${run.scenario.family}:1` }),
  },
  {
    kind: 'scaled-to-zero',
    message: (service, cluster) =>
      `Service ${service} in cluster ${cluster} is not running anymore, can you diagnose it?`,
    cause: 'scaled to zero',
    step: (run) => ({
      tool: 'update_service',
      args: {
        cluster: run.scenario.cluster,
        service: run.scenario.service,
        desired_count: 1,
        region: 'us-east-1',
      },
    }),
    after: () => ({ desiredCount: 1 }),
  },
];

describe('ECS diagnose and repair by chatting (offline model, sandbox)', () => {
  let run: ScenarioRun | undefined;
  afterEach(async () => {
    await run?.close();
    run = undefined;
  });

  it.each(CASES)(
    '$kind: finds the cause, plans the smallest change, repairs after approval, verifies, reports',
    async (item) => {
      run = await startScenario(item.kind, item.logLines ? { logLines: item.logLines } : {});
      const { harness, proxy, scenario, direct } = run;
      const before = await serviceInSandbox(direct, scenario);

      const first = await harness.send(item.message(scenario.service, scenario.cluster));
      expect(first.workflow).toBe('ecs');
      expect(first.status).toBe('waiting');
      const triage = await run.report(first.sessionId, REPORT_NAMES.triage);
      expect(triage).toMatch(new RegExp(`1\\. \\*\\*[^*]*${item.cause.replace(/[()]/g, '\\$&')}`));

      const approval = harness.last('approval-request');
      expect(approval.steps.map(({ tool, args }) => ({ tool, args }))).toEqual([item.step(run)]);
      expect(approval.previews).toHaveLength(1);
      expect(approval.deployment_id).toBeDefined();
      // Nothing was written before the person answered.
      expect(writesSeen(proxy, scenario)).toEqual([]);
      expect(await serviceInSandbox(direct, scenario)).toEqual(before);

      const done = await harness.answer(first.sessionId, {
        kind: 'approval',
        plan_hash: approval.plan_hash,
        decision: 'approve',
      });
      expect(done.status).toBe('done');
      expect(await serviceInSandbox(direct, scenario)).toMatchObject(item.after(run));
      expect(writesSeen(proxy, scenario).length).toBeGreaterThan(0);

      const verify = await run.report(first.sessionId, REPORT_NAMES.verify);
      expect(verify).toContain('**passed**');
      const reports = await harness.store.reports.listForSession(harness.userId, first.sessionId);
      expect(reports.map((report) => report.name).sort()).toEqual(Object.values(REPORT_NAMES).sort());
      const saved = harness.events.filter((event) => event.type === 'report-save');
      expect(saved).toHaveLength(4);

      const deploymentId = approval.deployment_id as string;
      const record = await harness.store.deployments.get(harness.userId, deploymentId);
      expect(record).toMatchObject({
        target: 'ecs-repair',
        status: 'succeeded',
        result: { outcome: 'repaired', dry_run_coverage: 1, attempts: 0 },
      });
      const journal = await harness.store.deployments.journal(deploymentId);
      expect(journal.map((entry) => entry.status)).toEqual(['started', 'completed']);
      const audit = await harness.store.audit.list({ correlationId: deploymentId });
      const write = audit.find((entry) => entry.tool === 'update_service' && entry.mode === 'run');
      expect(write).toMatchObject({ role: 'ecs-remediator', outcome: 'ok', planHash: approval.plan_hash });
      const requestId = write?.awsCalls.find((call) => call.operation === 'UpdateService')?.requestId;
      expect(requestId).toBeTruthy();
      const summary = await run.report(first.sessionId, REPORT_NAMES.summary);
      expect(summary).toContain('**repaired**');
      expect(summary).toContain(requestId as string);
      expect(harness.last('message-end').text).toMatch(/Repaired/);
      expect(harness.last('deployment-end')).toMatchObject({
        deployment_id: deploymentId,
        status: 'succeeded',
      });
    },
  );

  it('a pending repair approval survives a restart: a new process on the same store carries it out', async () => {
    run = await startScenario('scaled-to-zero');
    const { harness, scenario, direct, proxy } = run;
    const first = await harness.send(
      `Service ${scenario.service} in cluster ${scenario.cluster} is not running anymore, can you diagnose it?`,
    );
    const approval = harness.last('approval-request');
    // A new process: new runtime, new approval ledger, the same store (checkpoints, approvals, journal).
    const restarted = await createAgentHarness({
      store: harness.store,
      endpointUrl: proxy.endpointUrl,
      settings: { ecsAllowWrite: true },
    });
    try {
      const done = await restarted.answer(first.sessionId, {
        kind: 'approval',
        plan_hash: approval.plan_hash,
        decision: 'approve',
      });
      expect(done.status).toBe('done');
      expect(await serviceInSandbox(direct, scenario)).toMatchObject({ desiredCount: 1 });
      expect(restarted.last('deployment-end')).toMatchObject({ status: 'succeeded' });
    } finally {
      await restarted.close();
    }
  });
});
