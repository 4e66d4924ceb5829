/** Every tool aws-copilot offers, in one list: the source for the runner, the CLI, MCP and the IAM policy. */

import { getCallerIdentity } from './aws/sts.js';
import type { AnyTool } from './define-tool.js';
import { ToolRegistry } from './registry.js';

export const CATALOG: AnyTool[] = [getCallerIdentity];

export function createCatalog(): ToolRegistry {
  return new ToolRegistry(CATALOG);
}
