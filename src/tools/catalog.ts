/** Every tool aws-copilot offers, in one list: the source for the runner, the CLI, MCP and the IAM policy. */
import { EC2_TOOLS } from './aws/ec2.js';
import { ECS_TOOLS } from './aws/ecs.js';
import { LAMBDA_TOOLS } from './aws/lambda.js';
import { LOGS_TOOLS } from './aws/logs.js';
import { S3_TOOLS } from './aws/s3.js';
import { getCallerIdentity } from './aws/sts.js';
import type { AnyTool } from './define-tool.js';
import { GITHUB_TOOLS } from './github/index.js';
import { ToolRegistry } from './registry.js';
import { WORKSPACE_TOOLS } from './workspace/index.js';

export const CATALOG: AnyTool[] = [
  ...EC2_TOOLS,
  ...S3_TOOLS,
  ...LAMBDA_TOOLS,
  ...ECS_TOOLS,
  ...LOGS_TOOLS,
  getCallerIdentity,
  ...GITHUB_TOOLS,
  ...WORKSPACE_TOOLS,
];

export function createCatalog(): ToolRegistry {
  return new ToolRegistry(CATALOG);
}
