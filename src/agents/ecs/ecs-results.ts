/** The parts of the ECS and Logs tool results the workflow reads (the tools return more). */

export interface ServiceDeployment {
  id: string;
  status: string;
  task_definition: string;
  desired_count: number;
  running_count: number;
  pending_count: number;
  failed_tasks: number;
  rollout_state?: string;
  rollout_state_reason?: string;
}

export interface ServiceResult {
  service_name: string;
  status: string;
  desired_count: number;
  running_count: number;
  pending_count: number;
  task_definition: string;
  deployments: ServiceDeployment[];
  events: Array<{ created_at?: string; message: string }>;
}

export interface TaskResult {
  task_arn: string;
  task_definition_arn: string;
  last_status: string;
  desired_status: string;
  stopped_reason?: string;
  stop_code?: string;
  health_status?: string;
  group?: string;
  stopped_at?: string;
  containers: Array<{
    name: string;
    image?: string;
    last_status?: string;
    exit_code?: number;
    reason?: string;
    health_status?: string;
  }>;
}

export interface TaskDefinitionResult {
  task_definition_arn: string;
  family: string;
  revision: number;
  status: string;
  cpu?: string;
  memory?: string;
  containers: Array<{
    name: string;
    image: string;
    essential?: boolean;
    cpu?: number;
    memory?: number;
    memory_reservation?: number;
    log_configuration?: { driver: string; options?: Record<string, string> };
  }>;
}

export interface LogEventResult {
  timestamp?: string;
  log_stream_name: string;
  message: string;
}

/** `family:revision` of a task definition given as ARN, `family:revision` or family alone. */
export function revisionOf(reference: string): { family: string; revision?: number } {
  const short = reference.split('/').pop() ?? reference;
  const [family = short, revision] = short.split(':');
  const number = revision ? Number(revision) : undefined;
  return number && Number.isInteger(number) ? { family, revision: number } : { family };
}

/** `web:4`, whatever form the reference has. */
export function shortRevision(reference: string): string {
  const { family, revision } = revisionOf(reference);
  return revision ? `${family}:${revision}` : family;
}
