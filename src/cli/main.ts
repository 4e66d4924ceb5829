#!/usr/bin/env node
/** The `aws-copilot` command: a thin shell over the tool catalog and the sandbox. */
import { Command } from 'commander';
import { isCopilotError } from '../errors/copilot-error.js';
import { registerAuditCommand } from './audit-command.js';
import { registerChatCommand } from './chat-command.js';
import { EXIT, UsageError } from './exit-codes.js';
import { registerIamPolicyCommand } from './iam-policy-command.js';
import { registerMcpCommand } from './mcp-command.js';
import { registerSandboxCommand } from './sandbox-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerStoreCommands } from './store-commands.js';
import { registerToolsCommand } from './tools-command.js';
import { registerUsersCommand } from './users-command.js';

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
  registerServeCommand(program, run);
  registerUsersCommand(program, run);
  registerMcpCommand(program, run);
  registerIamPolicyCommand(program, run);
  registerAuditCommand(program, run);
  return program;
}

await buildProgram().parseAsync(process.argv);
