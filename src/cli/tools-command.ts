/** `aws-copilot tools list|show|run`: the catalog from the terminal, one call at a time. */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { CATALOG, createCatalog } from '../tools/catalog.js';
import type { AnyTool, ToolPreview } from '../tools/define-tool.js';
import type { ToolEnvelope } from '../tools/envelope.js';
import { toolInputJsonSchema } from '../tools/input-schema.js';
import { createCliContext, type GlobalOptions } from './context.js';
import { EXIT, UsageError } from './exit-codes.js';

function toolSummary(tool: AnyTool) {
  return {
    name: tool.name,
    risk: tool.risk,
    description: tool.description,
    iam: tool.iam,
    idempotent: Boolean(tool.idempotent),
    irreversible: Boolean(tool.irreversible),
    input_schema: toolInputJsonSchema(tool),
  };
}

function printToolTable(tools: AnyTool[]): void {
  const width = Math.max(...tools.map((tool) => tool.name.length));
  for (const tool of tools) {
    process.stdout.write(`${tool.name.padEnd(width)}  ${tool.risk.padEnd(11)}  ${tool.iam.join(', ')}\n`);
    process.stdout.write(`${' '.repeat(width)}  ${tool.description}\n`);
  }
}

export function parseArgsOption(raw: string | undefined): unknown {
  if (raw === undefined) return {};
  const text = raw.startsWith('@') ? readFileSync(raw.slice(1), 'utf8') : raw;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--args is not valid JSON (${(error as Error).message}); pass an object such as '{"region":"us-east-1"}' or @file.json`,
    );
  }
}

function describePreview(preview: ToolPreview): string {
  const lines = [`  ${preview.summary}  [${preview.method}]`];
  for (const change of preview.changes)
    lines.push(`    ${change.kind.padEnd(6)} ${change.resource}${change.detail ? `: ${change.detail}` : ''}`);
  for (const warning of preview.warnings) lines.push(`    warning: ${warning}`);
  return lines.join('\n');
}

async function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}

function printEnvelope(envelope: ToolEnvelope): number {
  process.stdout.write(`${JSON.stringify(envelope, null, 2)}\n`);
  if (envelope.status === 'ok') return EXIT.ok;
  return ['approval_required', 'role_denied', 'policy_denied'].includes(envelope.error.code)
    ? EXIT.refused
    : EXIT.failed;
}

interface RunOptions {
  args?: string;
  preview?: boolean;
  yes?: boolean;
}

async function runTool(action: string, options: RunOptions, globals: GlobalOptions): Promise<number> {
  const args = parseArgsOption(options.args);
  const context = await createCliContext(globals);
  try {
    const { runner, approvals } = context;
    if (!runner.registry.get(action)) {
      throw new UsageError(`unknown tool '${action}'; run 'aws-copilot tools list' to see the catalog`);
    }
    if (options.preview) return printEnvelope(await runner.call({ tool: action, args, mode: 'preview' }));
    const risk = runner.riskOf(action, args);
    if (risk === 'read') return printEnvelope(await runner.call({ tool: action, args }));

    const tool = runner.registry.require(action);
    const parsed = tool.input.safeParse(args);
    if (!parsed.success) return printEnvelope(await runner.call({ tool: action, args }));
    let channel: 'cli-flag' | 'cli-prompt' = 'cli-flag';
    if (!options.yes) {
      if (!process.stdin.isTTY || !process.stderr.isTTY) {
        return printEnvelope(await runner.call({ tool: action, args }));
      }
      const preview = await runner.call({ tool: action, args, mode: 'preview' });
      if (preview.status === 'error') return printEnvelope(preview);
      if (preview.preview) process.stderr.write(`${describePreview(preview.preview)}\n`);
      if (!(await confirm(`Run ${action} (${risk})? [y/N] `))) {
        process.stderr.write('not approved; nothing was changed\n');
        return EXIT.refused;
      }
      channel = 'cli-prompt';
    }
    const approval = approvals.grant({
      grantedBy: userInfo().username,
      channel,
      calls: [{ tool: action, args: parsed.data }],
    });
    return printEnvelope(
      await runner.call({
        tool: action,
        args,
        approval,
        onProgress: (message) => process.stderr.write(`… ${message}\n`),
      }),
    );
  } finally {
    context.close();
  }
}

export function registerToolsCommand(
  program: Command,
  run: (work: () => Promise<number>) => Promise<void>,
): void {
  const tools = program.command('tools').description('list the tool catalog and run single tools');
  tools
    .command('list')
    .description('print every tool with its risk class and the IAM actions it needs')
    .option('--json', 'print JSON, with each input schema')
    .action((options: { json?: boolean }) =>
      run(async () => {
        if (options.json) process.stdout.write(`${JSON.stringify(CATALOG.map(toolSummary), null, 2)}\n`);
        else printToolTable(createCatalog().list());
        return EXIT.ok;
      }),
    );
  tools
    .command('show')
    .description("print one tool's description, risk, IAM actions and input schema")
    .argument('<action>', 'tool name, e.g. launch_ec2')
    .action((action: string) =>
      run(async () => {
        const tool = createCatalog().get(action);
        if (!tool)
          throw new UsageError(`unknown tool '${action}'; run 'aws-copilot tools list' to see the catalog`);
        process.stdout.write(`${JSON.stringify(toolSummary(tool), null, 2)}\n`);
        return EXIT.ok;
      }),
    );
  tools
    .command('run')
    .description('run one tool; write and destructive tools need --yes or a confirmation at the prompt')
    .argument('<action>', 'tool name, e.g. list_ec2_instances')
    .option('--args <json>', "arguments as a JSON object, or @file.json (default '{}')")
    .option('--preview', 'show what the call would change, changing nothing')
    .option('-y, --yes', 'approve this write or destructive call without asking')
    .action((action: string, options: RunOptions, command: Command) =>
      run(() => runTool(action, options, command.optsWithGlobals() as GlobalOptions)),
    );
}
