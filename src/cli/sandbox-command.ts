/** `aws-copilot sandbox`: the local AWS emulator in the foreground, and its installer. */
import type { Command } from 'commander';
import { installSandbox } from '../sandbox/install.js';
import { startSandbox } from '../sandbox/sandbox.js';
import { clearSandboxState, writeSandboxState } from './aws-environment.js';
import { type GlobalOptions, settingsFrom } from './context.js';
import { EXIT } from './exit-codes.js';

const progress = (line: string) => process.stderr.write(`${line}\n`);

async function runSandbox(options: { port?: string }, globals: GlobalOptions): Promise<number> {
  const settings = settingsFrom(globals);
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer from 0 to 65535 (0 picks a free port), not '${options.port}'`);
  }
  const sandbox = await startSandbox({ port, onProgress: progress });
  await writeSandboxState(settings, {
    endpointUrl: sandbox.endpointUrl,
    pid: process.pid,
    startedAt: new Date().toISOString(),
  });
  process.stdout.write(
    [
      `SANDBOX: local AWS emulator listening on ${sandbox.endpointUrl}`,
      '',
      `  AWS_ENDPOINT_URL=${sandbox.endpointUrl}`,
      '',
      'Other aws-copilot commands on this machine use it automatically while no AWS credentials are configured.',
      'Any AWS SDK or CLI can use it too: export AWS_ENDPOINT_URL=... AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing',
      'Press Ctrl+C to stop it; its state is kept in memory only.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await clearSandboxState(settings, process.pid);
  await sandbox.stop();
  process.stderr.write('sandbox stopped\n');
  return EXIT.ok;
}

export function registerSandboxCommand(
  program: Command,
  run: (work: () => Promise<number>) => Promise<void>,
): void {
  const sandbox = program
    .command('sandbox')
    .description(
      'start the local AWS emulator (moto) in the foreground and print the AWS_ENDPOINT_URL to use',
    )
    .option('--port <port>', 'port to listen on (default: a free port)')
    .action((options: { port?: string }, command: Command) =>
      run(() => runSandbox(options, command.optsWithGlobals() as GlobalOptions)),
    );
  sandbox
    .command('install')
    .description('install the emulator into the project-local virtual environment (.sandbox-venv) and exit')
    .action(() =>
      run(async () => {
        await installSandbox({ onProgress: progress });
        progress('sandbox is installed');
        return EXIT.ok;
      }),
    );
}
