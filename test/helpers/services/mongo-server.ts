/**
 * A real MongoDB-wire server for the test run: SecantusDB (PyPI, pinned in
 * scripts/test-services/requirements.txt) in memory on a free loopback port, installed on first
 * use into the git-ignored `.test-services-venv/`. It sweeps TTL indexes every second, and it
 * exits when our end of its stdin closes, so it never outlives the run.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PACKAGE_ROOT, venvBinIn } from '../../../src/sandbox/paths.js';
import { installVenv, type PythonVenv } from '../../../src/sandbox/python-venv.js';

export interface MongoServer {
  /** `mongodb://127.0.0.1:<port>`; append `/<database>` for a store. */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const TEST_SERVICES: PythonVenv = {
  directory: join(PACKAGE_ROOT, '.test-services-venv'),
  requirements: join(PACKAGE_ROOT, 'scripts', 'test-services', 'requirements.txt'),
  label: 'the MongoDB test server (SecantusDB)',
};
const LAUNCHER = join(PACKAGE_ROOT, 'scripts', 'test-services', 'secantus_launch.py');

export async function startMongoServer(
  options: { onProgress?: (line: string) => void } = {},
): Promise<MongoServer> {
  await installVenv(TEST_SERVICES, options);
  const child = spawn(venvBinIn(TEST_SERVICES.directory, 'python'), [LAUNCHER], {
    // stdin stays an open pipe: its end of file is how the server learns we are gone.
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`SecantusDB did not start within 30 s:\n${stderr}`));
    }, 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`SecantusDB exited with ${code} before listening:\n${stderr}`));
    });
  });
  lines.close();
  child.stdout.resume();
  const { host, port } = JSON.parse(first) as { host: string; port: number };

  return {
    url: `mongodb://${host}:${port}`,
    pid: child.pid as number,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(forced);
    },
  };
}
