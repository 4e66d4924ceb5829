/**
 * The REST API in single-user mode: health with the SANDBOX banner, the start-up token and the
 * session cookie, CSRF on state-changing requests, write-only credentials, body validation and
 * size limits, per-user rate limits, the Host check, and the built UI's files.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialListSchema, healthSchema, MAX_BODY_BYTES, meSchema } from '../../src/protocol/api.js';
import {
  AgentClient,
  ApiClient,
  bearer,
  type ServerHarness,
  startServerHarness,
  TEST_TOKEN,
} from '../helpers/server-harness.js';
import { sandboxEndpoint } from '../helpers/tool-harness.js';

const ACCESS_KEY_ID = 'AKIAZZTESTKEY0000001';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzTESTKEY1';

describe('REST API, single-user', () => {
  let harness: ServerHarness;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'web-dist-'));
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(
      join(webRoot, 'index.html'),
      '<!doctype html><title>aws-copilot</title><div id="root"></div>',
    );
    writeFileSync(join(webRoot, 'assets', 'app-1234.js'), 'console.log("ui");');
    harness = await startServerHarness({
      sandboxEndpoint: sandboxEndpoint(),
      webRoot,
      rateLimitPerMinute: 100,
    });
  });
  afterAll(() => harness.close());

  it('answers /api/health without signing in, with the SANDBOX banner', async () => {
    const health = await new ApiClient(harness.url).get('/api/health');
    expect(health.status).toBe(200);
    expect(healthSchema.parse(health.body)).toMatchObject({
      status: 'ok',
      mode: 'single-user',
      store: 'pglite',
      sandbox: true,
      banner: expect.stringMatching(/^SANDBOX: /),
    });
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('asks for the start-up token, then works with the session cookie it was exchanged for', async () => {
    const browser = new ApiClient(harness.url);
    expect((await browser.get('/api/sessions')).status).toBe(401);
    expect((await browser.get('/?token=wrong-token')).status).toBe(401);
    expect((await new ApiClient(harness.url, bearer('wrong-token')).get('/api/sessions')).status).toBe(401);
    const opened = await browser.get(`/?token=${TEST_TOKEN}`);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/');
    expect(opened.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect(browser.cookie).toBeDefined();
    expect((await browser.get('/api/sessions')).status).toBe(200);
    const me = await browser.get('/api/auth/me');
    meSchema.parse(me.body);
    expect(me.body).toMatchObject({
      user: { id: 'local' },
      mode: 'single-user',
      csrfToken: expect.any(String),
    });

    // State changes made with the cookie need the CSRF token bound to that session.
    const put = (headers: Record<string, string>) =>
      browser.request('PUT', '/api/credentials/prod', {
        body: { kind: 'access-key', access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET_KEY },
        headers,
      });
    expect((await put({})).body.error.code).toBe('csrf_failed');
    expect((await put({ 'x-csrf-token': 'forged' })).status).toBe(403);
    const other = new ApiClient(harness.url);
    await other.request('POST', '/api/auth/token', { body: { token: TEST_TOKEN } });
    const otherCsrf = (await other.get('/api/auth/me')).body.csrfToken;
    expect(otherCsrf).not.toBe(me.body.csrfToken);
    expect((await put({ 'x-csrf-token': otherCsrf })).status).toBe(403);
    const accepted = await put({ 'x-csrf-token': me.body.csrfToken });
    expect(accepted.body).toMatchObject({ credential: { name: 'prod' } });
    // A bearer token is never sent by a browser on its own: no CSRF token needed.
    const script = new ApiClient(harness.url, bearer());
    expect((await script.request('DELETE', '/api/credentials/prod')).status).toBe(204);

    browser.csrfToken = me.body.csrfToken;
    expect((await browser.request('POST', '/api/auth/logout')).status).toBe(204);
    expect(browser.cookie).toBeUndefined();
    expect((await browser.get('/api/sessions')).status).toBe(401);
  });

  it('never answers stored credentials in clear, on any route', async () => {
    const api = new ApiClient(harness.url, bearer());
    const saved = await api.request('PUT', '/api/credentials/default', {
      body: { kind: 'access-key', access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET_KEY },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.credential).toMatchObject({
      name: 'default',
      kind: 'access-key',
      masked: { access_key_id: 'AKIA…0001' },
    });

    // The secret typed into the chat is masked in the events and the transcript as well.
    const client = await AgentClient.open(harness.wsUrl, { headers: bearer() });
    client.send({ type: 'user-message', text: `my secret key is ${SECRET_KEY}, what can you do?` });
    await client.nextOf('turn-end');
    const sessionId = client.hello.session_id;
    await client.close();

    const answers = await Promise.all(
      [
        '/api/health',
        '/api/auth/me',
        '/api/credentials',
        '/api/sessions',
        `/api/sessions/${sessionId}`,
        `/api/sessions/${sessionId}/events`,
        `/api/sessions/${sessionId}/telemetry`,
        `/api/sessions/${sessionId}/reports`,
        '/api/deployments',
        '/api/metrics',
      ].map((path) => api.get(path)),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(SECRET_KEY);
      expect(answer.text).not.toContain(ACCESS_KEY_ID);
    }
    for (const frame of client.frames) expect(JSON.stringify(frame)).not.toContain(SECRET_KEY);
    expect(credentialListSchema.parse((await api.get('/api/credentials')).body).credentials).toEqual([
      expect.objectContaining({
        name: 'default',
        masked: { access_key_id: 'AKIA…0001', secret_access_key: '…' },
      }),
    ]);
    expect((await api.request('DELETE', '/api/credentials/default')).status).toBe(204);
    expect((await api.request('DELETE', '/api/credentials/default')).status).toBe(404);
  });

  it('validates bodies with the failing field named, and refuses non-JSON and oversized bodies', async () => {
    const api = new ApiClient(harness.url, bearer());
    const wrongKey = await api.request('PUT', '/api/credentials/default', {
      body: { kind: 'access-key', access_key_id: 'nope', secret_access_key: SECRET_KEY },
    });
    expect(wrongKey.status).toBe(400);
    expect(wrongKey.body.error).toMatchObject({ code: 'invalid_input', field: 'access_key_id' });
    expect(wrongKey.text).not.toContain(SECRET_KEY);
    const badName = await api.request('PUT', '/api/credentials/Bad_Name', {
      body: { kind: 'access-key', access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET_KEY },
    });
    expect(badName.body.error).toMatchObject({ code: 'invalid_input', field: 'name' });
    const extra = await api.request('POST', '/api/auth/token', { body: { token: TEST_TOKEN, admin: true } });
    expect(extra.status).toBe(400);
    const notJson = await api.request('PUT', '/api/credentials/default', {
      raw: '{"kind":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    const form = await api.request('PUT', '/api/credentials/default', {
      raw: 'kind=access-key',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const plain = await api.request('PUT', '/api/credentials/default', {
      raw: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    const huge = await api.request('PUT', '/api/credentials/default', {
      body: {
        kind: 'access-key',
        access_key_id: ACCESS_KEY_ID,
        secret_access_key: 'x'.repeat(MAX_BODY_BYTES),
      },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    expect((await api.get('/api/sessions/not-mine')).status).toBe(404);
    expect((await api.get('/api/sessions?limit=100000')).body.error.field).toBe('limit');
  });

  it('refuses requests naming another host when it listens on loopback (DNS rebinding)', async () => {
    // fetch() sets Host itself; a raw request can name any host, as a rebound page's browser would.
    const statusWithHost = (host: string) =>
      new Promise<number | undefined>((resolve, reject) => {
        const url = new URL('/api/health', harness.url);
        request({ host: url.hostname, port: url.port, path: url.pathname, headers: { host } }, (response) => {
          response.resume();
          resolve(response.statusCode);
        })
          .on('error', reject)
          .end();
      });
    expect(await statusWithHost('attacker.example:80')).toBe(403);
    expect(await statusWithHost(`localhost:${new URL(harness.url).port}`)).toBe(200);
  });

  it('refuses state-changing requests from foreign origins', async () => {
    const api = new ApiClient(harness.url, bearer());
    const foreign = await api.request('POST', '/api/auth/token', {
      body: { token: TEST_TOKEN },
      headers: { origin: 'https://attacker.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('origin_refused');
    const same = await api.request('POST', '/api/auth/token', {
      body: { token: TEST_TOKEN },
      headers: { origin: harness.url },
    });
    expect(same.status).toBe(200);
  });

  it('serves the built UI and its assets, index.html for client routes, nothing outside the folder', async () => {
    const browser = new ApiClient(harness.url);
    const page = await browser.get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const asset = await browser.get('/assets/app-1234.js');
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await browser.get('/deployments/123')).text).toContain('<div id="root">');
    expect((await browser.get('/assets/missing.js')).status).toBe(404);
    expect((await browser.get('/..%2f..%2fpackage.json')).status).toBe(404);
    expect((await browser.get('/api/nothing-here')).status).toBe(404);
  });

  it('limits requests per user (429 with Retry-After), counting callers not signed in by address', async () => {
    const limited = await startServerHarness({ rateLimitPerMinute: 5 });
    try {
      const api = new ApiClient(limited.url, bearer());
      const statuses = [];
      for (let index = 0; index < 8; index += 1) statuses.push((await api.get('/api/sessions')).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      const refused = await api.get('/api/sessions');
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.body.error.code).toBe('rate_limited');
      // Unauthenticated callers are counted per address, apart from the user.
      expect((await new ApiClient(limited.url).get('/api/health')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
