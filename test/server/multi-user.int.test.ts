/**
 * Multi-user mode: accounts with scrypt-hashed passwords and session cookies, or identities from a
 * trusted proxy header; each person sees only their own sessions, deployments and credentials, and
 * one person's rate limit does not slow another.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/server/passwords.js';
import { AgentClient, ApiClient, type ServerHarness, startServerHarness } from '../helpers/server-harness.js';

const ANN_PASSWORD = 'correct horse battery staple';
const BOB_PASSWORD = 'another long passphrase';
const ANN_SECRET = 'aNnSeCrEt0123456789abcdefghijklmnopqrstu';

describe('multi-user server with accounts', () => {
  let harness: ServerHarness;
  let annId: string;
  beforeAll(async () => {
    harness = await startServerHarness({ auth: { kind: 'multi-user' }, rateLimitPerMinute: 40 });
    annId = randomUUID();
    await harness.app.store.users.create({
      id: annId,
      name: 'ann',
      passwordHash: await hashPassword(ANN_PASSWORD),
    });
    await harness.app.store.users.create({
      id: randomUUID(),
      name: 'bob@example.com',
      passwordHash: await hashPassword(BOB_PASSWORD),
    });
  });
  afterAll(() => harness.close());

  it('signs in with a password, and refuses wrong ones and unknown names alike', async () => {
    const client = new ApiClient(harness.url);
    expect((await client.get('/api/sessions')).status).toBe(401);
    expect((await client.login('ann', 'wrong password')).status).toBe(401);
    const unknown = await client.login('nobody', ANN_PASSWORD);
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe('wrong user name or password');
    expect(client.cookie).toBeUndefined();
    expect((await client.request('POST', '/api/auth/token', { body: { token: 'x' } })).status).toBe(404);
    const signedIn = await client.login('ann', ANN_PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ user: { id: annId, name: 'ann' }, mode: 'multi-user' });
    expect((await client.get('/api/auth/me')).body.user.name).toBe('ann');
    // The store keeps a hash of the cookie, never the cookie.
    const cookieValue = client.cookie?.split('=')[1] ?? '';
    expect(await harness.app.store.users.getLogin(cookieValue)).toBeUndefined();
  });

  it("isolates sessions, deployments and credentials: bob sees none of ann's", async () => {
    const ann = new ApiClient(harness.url);
    await ann.login('ann', ANN_PASSWORD);
    const bob = new ApiClient(harness.url);
    await bob.login('bob@example.com', BOB_PASSWORD);

    // Ann chats over the WebSocket (the cookie authenticates the upgrade), stores credentials, has a deployment.
    const socket = await AgentClient.open(harness.wsUrl, { headers: { cookie: ann.cookie ?? '' } });
    socket.send({ type: 'user-message', text: 'what can you do?' });
    await socket.nextOf('turn-end');
    const sessionId = socket.hello.session_id;
    expect(socket.hello.user).toEqual({ id: annId, name: 'ann' });
    await socket.close();
    const put = await ann.request('PUT', '/api/credentials/default', {
      body: { kind: 'access-key', access_key_id: 'AKIAANNTESTKEY000001', secret_access_key: ANN_SECRET },
    });
    expect(put.status).toBe(200);
    const deployment = await harness.app.store.deployments.create({
      id: randomUUID(),
      userId: annId,
      sessionId,
      status: 'succeeded',
      target: 'lambda',
      region: 'us-east-1',
      url: 'https://ann.example',
    });
    const reportId = randomUUID();
    await harness.app.store.reports.save({
      id: reportId,
      userId: annId,
      sessionId,
      name: 'report_summary.md',
      markdown: '# Ann only',
      at: new Date().toISOString(),
    });
    expect((await ann.get(`/api/reports/${reportId}`)).body.report).toMatchObject({ markdown: '# Ann only' });
    expect((await ann.get(`/api/deployments/${deployment.id}`)).body.reports).toEqual([
      expect.objectContaining({ id: reportId, name: 'report_summary.md' }),
    ]);
    expect((await ann.get('/api/sessions')).body.sessions.map((item: { id: string }) => item.id)).toContain(
      sessionId,
    );
    expect((await ann.get('/api/deployments')).body.deployments).toHaveLength(1);
    expect((await ann.get('/api/credentials')).body.credentials).toHaveLength(1);

    expect((await bob.get('/api/sessions')).body.sessions).toEqual([]);
    expect((await bob.get(`/api/sessions/${sessionId}`)).status).toBe(404);
    expect((await bob.get(`/api/sessions/${sessionId}/events`)).status).toBe(404);
    expect((await bob.get(`/api/sessions/${sessionId}/telemetry`)).status).toBe(404);
    expect((await bob.get('/api/deployments')).body.deployments).toEqual([]);
    expect((await bob.get(`/api/deployments/${deployment.id}`)).status).toBe(404);
    expect((await bob.get(`/api/reports/${reportId}`)).status).toBe(404);
    expect((await bob.get(`/api/sessions/${sessionId}/reports`)).status).toBe(404);
    expect((await bob.get('/api/credentials')).body.credentials).toEqual([]);
    expect((await bob.request('DELETE', '/api/credentials/default')).status).toBe(404);
    expect((await ann.get('/api/credentials')).body.credentials).toHaveLength(1);
    // Nor can bob open ann's session on the WebSocket.
    await expect(
      AgentClient.open(harness.wsUrl, { headers: { cookie: bob.cookie ?? '' }, sessionId }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("needs the CSRF token bound to the person's own session for state changes", async () => {
    const ann = new ApiClient(harness.url);
    await ann.login('ann', ANN_PASSWORD);
    const bob = new ApiClient(harness.url);
    await bob.login('bob@example.com', BOB_PASSWORD);
    const annToken = ann.csrfToken;
    ann.csrfToken = undefined;
    expect((await ann.request('DELETE', '/api/credentials/default')).body.error.code).toBe('csrf_failed');
    expect(
      (
        await ann.request('DELETE', '/api/credentials/default', {
          headers: { 'x-csrf-token': bob.csrfToken ?? '' },
        })
      ).status,
    ).toBe(403);
    ann.csrfToken = annToken;
    expect((await ann.request('POST', '/api/auth/logout')).status).toBe(204);
    expect((await ann.get('/api/sessions')).status).toBe(401);
  });

  it("limits each person's requests without slowing the others", async () => {
    const ann = new ApiClient(harness.url);
    await ann.login('ann', ANN_PASSWORD);
    const bob = new ApiClient(harness.url);
    await bob.login('bob@example.com', BOB_PASSWORD);
    let refused = 0;
    for (let index = 0; index < 45 && refused === 0; index += 1)
      if ((await ann.get('/api/sessions')).status === 429) refused += 1;
    expect(refused).toBe(1);
    expect((await bob.get('/api/sessions')).status).toBe(200);
  });
});

describe('multi-user server behind a trusted proxy header', () => {
  let harness: ServerHarness;
  beforeAll(async () => {
    harness = await startServerHarness({
      auth: { kind: 'multi-user', trustedUserHeader: 'x-forwarded-user' },
    });
  });
  afterAll(() => harness.close());

  it('takes the identity from the header, gives each person their own data, and still checks CSRF', async () => {
    const carol = new ApiClient(harness.url, { 'x-forwarded-user': 'carol@example.com' });
    const dave = new ApiClient(harness.url, { 'x-forwarded-user': 'dave@example.com' });
    expect((await new ApiClient(harness.url).get('/api/sessions')).status).toBe(401);
    expect(
      (await new ApiClient(harness.url, { 'x-forwarded-user': 'bad name!' }).get('/api/sessions')).status,
    ).toBe(401);
    expect(
      (await carol.request('POST', '/api/auth/login', { body: { username: 'carol', password: 'x' } })).status,
    ).toBe(404);

    const me = await carol.get('/api/auth/me');
    expect(me.body).toMatchObject({ user: { name: 'carol@example.com' }, csrfToken: expect.any(String) });
    const body = { kind: 'assume-role', role_arn: 'arn:aws:iam::123456789012:role/Carol' };
    expect((await carol.request('PUT', '/api/credentials/default', { body })).status).toBe(403);
    carol.csrfToken = me.body.csrfToken;
    expect((await carol.request('PUT', '/api/credentials/default', { body })).status).toBe(200);
    expect((await carol.get('/api/credentials')).body.credentials).toHaveLength(1);
    expect((await dave.get('/api/credentials')).body.credentials).toEqual([]);
    // Carol's session cookie does not make dave carol, nor carry her CSRF token over.
    dave.cookie = carol.cookie;
    dave.csrfToken = carol.csrfToken;
    expect((await dave.get('/api/auth/me')).body.user.name).toBe('dave@example.com');
    expect((await dave.request('DELETE', '/api/credentials/default')).status).toBe(403);
    expect((await harness.app.store.users.list()).map((user) => user.name)).toEqual(
      expect.arrayContaining(['carol@example.com', 'dave@example.com']),
    );
  });
});
