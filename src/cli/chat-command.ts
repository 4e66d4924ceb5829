/**
 * `aws-copilot chat`: the assistant in a terminal (streamed replies, forms and y/n approvals), or
 * with --json one turn at a time, every event as one JSON line, for scripts.
 */
import type { Command } from 'commander';
import type { EventListener, TurnResult } from '../agents/chat-session.js';
import type { AgentEvent } from '../protocol/events.js';
import { resolveAwsEnvironment } from './aws-environment.js';
import { type GlobalOptions, settingsFrom } from './context.js';
import { EXIT, UsageError } from './exit-codes.js';
import { createPrompt, type Prompt, questionHidden } from './hidden-question.js';
import { cliUser } from './store-commands.js';

interface ChatOptions {
  json?: boolean;
  message?: string;
  session?: string;
  answer?: string;
  resume?: boolean;
}

async function openApp(globals: GlobalOptions) {
  const base = settingsFrom(globals);
  const environment = await resolveAwsEnvironment(base, { forceSandbox: Boolean(globals.sandbox) });
  // The agents (LangGraph, models, the AWS SDK) load only when a chat starts.
  const { openAgentApp } = await import('./agent-app.js');
  const { app } = await openAgentApp(base, environment);
  return { app, sandbox: environment.sandbox, endpoint: environment.endpointUrl };
}

function printJson(event: unknown): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function runJsonTurn(options: ChatOptions, globals: GlobalOptions): Promise<number> {
  if (!options.message && !options.answer && !options.resume)
    throw new UsageError('chat --json needs --message TEXT, --answer JSON or --resume');
  if (options.resume && !options.session) throw new UsageError('--resume needs --session ID');
  if (options.answer && !options.session)
    throw new UsageError('--answer needs --session ID (printed by the turn that asked)');
  const { app } = await openApp(globals);
  try {
    const userId = cliUser();
    const listener: EventListener = (event) => printJson(event);
    let turn: TurnResult;
    if (options.resume) {
      const continued = await app.sessions.continueInterrupted({
        userId,
        sessionId: options.session as string,
        listener,
      });
      if (!continued) throw new UsageError(`session ${options.session} has nothing interrupted to continue`);
      turn = continued;
    } else if (options.answer) {
      let answer: unknown;
      try {
        answer = JSON.parse(options.answer);
      } catch (error) {
        throw new UsageError(`--answer is not valid JSON (${(error as Error).message})`);
      }
      turn = await app.sessions.answer({ userId, sessionId: options.session as string, answer, listener });
    } else {
      turn = await app.sessions.send({
        userId,
        text: options.message as string,
        listener,
        ...(options.session ? { sessionId: options.session } : {}),
      });
    }
    printJson({
      type: 'turn-end',
      session_id: turn.sessionId,
      workflow: turn.workflow,
      status: turn.status,
      waiting_for: turn.waitingFor ?? null,
    });
    return EXIT.ok;
  } finally {
    await app.close();
  }
}

/** Renders events for a person and collects the answers forms and approvals need. */
function terminalListener(pending: { event?: AgentEvent }): EventListener {
  return (event) => {
    switch (event.type) {
      case 'message-delta':
        process.stdout.write(event.text);
        break;
      case 'message-end':
        process.stdout.write('\n');
        break;
      case 'step-start':
        process.stdout.write(`  [${event.index}/${event.total}] ${event.tool} ...\n`);
        break;
      case 'step-end':
        process.stdout.write(
          `  ${event.step_id}: ${event.status} (${event.latency_ms} ms)${event.detail ? ` ${event.detail}` : ''}\n`,
        );
        break;
      case 'form-request':
      case 'approval-request':
      case 'credential-request':
        pending.event = event;
        break;
      case 'error':
        process.stdout.write(`error: ${event.message}\n`);
        break;
      default:
        break;
    }
  };
}

