/** The ECS tool family: clusters, task definitions, services and tasks (one file per kind beside this one). */
import type { AnyTool } from '../define-tool.js';
import { createCluster, describeClusters, listClusters } from './ecs-clusters.js';
import { describeServices, listServices } from './ecs-service-reads.js';
import { createService, updateService } from './ecs-services.js';
import { describeTaskDefinition, registerTaskDefinition } from './ecs-task-definitions.js';
import { describeTasks, listTasks } from './ecs-task-reads.js';
import { runTask, stopTask } from './ecs-tasks.js';

export const ECS_TOOLS: AnyTool[] = [
  createCluster,
  describeClusters,
  listClusters,
  registerTaskDefinition,
  describeTaskDefinition,
  createService,
  updateService,
  describeServices,
  listServices,
  runTask,
  stopTask,
  describeTasks,
  listTasks,
];
