/**
 * ECS failure scenarios built in the sandbox with the real SDK (cluster, two task definition
 * revisions, a service moved to the newer one, an awslogs group with log lines), and the fault
 * proxy rules that stand in for what the emulator cannot do: it runs no tasks, so it has no
 * stopped tasks and no rollout that fails or completes. The rules shape only those answers, for
 * this scenario's cluster; every request still reaches the emulator or is recorded by the proxy.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  type ContainerDefinition,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { defaultNetwork } from '../aws/ecs-fixtures.js';
import { type AgentHarness, createAgentHarness } from '../helpers/agent-harness.js';
import { actionOf, type FaultProxy, type ProxiedRequest, startFaultProxy } from '../helpers/fault-proxy.js';
import { createToolHarness, sandboxEndpoint, type ToolHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';

export type ScenarioKind = 'bad-image' | 'out-of-memory' | 'broken-task-definition' | 'scaled-to-zero';

export interface EcsScenario {
  kind: ScenarioKind;
  cluster: string;
  service: string;
  family: string;
  logGroup: string;
  region: string;
  /** The revision the service runs now (the failing one) and the good one before it. */
  current: number;
  previous: number;
  desiredCount: number;
  stoppedTaskArns: string[];
}

const ACCOUNT = '123456789012';
const GOOD_IMAGE = 'public.ecr.aws/docker/library/nginx:1.27';
const BAD_IMAGE = 'public.ecr.aws/acme/shop-api:does-not-exist';
const WRITES = ['UpdateService', 'StopTask', 'RunTask', 'CreateService', 'DeleteService'];

function container(
  family: string,
  region: string,
  changes: Partial<ContainerDefinition>,
): ContainerDefinition {
  return {
    name: 'web',
    image: GOOD_IMAGE,
    essential: true,
    memory: 512,
    portMappings: [{ containerPort: 8080 }],
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': `/ecs/${family}`,
        'awslogs-region': region,
        'awslogs-stream-prefix': 'web',
      },
    },
    ...changes,
  };
}

/** What the new revision gets wrong, per scenario. */
const BREAKAGE: Record<ScenarioKind, Partial<ContainerDefinition> | undefined> = {
  'bad-image': { image: BAD_IMAGE },
  'out-of-memory': { image: 'public.ecr.aws/acme/shop-api:2.0', memory: 128 },
  'broken-task-definition': { command: ['/srv/missing-entrypoint.sh'] },
  'scaled-to-zero': undefined,
};

export async function buildScenario(
  direct: ToolHarness,
  kind: ScenarioKind,
  options: { logLines?: string[]; prefix?: string; region?: string } = {},
): Promise<EcsScenario> {
  const region = options.region ?? 'us-east-1';
  const name = uniqueName(options.prefix ?? `ecs-${kind.split('-')[0]}`);
  const family = name;
  const ecs = direct.aws.ecs(region);
  const logs = direct.aws.logs(region);
  const network = await defaultNetwork(direct);
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const register = (changes: Partial<ContainerDefinition>) =>
    ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [container(family, region, changes)],
      }),
    );
  await register({});
  const breakage = BREAKAGE[kind];
  if (breakage) await register(breakage);
  const current = breakage ? 2 : 1;
  await ecs.send(
    new CreateServiceCommand({
      cluster: name,
      serviceName: name,
      taskDefinition: `${family}:1`,
      // Scaled to zero from the start: moto keeps a service's first rollout as it was created, so
      // a service created with tasks and scaled down later would show a rollout that never ends.
      desiredCount: breakage ? 2 : 0,
      launchType: 'FARGATE',
      ...(region === 'us-east-1'
        ? {
            networkConfiguration: {
              awsvpcConfiguration: { subnets: network.subnets, securityGroups: network.security_groups },
            },
          }
        : {}),
    }),
  );
  // The deploy that broke it.
  if (breakage)
    await ecs.send(new UpdateServiceCommand({ cluster: name, service: name, taskDefinition: `${family}:2` }));
  const logGroup = `/ecs/${family}`;
  await logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
  const stream = `web/web/${randomBytes(16).toString('hex')}`;
  await logs.send(new CreateLogStreamCommand({ logGroupName: logGroup, logStreamName: stream }));
  const lines = options.logLines ?? ['INFO starting shop-api'];
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: logGroup,
      logStreamName: stream,
      logEvents: lines.map((message, index) => ({
        timestamp: Date.now() - (lines.length - index) * 1000,
        message,
      })),
    }),
  );
  const stoppedTaskArns =
    kind === 'scaled-to-zero'
      ? []
      : [0, 1, 2].map(
          () => `arn:aws:ecs:${region}:${ACCOUNT}:task/${name}/${randomBytes(16).toString('hex')}`,
        );
  return {
    kind,
    cluster: name,
    service: name,
    family,
    logGroup,
    region,
    current,
    previous: 1,
    desiredCount: breakage ? 2 : 0,
    stoppedTaskArns,
  };
}

