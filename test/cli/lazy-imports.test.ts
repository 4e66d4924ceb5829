/**
 * The CLI loads heavy dependencies only in the commands that use them: `--help` must not pay for
 * the AWS SDK, the store drivers or the web server, and reading the catalog (`tools list`, `tools
 * show`, `iam-policy`) must not load the AWS SDK clients, which only a tool call needs
 * (bench/cli-start.ts measures what that saves). Checked by the CommonJS packages the process
 * loaded, not by timing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnvironment, REPO_ROOT } from '../helpers/cli.js';

const HEAVY = ['@aws-sdk/', '@smithy/', 'fastify', 'pg', 'mongodb', '@modelcontextprotocol/'];

/** npm packages whose CommonJS files the command loaded, printed by a preloaded module at exit. */
async function packagesLoadedBy(args: string[]): Promise<{ packages: string[]; stdout: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'cli-imports-'));
  const hook = join(folder, 'hook.mjs');
  writeFileSync(
    hook,
    [
      "import { createRequire } from 'node:module';",
      "import { writeSync } from 'node:fs';",
      'const require = createRequire(import.meta.url);',
      "process.on('exit', () => writeSync(2, 'LOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));",
    ].join('\n'),
  );
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', hook, CLI, ...args], {
    cwd: REPO_ROOT,
    env: cliEnvironment({ AWS_COPILOT_DATA_DIR: folder }),
  });
  const files = JSON.parse(stderr.split('LOADED ')[1] ?? '[]') as string[];
  const packages = files.map((file) => file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? 'ours');
  return { packages: [...new Set(packages)], stdout };
}

describe('CLI start', () => {
  it('prints --help without loading the AWS SDK, store drivers, MCP SDK or web server', async () => {
    const { packages } = await packagesLoadedBy(['--help']);
    expect(packages).toContain('commander');
    expect(packages.filter((name) => HEAVY.some((heavy) => name.startsWith(heavy)))).toEqual([]);
  });

  // Each command must print something only the whole catalog knows: one that failed cannot pass.
  it.each([
    { command: 'tools list', prints: 'launch_ec2' },
    { command: 'tools show launch_ec2', prints: '"input_schema"' },
    { command: 'iam-policy', prints: 'ec2:RunInstances' },
  ])('$command reads the catalog without loading the AWS SDK', async ({ command, prints }) => {
    const { packages, stdout } = await packagesLoadedBy(command.split(' '));
    expect(stdout).toContain(prints);
    expect(packages).toContain('commander');
    expect(packages.filter((name) => HEAVY.some((heavy) => name.startsWith(heavy)))).toEqual([]);
  });
});
