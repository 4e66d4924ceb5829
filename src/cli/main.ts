#!/usr/bin/env node
/** The `aws-copilot` command: a thin shell over the tool catalog and the sandbox. */
import { Command } from 'commander';
import { isCopilotError } from '../errors/copilot-error.js';
import { createCatalog } from '../tools/catalog.js';
import { iamPolicyFor } from '../tools/registry.js';
import { registerChatCommand } from './chat-command.js';
import { EXIT, UsageError } from './exit-codes.js';
import { registerSandboxCommand } from './sandbox-command.js';
import { registerStoreCommands } from './store-commands.js';
import { registerToolsCommand } from './tools-command.js';

/** Runs a command body, turning every failure into a one-line message and an exit code. */
async function run(work: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`aws-copilot: ${message}\n`);
    process.exitCode =
      error instanceof UsageError || (isCopilotError(error) && error.code === 'config_invalid')
        ? EXIT.usage
        : EXIT.failed;
  }
}

export function buildProgram(): Command {
  const program = new Command('aws-copilot')
    .description('Deploy applications to AWS and keep them healthy by talking to an assistant.')
    .version('0.1.0')
    .option('--region <region>', 'default AWS region (env AWS_REGION)')
    .option('--profile <name>', 'AWS shared-config profile (env AWS_PROFILE)')
    .option('--endpoint-url <url>', 'custom AWS endpoint such as LocalStack (env AWS_ENDPOINT_URL)')
    .option(
      '--workspace <dir>',
      'folder the workspace tools may use (env AWS_COPILOT_WORKSPACE; default: current folder)',
    )
    .option('--sandbox', 'use the running local sandbox even when AWS credentials are configured')
    .showHelpAfterError();

  registerChatCommand(program, run);
  registerToolsCommand(program, run);
  registerSandboxCommand(program, run);
  registerStoreCommands(program, run);
  program
    .command('iam-policy')
    .description('print the least-privilege IAM policy the tool catalog (or some tools of it) needs')
    .option('--tools <names>', 'comma-separated tool names (default: the whole catalog)')
    .action((options: { tools?: string }) =>
      run(async () => {
        const registry = createCatalog();
        const names = options.tools
          ?.split(',')
          .map((name) => name.trim())
          .filter(Boolean);
        const unknown = names?.filter((name) => !registry.get(name)) ?? [];
        if (unknown.length > 0)
          throw new UsageError(`unknown tool(s): ${unknown.join(', ')}; see 'aws-copilot tools list'`);
        const tools = names ? names.map((name) => registry.require(name)) : registry.list();
        process.stdout.write(`${JSON.stringify(iamPolicyFor(tools), null, 2)}\n`);
        return EXIT.ok;
      }),
    );
  return program;
}

await buildProgram().parseAsync(process.argv);
