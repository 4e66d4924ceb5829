/**
 * The agent roles and the tools each may call. The tool runner enforces these lists: a role
 * calling anything else gets `role_denied` and the attempt is audited.
 */
import { CATALOG } from '../tools/catalog.js';
import type { RoleGrant } from '../tools/runner.js';

const awsTools = CATALOG.filter((tool) => tool.iam.length > 0);
const readAwsTools = awsTools.filter((tool) => tool.risk === 'read').map((tool) => tool.name);
const writeAwsTools = awsTools.filter((tool) => tool.risk !== 'read').map((tool) => tool.name);
const ecsReadTools = [
  'describe_services',
  'describe_tasks',
  'list_services',
  'list_tasks',
  'describe_clusters',
  'list_clusters',
  'describe_task_definition',
  'get_log_events',
  'filter_log_events',
  'list_ec2_instances',
  'get_caller_identity',
];

function role(name: string, tools: string[], previewTools: string[] = []): RoleGrant {
  return Object.freeze({ name, tools: new Set(tools), previewTools: new Set(previewTools) });
}

export const ROLES = {
  orchestrator: role('conversation-orchestrator', ['repo_reader']),
  contextCurator: role('context-curator', ['repo_reader']),
  intake: role('requirements-intake', []),
  /** Builds and checks; previews every step of a plan but can run none of them. */
  planner: role(
    'planning-validation',
    ['shell_runner', 'pnpm_client', 'uv_client', 'get_caller_identity', 'repo_reader'],
    [...writeAwsTools, ...readAwsTools],
  ),
  compliance: role('compliance-officer', []),
  executor: role('deployment-executor', [...writeAwsTools, 'shell_runner']),
  validator: role('post-deployment-validator', readAwsTools),
  ecsTriage: role('ecs-triage', ecsReadTools),
  ecsChangePlanner: role('ecs-change-planner', ecsReadTools, ['update_service', 'stop_task', 'run_task']),
  ecsRemediator: role('ecs-remediator', ['update_service', 'stop_task', 'run_task']),
  ecsVerifier: role('ecs-verifier', ecsReadTools),
  /** A person asking for one catalog action in chat: every tool, writes still only with approval. */
  operator: role(
    'operator',
    CATALOG.map((tool) => tool.name),
  ),
} as const;

export type RoleName = keyof typeof ROLES;