/** How each scenario's tasks died, as DescribeTasks reports it on AWS. */
function stoppedTask(scenario: EcsScenario, arn: string, index: number) {
  const stoppedAt = Date.now() / 1000 - 600 + index * 60;
  const base = {
    taskArn: arn,
    clusterArn: `arn:aws:ecs:${scenario.region}:${ACCOUNT}:cluster/${scenario.cluster}`,
    taskDefinitionArn: `arn:aws:ecs:${scenario.region}:${ACCOUNT}:task-definition/${scenario.family}:${scenario.current}`,
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    launchType: 'FARGATE',
    group: `service:${scenario.service}`,
    startedBy: 'ecs-svc/1234567890123456789',
    createdAt: stoppedAt - 30,
    stoppingAt: stoppedAt - 5,
    stoppedAt,
  };
  switch (scenario.kind) {
    case 'bad-image': {
      const reason = `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${BAD_IMAGE}: not found`;
      return {
        ...base,
        stopCode: 'TaskFailedToStart',
        stoppedReason: reason,
        containers: [{ name: 'web', image: BAD_IMAGE, lastStatus: 'STOPPED', reason }],
      };
    }
    case 'out-of-memory':
      return {
        ...base,
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [
          {
            name: 'web',
            image: 'public.ecr.aws/acme/shop-api:2.0',
            lastStatus: 'STOPPED',
            exitCode: 137,
            reason: 'OutOfMemoryError: Container killed due to memory usage',
          },
        ],
      };
    default: {
      const reason =
        'CannotStartContainerError: Error response from daemon: failed to create shim task: OCI runtime create failed: exec: "/srv/missing-entrypoint.sh": stat /srv/missing-entrypoint.sh: no such file or directory: unknown';
      return {
        ...base,
        stopCode: 'TaskFailedToStart',
        stoppedReason: reason,
        containers: [{ name: 'web', image: GOOD_IMAGE, lastStatus: 'STOPPED', reason }],
      };
    }
  }
}

function forCluster(scenario: EcsScenario, action: string) {
  return (request: ProxiedRequest) => actionOf(request) === action && request.body.includes(scenario.cluster);
}

/** Whether the proxy has passed a write for this scenario's service on to the emulator. */
export function writesSeen(proxy: FaultProxy, scenario: EcsScenario): ProxiedRequest[] {
  return proxy.requests.filter(
    (request) => WRITES.includes(actionOf(request) ?? '') && request.body.includes(scenario.cluster),
  );
}

/**
 * Plays ECS's scheduler for a scenario whose tasks cannot really run: before the repair the
 * service's rollout FAILED with no task running and three stopped tasks tell why; once an
 * UpdateService went through, the rollout of whatever the service now runs COMPLETED with
 * running = desired. The service's own fields (task definition, desired count) stay the emulator's.
 */
