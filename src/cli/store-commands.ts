/** `aws-copilot history`, `credentials set|show|rm` and `store migrate|purge|rotate-key`. */
import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { deploymentMetrics } from '../agents/metrics.js';
import type { Settings } from '../config/settings.js';
import type { Store } from '../store/ports.js';
import { type GlobalOptions, settingsFrom } from './context.js';
import { EXIT, UsageError } from './exit-codes.js';
import { createPrompt, questionHidden } from './hidden-question.js';

type Run = (work: () => Promise<number>) => Promise<void>;

/** The person at this terminal; multi-user servers use real accounts instead. */
export function cliUser(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_COPILOT_USER || 'local';
}

async function withStore<T>(settings: Settings, work: (store: Store) => Promise<T>): Promise<T> {
  // Loaded by the commands that use it: the store drivers would slow every start of the CLI.
  const { openStore } = await import('../store/open-store.js');
  const store = await openStore(settings);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks without echoing what is typed (secrets stay off the screen and out of scrollback). */
export async function askHidden(question: string): Promise<string> {
  const prompt = createPrompt(process.stderr);
  try {
    return await questionHidden(prompt, question);
  } finally {
    prompt.readline.close();
  }
}

interface SetOptions {
  name: string;
  roleArn?: string;
  externalId?: string;
  source?: string;
  fromEnv?: boolean;
}

/** Collects the credential from flags, the environment, a prompt, or JSON on stdin, in that order. */
async function credentialInput(options: SetOptions): Promise<unknown> {
  if (options.roleArn) {
    return {
      kind: 'assume-role',
      role_arn: options.roleArn,
      ...(options.externalId ? { external_id: options.externalId } : {}),
      ...(options.source ? { source: options.source } : {}),
    };
  }
  if (options.fromEnv) {
    return {
      kind: 'access-key',
      access_key_id: process.env.AWS_ACCESS_KEY_ID,
      secret_access_key: process.env.AWS_SECRET_ACCESS_KEY,
      ...(process.env.AWS_SESSION_TOKEN ? { session_token: process.env.AWS_SESSION_TOKEN } : {}),
    };
  }
  if (process.stdin.isTTY) {
    const accessKeyId = await askHidden('AWS access key id: ');
    const secret = await askHidden('AWS secret access key: ');
    const token = await askHidden('Session token (empty if none): ');
    return {
      kind: 'access-key',
      access_key_id: accessKeyId,
      secret_access_key: secret,
      ...(token ? { session_token: token } : {}),
    };
  }
  const text = await readStdin();
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(
      'standard input is not JSON; pipe {"kind":"access-key","access_key_id":...,"secret_access_key":...}',
    );
  }
}

async function vaultFor(store: Store, settings: Settings) {
  const [{ openVault }, { createAwsClientFactory }] = await Promise.all([
    import('../store/vault/open-vault.js'),
    import('../tools/aws/clients.js'),
  ]);
  return openVault(
    store.credentials,
    settings,
    settings.kmsKeyId ? createAwsClientFactory({ settings }) : undefined,
  );
}

function globals(command: Command): Settings {
  return settingsFrom(command.optsWithGlobals() as GlobalOptions);
}

