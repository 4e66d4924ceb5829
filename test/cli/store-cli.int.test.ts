import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPGliteStore } from '../../src/store/pglite/open-pglite-store.js';
import { CredentialVault } from '../../src/store/vault/credential-vault.js';
import { resolveMasterKey } from '../../src/store/vault/open-vault.js';
import { CLI, cliEnvironment, runCli } from '../helpers/cli.js';

const SECRET_KEY = 'Zx9cV7bN5mQ3wE1rT8yU6iO4pA2sD0fG7hJ5kL3q';
const ACCESS_KEY = 'AKIACLITESTKEY000042';

function runWithStdin(
  args: string[],
  env: NodeJS.ProcessEnv,
  input: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Every byte under a folder, to prove a secret is nowhere on disk in clear. */
function allBytes(folder: string): Buffer {
  const parts: Buffer[] = [];
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) parts.push(readFileSync(join(entry.parentPath, entry.name)));
  }
  return Buffer.concat(parts);
}

describe('store commands', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-store-'));
  const env = cliEnvironment({ AWS_COPILOT_DATA_DIR: dataDir });

  it('stores credentials write-only: masked back, sealed on disk, removable', async () => {
    const input = JSON.stringify({
      kind: 'access-key',
      access_key_id: ACCESS_KEY,
      secret_access_key: SECRET_KEY,
    });
    const saved = await runWithStdin(['credentials', 'set', '--name', 'prod'], env, input);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('AKIA…0042');
    expect(saved.stdout + saved.stderr).not.toContain(SECRET_KEY);
    const shown = await runCli(['credentials', 'show'], env);
    expect(JSON.parse(shown.stdout)).toEqual([
      expect.objectContaining({
        name: 'prod',
        masked: expect.objectContaining({ access_key_id: 'AKIA…0042' }),
      }),
    ]);
    expect(shown.stdout).not.toContain(SECRET_KEY);
    const disk = allBytes(dataDir);
    expect(disk.includes(Buffer.from(SECRET_KEY))).toBe(false);
    expect(disk.includes(Buffer.from(ACCESS_KEY))).toBe(false);
    expect(statSync(join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);

    const rotated = await runCli(['store', 'rotate-key'], env);
    expect(rotated.stdout).toMatch(/re-encrypted 1 vault record/);
    expect((await runCli(['credentials', 'show'], env)).stdout).toContain('AKIA…0042');

    expect((await runCli(['credentials', 'rm', 'prod'], env)).code).toBe(0);
    expect(JSON.parse((await runCli(['credentials', 'show'], env)).stdout)).toEqual([]);
  });

  it('rotates the key of sealed form values too, so a paused deployment still opens them', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cli-rotate-sealed-'));
    const settings = { dataDir: folder, kmsKeyId: undefined };
    const openVault = async () => {
      const store = await openPGliteStore({ directory: join(folder, 'store'), vectorDimensions: 8 });
      return {
        store,
        vault: new CredentialVault(store.credentials, resolveMasterKey(settings, undefined, {})),
      };
    };
    const before = await openVault();
    const sealed = await before.vault.seal('local', 'form-secret-before-rotation');
    await before.store.close();
    const oldKey = readFileSync(join(folder, 'master.key'), 'utf8');

    const rotated = await runCli(['store', 'rotate-key'], cliEnvironment({ AWS_COPILOT_DATA_DIR: folder }));
    expect(rotated.stdout).toMatch(/re-encrypted 1 vault record/);
    expect(readFileSync(join(folder, 'master.key'), 'utf8')).not.toBe(oldKey);

    const after = await openVault();
    try {
      expect(await after.vault.unseal('local', sealed)).toBe('form-secret-before-rotation');
      const stale = new CredentialVault(
        after.store.credentials,
        resolveMasterKey(settings, undefined, { AWS_COPILOT_MASTER_KEY: oldKey }),
      );
      await expect(stale.unseal('local', sealed)).rejects.toThrow(/master key/);
    } finally {
      await after.store.close();
    }
  });

  it('rejects malformed credentials naming the field', async () => {
    const result = await runWithStdin(
      ['credentials', 'set'],
      env,
      JSON.stringify({ kind: 'access-key', access_key_id: 'nope', secret_access_key: SECRET_KEY }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/access_key_id: an access key id is AKIA/);
    expect(result.stderr).not.toContain(SECRET_KEY);
  });

  it('migrates, purges and lists an empty history', async () => {
    expect((await runCli(['store', 'migrate'], env)).stdout).toMatch(/pglite store at schema version \d+/);
    expect(JSON.parse((await runCli(['store', 'purge'], env)).stdout)).toMatchObject({
      telemetry: 0,
      audit: 0,
    });
    expect(JSON.parse((await runCli(['history', '--json'], env)).stdout)).toEqual([]);
    expect(JSON.parse((await runCli(['metrics', '--json'], env)).stdout)).toEqual({
      deployments: 0,
      success_rate: null,
      tokens_per_deployment: null,
      dry_run_coverage: null,
      iterations_to_resolve: null,
    });
  });
});