async function collectAnswer(prompt: Prompt, event: AgentEvent): Promise<unknown> {
  if (event.type === 'form-request') {
    process.stdout.write(`${event.title}\n`);
    const values: Record<string, unknown> = {};
    for (const field of event.fields) {
      const hint = field.options ? ` (${field.options.join(', ')})` : '';
      const question = `  ${field.label}${hint}: `;
      // Environment values are sealed as secrets once answered; they are not echoed either.
      const secret = field.kind === 'secret' || field.name.startsWith('environment.');
      values[field.name] = secret
        ? await questionHidden(prompt, question)
        : (await prompt.readline.question(question)).trim();
    }
    return { kind: 'form', form_id: event.form_id, values };
  }
  if (event.type === 'approval-request') {
    process.stdout.write(`\nPlan: ${event.summary} (risk ${event.risk})\n`);
    for (const [index, step] of event.steps.entries()) {
      process.stdout.write(`  ${index + 1}. ${step.tool} [${step.risk}] ${step.description}\n`);
      const preview = event.previews[index];
      if (preview)
        for (const change of preview.changes)
          process.stdout.write(
            `       ${change.kind} ${change.resource}${change.detail ? `: ${change.detail}` : ''}\n`,
          );
      for (const warning of preview?.warnings ?? []) process.stdout.write(`       warning: ${warning}\n`);
    }
    const yes = /^y(es)?$/i.test((await prompt.readline.question('Approve this exact plan? [y/N] ')).trim());
    return { kind: 'approval', plan_hash: event.plan_hash, decision: yes ? 'approve' : 'reject' };
  }
  if (event.type === 'credential-request') {
    process.stdout.write(
      `${event.reason}\nRun 'aws-copilot credentials set' in another terminal, then press Enter.\n`,
    );
    await prompt.readline.question('');
    return { kind: 'credentials', form_id: event.form_id, stored: true };
  }
  return undefined;
}

async function runInteractive(globals: GlobalOptions): Promise<number> {
  const { app, sandbox, endpoint } = await openApp(globals);
  const prompt = createPrompt();
  const userId = cliUser();
  if (sandbox) process.stdout.write(`SANDBOX: AWS calls go to the local emulator at ${endpoint}\n`);
  process.stdout.write('aws-copilot chat: say what you want to deploy or fix; Ctrl+D to leave.\n');
  let sessionId: string | undefined;
  try {
    for (;;) {
      let text: string;
      try {
        text = (await prompt.readline.question('> ')).trim();
      } catch {
        break;
      }
      if (!text) continue;
      const pending: { event?: AgentEvent } = {};
      const listener = terminalListener(pending);
      let turn = await app.sessions.send({ userId, text, listener, ...(sessionId ? { sessionId } : {}) });
      sessionId = turn.sessionId;
      while (turn.status === 'waiting' && pending.event) {
        const answer = await collectAnswer(prompt, pending.event);
        pending.event = undefined;
        turn = await app.sessions.answer({ userId, sessionId, answer, listener });
      }
    }
  } finally {
    prompt.readline.close();
    await app.close();
  }
  return EXIT.ok;
}

export function registerChatCommand(
  program: Command,
  run: (work: () => Promise<number>) => Promise<void>,
): void {
  program
    .command('chat')
    .description('talk to the assistant; with --json, run one turn and print every event as a JSON line')
    .option('--json', 'one turn, events as JSON lines (for scripts)')
    .option('--message <text>', 'the message of this turn (with --json)')
    .option('--session <id>', 'continue this session')
    .option(
      '--answer <json>',
      'answer what the session waits for: {"kind":"form",...}, {"kind":"approval",...}',
    )
    .option('--resume', 'continue a workflow of --session that stopped because the process ended mid-run')
    .action((options: ChatOptions, command: Command) =>
      run(() => {
        const globals = command.optsWithGlobals() as GlobalOptions;
        return options.json ? runJsonTurn(options, globals) : runInteractive(globals);
      }),
    );
}
