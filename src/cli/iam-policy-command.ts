/**
 * `aws-copilot iam-policy [--tools a,b] [--plan PLAN]`: the least-privilege IAM policy of the
 * catalog, of some tools, or of exactly what one plan needs. PLAN is a JSON file
 * (`{"steps":[{"tool":...,"args":{...}}]}`, an approval-request's steps work as they are) or the
 * id of a deployment in the store.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type { AnyTool } from '../tools/define-tool.js';
import { iamPolicyFor, type ToolRegistry } from '../tools/registry.js';
import { type GlobalOptions, settingsFrom } from './context.js';
import { EXIT, UsageError } from './exit-codes.js';
import { cliUser } from './store-commands.js';

type Run = (work: () => Promise<number>) => Promise<void>;

const planSchema = z.object({
  steps: z
    .array(z.object({ tool: z.string().min(1), args: z.record(z.string(), z.unknown()).optional() }))
    .min(1, 'a plan has at least one step'),
});

function problemOf(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`;
}

/** The tools of a plan file; each step's arguments must be valid for its tool. */
function toolsOfPlanFile(path: string, registry: ToolRegistry): AnyTool[] {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--plan ${path} is not a readable JSON file: ${(error as Error).message}`);
  }
  const parsed = planSchema.safeParse(document);
  if (!parsed.success) throw new UsageError(`--plan ${path}: ${problemOf(parsed.error)}`);
  return parsed.data.steps.map((step, index) => {
    const tool = registry.get(step.tool);
    if (!tool)
      throw new UsageError(
        `--plan ${path}: steps.${index}.tool: unknown tool '${step.tool}'; see 'aws-copilot tools list'`,
      );
    const args = tool.input.safeParse(step.args ?? {});
    if (!args.success) throw new UsageError(`--plan ${path}: steps.${index}.args.${problemOf(args.error)}`);
    return tool;
  });
}

/** The tools of a stored deployment's plan. */
async function toolsOfDeployment(
  id: string,
  globals: GlobalOptions,
  registry: ToolRegistry,
): Promise<AnyTool[]> {
  const { openStore } = await import('../store/open-store.js');
  const store = await openStore(settingsFrom(globals));
  try {
    const deployment = await store.deployments.get(cliUser(), id);
    if (!deployment)
      throw new UsageError(`--plan ${id} is neither a plan file nor a deployment of yours in the store`);
    const parsed = planSchema.safeParse(deployment.plan);
    if (!parsed.success) throw new UsageError(`deployment ${id} has no plan steps stored`);
    return parsed.data.steps.map((step) => registry.require(step.tool));
  } finally {
    await store.close();
  }
}

export function registerIamPolicyCommand(program: Command, run: Run): void {
  program
    .command('iam-policy')
    .description('print the least-privilege IAM policy the tool catalog, some tools of it, or one plan needs')
    .option('--tools <names>', 'comma-separated tool names (default: the whole catalog)')
    .option('--plan <plan>', 'a plan JSON file ({"steps":[{"tool":...,"args":...}]}) or a deployment id')
    .action((options: { tools?: string; plan?: string }, command: Command) =>
      run(async () => {
        // The catalog (every tool module, its schemas): loaded by this command, not by every CLI start.
        const { createCatalog } = await import('../tools/catalog.js');
        const registry = createCatalog();
        if (options.tools && options.plan) throw new UsageError('give --tools or --plan, not both');
        let tools: AnyTool[];
        if (options.plan) {
          tools = existsSync(options.plan)
            ? toolsOfPlanFile(options.plan, registry)
            : await toolsOfDeployment(options.plan, command.optsWithGlobals() as GlobalOptions, registry);
        } else {
          const names = options.tools
            ?.split(',')
            .map((name) => name.trim())
            .filter(Boolean);
          const unknown = names?.filter((name) => !registry.get(name)) ?? [];
          if (unknown.length > 0)
            throw new UsageError(`unknown tool(s): ${unknown.join(', ')}; see 'aws-copilot tools list'`);
          tools = names ? names.map((name) => registry.require(name)) : registry.list();
        }
        process.stdout.write(`${JSON.stringify(iamPolicyFor([...new Set(tools)]), null, 2)}\n`);
        return EXIT.ok;
      }),
    );
}