export function registerStoreCommands(program: Command, run: Run): void {
  program
    .command('history')
    .description('list your deployments, newest first')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'how many', '50')
    .action((options: { json?: boolean; limit: string }, command: Command) =>
      run(() =>
        withStore(globals(command), async (store) => {
          const deployments = await store.deployments.list(cliUser(), Number(options.limit) || 50);
          if (options.json) process.stdout.write(`${JSON.stringify(deployments, null, 2)}\n`);
          else if (deployments.length === 0) process.stdout.write('no deployments yet\n');
          else
            for (const item of deployments) {
              process.stdout.write(
                `${item.createdAt}  ${item.status.padEnd(17)} ${item.target.padEnd(8)} ${item.region.padEnd(14)} ${item.id}${item.url ? `  ${item.url}` : ''}\n`,
              );
            }
          return EXIT.ok;
        }),
      ),
    );

  program
    .command('metrics')
    .description('success rate, tokens per deployment, dry-run coverage and iterations to resolve a failure')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }, command: Command) =>
      run(() =>
        withStore(globals(command), async (store) => {
          const metrics = deploymentMetrics(await store.deployments.list(cliUser(), 10_000));
          if (options.json) process.stdout.write(`${JSON.stringify(metrics, null, 2)}\n`);
          else
            for (const [name, value] of Object.entries(metrics))
              process.stdout.write(`${name.padEnd(24)} ${JSON.stringify(value)}\n`);
          return EXIT.ok;
        }),
      ),
    );

  const credentials = program
    .command('credentials')
    .description('AWS credentials in the encrypted vault (write-only)');
  credentials
    .command('set')
    .description(
      'store credentials: prompts for keys (hidden), or --from-env, or --role-arn, or JSON on stdin',
    )
    .option('--name <name>', 'credential name', 'default')
    .option('--role-arn <arn>', 'store a role to assume instead of keys')
    .option('--external-id <id>', 'external id for the role')
    .option('--source <name>', 'stored credential to assume the role with (default: the standard chain)')
    .option(
      '--from-env',
      'take AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN from the environment',
    )
    .action((options: SetOptions, command: Command) =>
      run(async () => {
        const settings = globals(command);
        const input = await credentialInput(options);
        return withStore(settings, async (store) => {
          const saved = await (await vaultFor(store, settings)).put(cliUser(), options.name, input);
          process.stdout.write(`${JSON.stringify(saved, null, 2)}\n`);
          return EXIT.ok;
        });
      }),
    );
  credentials
    .command('show')
    .description('list stored credentials, masked')
    .action((_options: unknown, command: Command) =>
      run(() => {
        const settings = globals(command);
        return withStore(settings, async (store) => {
          process.stdout.write(
            `${JSON.stringify(await (await vaultFor(store, settings)).list(cliUser()), null, 2)}\n`,
          );
          return EXIT.ok;
        });
      }),
    );
  credentials
    .command('rm')
    .description('delete a stored credential')
    .argument('<name>', 'credential name')
    .action((name: string, _options: unknown, command: Command) =>
      run(() => {
        const settings = globals(command);
        return withStore(settings, async (store) => {
          const removed = await (await vaultFor(store, settings)).remove(cliUser(), name);
          process.stdout.write(removed ? `removed ${name}\n` : `no credential named ${name}\n`);
          return removed ? EXIT.ok : EXIT.failed;
        });
      }),
    );

  const storeCommand = program.command('store').description('maintain the store');
  storeCommand
    .command('migrate')
    .description('bring the store schema up to date and print its version')
    .action((_options: unknown, command: Command) =>
      run(() =>
        withStore(globals(command), async (store) => {
          process.stdout.write(`${store.kind} store at schema version ${await store.schemaVersion()}\n`);
          return EXIT.ok;
        }),
      ),
    );
  storeCommand
    .command('purge')
    .description('delete request logs and finished deployments older than the retention period')
    .option('--older-than-days <days>', 'override the retention period (AWS_COPILOT_RETENTION_DAYS)')
    .action((options: { olderThanDays?: string }, command: Command) =>
      run(() => {
        const settings = globals(command);
        const days =
          options.olderThanDays === undefined ? settings.retentionDays : Number(options.olderThanDays);
        if (!Number.isFinite(days) || days < 0)
          throw new UsageError('--older-than-days must be a number of days, 0 or more');
        return withStore(settings, async (store) => {
          const removed = await store.purge(new Date(Date.now() - days * 86_400_000));
          process.stdout.write(`${JSON.stringify(removed)}\n`);
          return EXIT.ok;
        });
      }),
    );
  storeCommand
    .command('rotate-key')
    .description(
      'generate a new local master key and re-encrypt every vault record (credentials, sealed form values) with it',
    )
    .action((_options: unknown, command: Command) =>
      run(() => {
        const settings = globals(command);
        if (settings.kmsKeyId || process.env.AWS_COPILOT_MASTER_KEY) {
          throw new UsageError(
            'rotate-key rotates the key file; with AWS_COPILOT_MASTER_KEY or KMS, rotate at the source and run it again',
          );
        }
        return withStore(settings, async (store) => {
          const vault = await vaultFor(store, settings);
          const [{ masterKeyPath }, { LocalMasterKey }] = await Promise.all([
            import('../store/vault/open-vault.js'),
            import('../store/vault/master-key.js'),
          ]);
          const path = masterKeyPath(settings);
          const fresh = randomBytes(32);
          // The new key reaches the disk before any record depends on it.
          writeFileSync(`${path}.new`, `${fresh.toString('base64')}\n`, { mode: 0o600 });
          const count = await vault.rotate(new LocalMasterKey(fresh));
          renameSync(path, `${path}.old-${Date.now()}`);
          renameSync(`${path}.new`, path);
          process.stdout.write(
            `re-encrypted ${count} vault record(s) (credentials and sealed form values); the previous key file was kept beside it with an .old- suffix\n`,
          );
          return EXIT.ok;
        });
      }),
    );
}
