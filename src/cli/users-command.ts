/** `aws-copilot users add|passwd|list|rm`: the accounts of `aws-copilot serve --multi-user`. */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../server/passwords.js';
import type { Store } from '../store/ports.js';
import { type GlobalOptions, settingsFrom } from './context.js';
import { EXIT, UsageError } from './exit-codes.js';
import { askHidden, readStdin } from './store-commands.js';

type Run = (work: () => Promise<number>) => Promise<void>;

const NAME = /^[\w.@+-]{1,128}$/;

/** Asks twice without echo in a terminal; otherwise reads the first line of standard input. */
async function newPassword(): Promise<string> {
  let password: string;
  if (process.stdin.isTTY) {
    password = await askHidden('New password: ');
    if ((await askHidden('Repeat it: ')) !== password) throw new UsageError('the two passwords differ');
  } else {
    password = (await readStdin()).split(/\r?\n/)[0] ?? '';
  }
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new UsageError(`a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  return password;
}

async function withUsers<T>(command: Command, work: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import('../store/open-store.js');
  const store = await openStore(settingsFrom(command.optsWithGlobals() as GlobalOptions));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function checkedName(name: string): string {
  if (!NAME.test(name))
    throw new UsageError('a user name is 1-128 letters, digits and . _ @ + - (an e-mail address works)');
  return name;
}

export function registerUsersCommand(program: Command, run: Run): void {
  const users = program
    .command('users')
    .description('accounts of the multi-user server (aws-copilot serve --multi-user)');
  users
    .command('add')
    .description('create an account; the password is asked twice (hidden), or read from standard input')
    .argument('<name>', 'the login name, e.g. an e-mail address')
    .action((name: string, _options: unknown, command: Command) =>
      run(async () => {
        const checked = checkedName(name);
        const passwordHash = await hashPassword(await newPassword());
        return withUsers(command, async (store) => {
          await store.users.create({ id: randomUUID(), name: checked, passwordHash });
          process.stdout.write(`added ${name}\n`);
          return EXIT.ok;
        });
      }),
    );
  users
    .command('passwd')
    .description("set a new password for an account (the person's sessions and history stay)")
    .argument('<name>', 'the login name')
    .action((name: string, _options: unknown, command: Command) =>
      run(async () => {
        const passwordHash = await hashPassword(await newPassword());
        return withUsers(command, async (store) => {
          const user = await store.users.findByName(name);
          if (!user || !(await store.users.setPassword(user.id, passwordHash)))
            throw new UsageError(`no account named ${name}`);
          process.stdout.write(`changed the password of ${name}\n`);
          return EXIT.ok;
        });
      }),
    );
  users
    .command('list')
    .description('list the accounts')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }, command: Command) =>
      run(() =>
        withUsers(command, async (store) => {
          const list = (await store.users.list()).map((user) => ({
            id: user.id,
            name: user.name,
            password: Boolean(user.passwordHash),
            createdAt: user.createdAt,
          }));
          if (options.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          else
            for (const user of list)
              process.stdout.write(`${user.name}${user.password ? '' : '  (proxy identity)'}\n`);
          return EXIT.ok;
        }),
      ),
    );
  users
    .command('rm')
    .description('delete an account and sign it out; what it owns stays in the store')
    .argument('<name>', 'the login name')
    .action((name: string, _options: unknown, command: Command) =>
      run(() =>
        withUsers(command, async (store) => {
          const user = await store.users.findByName(name);
          if (!user || !(await store.users.remove(user.id))) throw new UsageError(`no account named ${name}`);
          process.stdout.write(`removed ${name}\n`);
          return EXIT.ok;
        }),
      ),
    );
}
