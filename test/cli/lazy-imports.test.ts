/**
 * The CLI loads heavy dependencies only in the commands that use them: `--help` must not pay for
 * the AWS SDK, the store drivers or the web server (bench/cli-start.ts measures what that saves).
 * Checked by the CommonJS packages the process loaded, not by timing.
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
async function packagesLoadedBy(args: string[]): Promise<string[]> {
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
  const { stderr } = await promisify(execFile)(process.execPath, ['--import', hook, CLI, ...args], {
    cwd: REPO_ROOT,
    env: cliEnvironment({ AWS_COPILOT_DATA_DIR: folder }),
  });
  const files = JSON.parse(stderr.split('LOADED ')[1] ?? '[]') as string[];
  return [...new Set(files.map((file) => file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? 'ours'))];
}

describe('CLI start', () => {
  it('prints --help without loading the AWS SDK, store drivers, MCP SDK or web server', async () => {
    const loaded = await packagesLoadedBy(['--help']);
    expect(loaded).toContain('commander');
    expect(loaded.filter((name) => HEAVY.some((heavy) => name.startsWith(heavy)))).toEqual([]);
  });

  it('lists the tools without loading store drivers, MCP SDK or web server', async () => {
    const loaded = await packagesLoadedBy(['tools', 'list']);
    expect(loaded.some((name) => name.startsWith('@aws-sdk/'))).toBe(true);
    const notNeeded = HEAVY.filter((heavy) => !heavy.startsWith('@aws-sdk') && !heavy.startsWith('@smithy'));
    expect(loaded.filter((name) => notNeeded.some((heavy) => name.startsWith(heavy)))).toEqual([]);
  });
});
