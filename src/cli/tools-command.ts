/** `aws-copilot tools list|show|run`: the catalog from the terminal, one call at a time. */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { hashCall } from '../guardrails/approvals.js';
import type { AnyTool, ToolPreview } from '../tools/define-tool.js';
import type { ToolEnvelope } from '../tools/envelope.js';
import { toolInputJsonSchema } from '../tools/input-schema.js';
import { type CliContext, createCliContext, type GlobalOptions, settingsFrom } from './context.js';
import { EXIT, UsageError } from './exit-codes.js';
import { cliUser } from './store-commands.js';
import type { ToolsRunRecord } from './tools-run-record.js';

/** The catalog (every tool module, its schemas): loaded by the tools commands, not by every CLI start. */
function loadCatalog() {
  return import('../tools/catalog.js');
}

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
  session?: string;
}

const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** A `--session` value, checked before anything is opened. */
function sessionIdOption(value: string | undefined): string | undefined {
  if (value === undefined || SESSION_ID.test(value)) return value;
  throw new UsageError(
    `--session must be a session id (1-128 letters, digits, '.', '_', ':' or '-', e.g. one printed by a previous run), not '${value}'`,
  );
}

/** The call as the options ask for it; `undefined` when the person said no at the prompt. */
async function callTool(
  action: string,
  args: unknown,
  options: RunOptions,
  context: CliContext,
  record: Pick<ToolsRunRecord, 'recordDecision'>,
): Promise<ToolEnvelope | undefined> {
  const { runner, approvals } = context;
  const userId = cliUser();
  if (options.preview) return runner.call({ tool: action, args, mode: 'preview', userId });
  const risk = runner.riskOf(action, args);
  if (risk === 'read') return runner.call({ tool: action, args, userId });

  const tool = runner.registry.require(action);
  const parsed = tool.input.safeParse(args);
  if (!parsed.success) return runner.call({ tool: action, args, userId });
  // A single call is its own plan: its hash ties the audit records to the decision stored for it.
  const call = { tool: action, args: parsed.data };
  const planHash = hashCall(call);
  let channel: 'cli-flag' | 'cli-prompt' = 'cli-flag';
  if (!options.yes) {
    if (!process.stdin.isTTY || !process.stderr.isTTY) return runner.call({ tool: action, args, userId });
    const preview = await runner.call({ tool: action, args, mode: 'preview', userId });
    if (preview.status === 'error') return preview;
    if (preview.preview) process.stderr.write(`${describePreview(preview.preview)}\n`);
    if (!(await confirm(`Run ${action} (${risk})? [y/N] `))) {
      await record.recordDecision({ planHash, approved: false, channel: 'cli-prompt' });
      process.stderr.write('not approved; nothing was changed\n');
      return undefined;
    }
    channel = 'cli-prompt';
  }
  await record.recordDecision({ planHash, approved: true, channel });
  const approval = approvals.grant({
    grantedBy: userInfo().username,
    channel,
    calls: [call],
    planHash,
  });
  return runner.call({
    tool: action,
    args,
    approval,
    userId,
    onProgress: (message) => process.stderr.write(`… ${message}\n`),
  });
}

async function runTool(action: string, options: RunOptions, globals: GlobalOptions): Promise<number> {
  const args = parseArgsOption(options.args);
  const sessionId = sessionIdOption(options.session);
  const settings = settingsFrom(globals);
  if (!(await loadCatalog()).createCatalog().get(action)) {
    throw new UsageError(`unknown tool '${action}'; run 'aws-copilot tools list' to see the catalog`);
  }
  // Recorded like the agents' calls: a store session for `aws-copilot audit`, and the telemetry bus.
  const { openToolsRunRecord } = await import('./tools-run-record.js');
  const record = await openToolsRunRecord(settings, { action, userId: cliUser(), sessionId });
  try {
    const context = await createCliContext(globals, undefined, {
      telemetry: record.telemetry,
      ...(record.audit ? { audit: record.audit } : {}),
    });
    try {
      const envelope = await record.observe(() => callTool(action, args, options, context, record));
      return envelope ? printEnvelope(envelope) : EXIT.refused;
    } finally {
      context.close();
    }
  } finally {
    await record.close();
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
        const { CATALOG, createCatalog } = await loadCatalog();
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
        const tool = (await loadCatalog()).createCatalog().get(action);
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
    .option(
      '--session <id>',
      "record the call in this session (default: a new one; its id is printed, for 'aws-copilot audit --session')",
    )
    .action((action: string, options: RunOptions, command: Command) =>
      run(() => runTool(action, options, command.optsWithGlobals() as GlobalOptions)),
    );
}