export function shapeScenario(
  proxy: FaultProxy,
  scenario: EcsScenario,
  options: { repairFails?: boolean } = {},
): void {
  if (scenario.kind === 'scaled-to-zero') return;
  const changed = () => writesSeen(proxy, scenario).length > 0;
  const repaired = () => !options.repairFails && changed();
  // A repair that does not help: two more tasks stop the same way after it.
  const later = [0, 1].map(
    () =>
      `arn:aws:ecs:${scenario.region}:${ACCOUNT}:task/${scenario.cluster}/${randomBytes(16).toString('hex')}`,
  );
  const stopped = () => [...scenario.stoppedTaskArns, ...(options.repairFails && changed() ? later : [])];
  const all = [...scenario.stoppedTaskArns, ...later];
  proxy.addRule({
    match: forCluster(scenario, 'DescribeServices'),
    times: Number.POSITIVE_INFINITY,
    rewrite: (body) => {
      const answer = JSON.parse(body) as { services?: Array<Record<string, unknown>> };
      for (const service of answer.services ?? []) {
        const desired = service.desiredCount as number;
        const fixed = repaired();
        const [first] = (service.deployments as Array<Record<string, unknown>> | undefined) ?? [];
        const running = fixed ? desired : 0;
        service.runningCount = running;
        service.pendingCount = 0;
        service.deployments = [
          {
            ...first,
            status: 'PRIMARY',
            taskDefinition: service.taskDefinition,
            desiredCount: desired,
            runningCount: running,
            pendingCount: 0,
            failedTasks: fixed ? 0 : scenario.stoppedTaskArns.length,
            rolloutState: fixed ? 'COMPLETED' : 'FAILED',
            rolloutStateReason: fixed
              ? 'ECS deployment completed.'
              : 'ECS deployment circuit breaker: tasks failed to start.',
          },
        ];
        service.events = fixed
          ? [
              {
                id: 'e2',
                createdAt: Date.now() / 1000,
                message: `(service ${scenario.service}) has reached a steady state.`,
              },
            ]
          : [
              {
                id: 'e1',
                createdAt: Date.now() / 1000 - 60,
                message: `(service ${scenario.service}) is unable to consistently start tasks successfully.`,
              },
            ];
      }
      return JSON.stringify(answer);
    },
  });
  // The emulator's own answers (no stopped tasks, tasks it does not know) are replaced whole.
  proxy.addRule({
    match: (request) => forCluster(scenario, 'ListTasks')(request) && request.body.includes('"STOPPED"'),
    times: Number.POSITIVE_INFINITY,
    rewrite: () => JSON.stringify({ taskArns: stopped() }),
  });
  proxy.addRule({
    match: forCluster(scenario, 'DescribeTasks'),
    times: Number.POSITIVE_INFINITY,
    rewrite: (_body, request) => {
      const asked = (JSON.parse(request.body) as { tasks: string[] }).tasks;
      const known = asked.filter((arn) => all.includes(arn));
      return JSON.stringify({
        tasks: known.map((arn) => stoppedTask(scenario, arn, all.indexOf(arn))),
        failures: asked.filter((arn) => !known.includes(arn)).map((arn) => ({ arn, reason: 'MISSING' })),
      });
    },
  });
}

/** The service as the emulator holds it, read straight from the sandbox (not through the proxy). */
export async function serviceInSandbox(direct: ToolHarness, scenario: EcsScenario) {
  const described = await direct.aws
    .ecs(scenario.region)
    .send(new DescribeServicesCommand({ cluster: scenario.cluster, services: [scenario.service] }));
  const service = described.services?.[0];
  if (!service) throw new Error(`service ${scenario.service} is missing from the sandbox`);
  return {
    desiredCount: service.desiredCount,
    taskDefinition: (service.taskDefinition ?? '').split('/').pop(),
  };
}

export interface ScenarioRun {
  scenario: EcsScenario;
  /** Tools straight on the sandbox: setup and checks that bypass the proxy. */
  direct: ToolHarness;
  proxy: FaultProxy;
  /** The product on the offline model, its AWS calls going through the proxy. */
  harness: AgentHarness;
  /** The text of a report the session stored, by name. */
  report(sessionId: string, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startScenario(
  kind: ScenarioKind,
  options: {
    allowWrite?: boolean;
    logLines?: string[];
    region?: string;
    prefix?: string;
    /** The approved change does not cure the service (verification must say so). */
    repairFails?: boolean;
  } = {},
): Promise<ScenarioRun> {
  const direct = createToolHarness();
  const scenario = await buildScenario(direct, kind, options);
  const proxy = await startFaultProxy(sandboxEndpoint());
  shapeScenario(proxy, scenario, { repairFails: options.repairFails ?? false });
  const harness = await createAgentHarness({
    endpointUrl: proxy.endpointUrl,
    settings: { ecsAllowWrite: options.allowWrite ?? true },
  });
  return {
    scenario,
    direct,
    proxy,
    harness,
    report: async (sessionId, name) => {
      const reports = await harness.store.reports.listForSession(harness.userId, sessionId);
      const found = reports.filter((report) => report.name === name).at(-1);
      if (!found) throw new Error(`no ${name}; stored: ${reports.map((report) => report.name).join(', ')}`);
      const stored = await harness.store.reports.get(harness.userId, found.id);
      return stored?.markdown ?? '';
    },
    close: async () => {
      await harness.close();
      await proxy.close();
      direct.close();
    },
  };
}
