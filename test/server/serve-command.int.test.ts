/**
 * `aws-copilot serve` as a person starts it: with no settings it starts its own sandbox, listens
 * on loopback and prints a start-up URL with a random token; `users add` plus `--multi-user` gives
 * password sign-in. Runs the built CLI (npm test builds it first).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliEnvironment, runCli } from '../helpers/cli.js';
import { type Served, startServe, stopServe } from '../helpers/serve-process.js';
import { ApiClient } from '../helpers/server-harness.js';
import { sandboxEndpoint } from '../helpers/tool-harness.js';

describe('aws-copilot serve', () => {
  let served: Served | undefined;
  afterEach(async () => {
    if (served) await stopServe(served.child);
    served = undefined;
  });

  it('with no settings: its own sandbox with a banner, loopback, a start-up URL with a token', async () => {
    const home = mkdtempSync(join(tmpdir(), 'serve-home-'));
    served = await startServe(
      [],
      cliEnvironment({ AWS_COPILOT_DATA_DIR: join(home, 'data'), AWS_COPILOT_WORKSPACE: home, HOME: home }),
    );
    const output = served.output();
    const token = served.token ?? '';
    expect(token.length).toBeGreaterThanOrEqual(32);
    const sandbox = /SANDBOX: AWS calls go to the local emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(
      output,
    )?.[1];
    expect(sandbox).toBeDefined();

    const browser = new ApiClient(served.url);
    const health = await browser.get('/api/health');
    expect(health.body).toMatchObject({ mode: 'single-user', store: 'pglite', sandbox: true });
    expect(health.body.banner).toContain(sandbox);
    expect((await browser.get('/api/sessions')).status).toBe(401);
    expect((await browser.get(`/?token=${token}`)).status).toBe(303);
    expect((await browser.get('/api/sessions')).body).toEqual({ sessions: [] });

    expect(await stopServe(served.child)).toBe(0);
    // The sandbox it started stopped with it.
    await expect(fetch(`${sandbox}/moto-api/`)).rejects.toThrow();
  });

  it('--multi-user: accounts added with `users add` sign in with their password', async () => {
    const home = mkdtempSync(join(tmpdir(), 'serve-users-'));
    const env = cliEnvironment({
      AWS_COPILOT_DATA_DIR: join(home, 'data'),
      AWS_COPILOT_WORKSPACE: home,
      AWS_ENDPOINT_URL: sandboxEndpoint(),
      HOME: home,
    });
    const short = await runCli(['users', 'add', 'ann'], env, undefined, 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 12 characters');
    const added = await runCli(['users', 'add', 'ann'], env, undefined, 'a long enough password\n');
    expect(added.code).toBe(0);
    expect((await runCli(['users', 'list'], env)).stdout).toContain('ann');

    served = await startServe(['--multi-user'], env);
    expect(served.output()).not.toContain('?token=');
    expect(served.output()).not.toContain('SANDBOX');
    const client = new ApiClient(served.url);
    expect((await client.login('ann', 'a long enough password')).status).toBe(200);
    expect((await client.get('/api/auth/me')).body).toMatchObject({
      user: { name: 'ann' },
      mode: 'multi-user',
    });
    expect((await new ApiClient(served.url).login('ann', 'a wrong password!!')).status).toBe(401);
  });
});
