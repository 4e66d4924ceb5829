import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import { CLI, cliEnvironment } from '../helpers/cli.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, attempts = 100): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

describe('the local AWS sandbox', () => {
  it('starts on a loopback port with Lambda set to run without Docker, and stop() leaves no process', async () => {
    const sandbox = await startSandbox();
    expect(sandbox.endpointUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const config = (await (await fetch(`${sandbox.endpointUrl}/moto-api/config`)).json()) as {
      lambda?: { use_docker?: boolean };
    };
    expect(config.lambda?.use_docker).toBe(false);
    await sandbox.stop();
    expect(await waitUntilGone(sandbox.pid)).toBe(true);
  });

  it('`aws-copilot sandbox` prints the endpoint, and the emulator dies with its parent even on SIGKILL', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
    const child = spawn(process.execPath, [CLI, 'sandbox'], {
      env: cliEnvironment({ AWS_COPILOT_DATA_DIR: dataDir }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout });
    const endpoint = await new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        const match = /AWS_ENDPOINT_URL=(\S+)/.exec(line);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}`)));
    });
    expect((await fetch(`${endpoint}/moto-api/config`)).ok).toBe(true);
    const state = JSON.parse(readFileSync(join(dataDir, 'sandbox.json'), 'utf8')) as {
      endpointUrl: string;
      pid: number;
    };
    expect(state).toMatchObject({ endpointUrl: endpoint, pid: child.pid });

    const emulators = childPids(child.pid as number);
    expect(emulators.length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    for (const pid of emulators) expect(await waitUntilGone(pid)).toBe(true);
  });
});
