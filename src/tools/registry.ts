/** The tool catalog: every tool by name, and the least-privilege IAM policy they need together. */
import type { AnyTool } from './define-tool.js';

export class ToolRegistry {
  private readonly tools = new Map<string, AnyTool>();

  constructor(tools: AnyTool[] = []) {
    for (const tool of tools) this.add(tool);
  }

  add(tool: AnyTool): void {
    if (this.tools.has(tool.name)) throw new Error(`tool ${tool.name} is registered twice`);
    this.tools.set(tool.name, tool);
  }

  get(name: string): AnyTool | undefined {
    return this.tools.get(name);
  }

  require(name: string): AnyTool {
    const tool = this.tools.get(name);
    if (!tool) throw new Error(`unknown tool '${name}'`);
    return tool;
  }

  list(): AnyTool[] {
    return [...this.tools.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: Array<{ Sid: string; Effect: 'Allow'; Action: string[]; Resource: '*' }>;
}

/** One statement per AWS service, listing exactly the actions the given tools declare. */
export function iamPolicyFor(tools: AnyTool[]): IamPolicyDocument {
  const byService = new Map<string, Set<string>>();
  for (const action of tools.flatMap((tool) => tool.iam)) {
    const service = action.split(':')[0] ?? action;
    if (!byService.has(service)) byService.set(service, new Set());
    byService.get(service)?.add(action);
  }
  const statements = [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, actions]) => ({
      Sid: `AwsCopilot${service.charAt(0).toUpperCase()}${service.slice(1).replace(/[^A-Za-z0-9]/g, '')}`,
      Effect: 'Allow' as const,
      Action: [...actions].sort(),
      Resource: '*' as const,
    }));
  return { Version: '2012-10-17', Statement: statements };
}
