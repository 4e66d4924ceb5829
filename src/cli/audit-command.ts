/** `aws-copilot audit --session ID`: every AWS call a session made, with its plan hash and approval. */
import type { Command } from 'commander';
import { auditTrail, formatAuditTrail } from '../telemetry/audit-trail.js';
import { type GlobalOptions, settingsFrom } from './context.js';
import { EXIT, UsageError } from './exit-codes.js';
import { cliUser } from './store-commands.js';

type Run = (work: () => Promise<number>) => Promise<void>;

export function registerAuditCommand(program: Command, run: Run): void {
  program
    .command('audit')
    .description(
      'print the audit trail of a chat session: each AWS call with its request id, plan hash and approval',
    )
    .requiredOption('--session <id>', 'the session id (printed by chat, listed in the events)')
    .option('--json', 'print JSON')
    .action((options: { session: string; json?: boolean }, command: Command) =>
      run(async () => {
        // Loaded here, not at start: the store drivers are heavy and `--help` never needs them.
        const { openStore } = await import('../store/open-store.js');
        const store = await openStore(settingsFrom(command.optsWithGlobals() as GlobalOptions));
        try {
          const trail = await auditTrail(store, cliUser(), options.session);
          if (!trail) throw new UsageError(`no session ${options.session} of user ${cliUser()} in the store`);
          process.stdout.write(
            options.json ? `${JSON.stringify(trail, null, 2)}\n` : formatAuditTrail(trail),
          );
          return EXIT.ok;
        } finally {
          await store.close();
        }
      }),
    );
}
