/**
 * Each person's AWS calls are signed with their own `default` vault credential, looked up when the
 * request is signed: a recording proxy in front of the sandbox reads the access key id of every
 * request's signature. People without one (and a person who deleted theirs) get the server's.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openAgentApp } from '../../src/cli/agent-app.js';
import { loadSettings } from '../../src/config/settings.js';
import type { AgentEvent } from '../../src/protocol/events.js';
import { hashPassword } from '../../src/server/passwords.js';
import { actionOf, type FaultProxy, type ProxiedRequest, startFaultProxy } from '../helpers/fault-proxy.js';
import { AgentClient, ApiClient, type ServerHarness, startServerHarness } from '../helpers/server-harness.js';
import { sandboxEndpoint } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';

const PASSWORD = 'a long enough passphrase';
/** The server's own credentials in the sandbox. */
const SERVER_KEY_ID = 'testing';
const WHO_AM_I = 'who am I on AWS? show the account of my credentials';

/** `AKIA` + 16 capitals and digits: a planted key id, unique to this run. */
function plantedKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `AKIA${[...randomBytes(16)].map((byte) => alphabet[byte % alphabet.length]).join('')}`;
}

/** The access key id in a request's SigV4 `Authorization: ... Credential=<id>/<date>/...` header. */
function signingKeyOf(request: ProxiedRequest): string | undefined {
  const header = request.headers.authorization;
  return typeof header === 'string' ? /Credential=([^/]+)\//.exec(header)?.[1] : undefined;
}

describe('per-user AWS credentials in the server', () => {
  let proxy: FaultProxy;
  let harness: ServerHarness;
  const people = { ann: '', bob: '', carol: '' };

  async function signIn(name: keyof typeof people): Promise<ApiClient> {
    const client = new ApiClient(harness.url);
    expect((await client.login(name, PASSWORD)).status).toBe(200);
    return client;
  }

  /** One chat turn of `client`'s person; returns the AWS requests it made and the reply. */
  async function turn(
    client: ApiClient,
    text: string,
  ): Promise<{ requests: ProxiedRequest[]; reply: string }> {
    const before = proxy.requests.length;
    const socket = await AgentClient.open(harness.wsUrl, { headers: { cookie: client.cookie ?? '' } });
    try {
      socket.send({ type: 'user-message', text });
      const end = await socket.nextOf('turn-end');
      expect(end.status).toBe('done');
      const reply = socket
        .events()
        .filter((frame) => frame.type === 'message-end')
        .map((frame) => ('text' in frame ? frame.text : ''))
        .join('\n');
      return { requests: proxy.requests.slice(before), reply };
    } finally {
      await socket.close();
    }
  }

  beforeAll(async () => {
    proxy = await startFaultProxy(sandboxEndpoint());
    harness = await startServerHarness({
      auth: { kind: 'multi-user' },
      awsEndpointUrl: proxy.endpointUrl,
      rateLimitPerMinute: 1000,
    });
    for (const name of Object.keys(people) as Array<keyof typeof people>) {
      people[name] = randomUUID();
      await harness.app.store.users.create({
        id: people[name],
        name,
        passwordHash: await hashPassword(PASSWORD),
      });
    }
  });
  afterAll(async () => {
    await harness?.close();
    await proxy?.close();
  });

  it("signs ann's calls with ann's key, bob's with the server's, and ann's with the server's once she deletes hers", async () => {
    const ann = await signIn('ann');
    const bob = await signIn('bob');
    const annKeyId = plantedKeyId();
    const annSecret = randomBytes(30).toString('base64');
    const stored = await ann.request('PUT', '/api/credentials/default', {
      body: { kind: 'access-key', access_key_id: annKeyId, secret_access_key: annSecret },
    });
    expect(stored.status).toBe(200);

    const annTurn = await turn(ann, WHO_AM_I);
    expect(annTurn.reply).toMatch(/get_caller_identity finished/);
    const annCalls = annTurn.requests.filter((request) => actionOf(request) === 'GetCallerIdentity');
    expect(annCalls.length).toBeGreaterThan(0);
    expect(annCalls.map(signingKeyOf)).toEqual(annCalls.map(() => annKeyId));
    // Neither the key id nor the secret reaches what the person is shown.
    expect(annTurn.reply).not.toContain(annKeyId);
    expect(annTurn.reply).not.toContain(annSecret);

    const bobTurn = await turn(bob, WHO_AM_I);
    const bobCalls = bobTurn.requests.filter((request) => actionOf(request) === 'GetCallerIdentity');
    expect(bobCalls.length).toBeGreaterThan(0);
    expect(bobCalls.map(signingKeyOf)).toEqual(bobCalls.map(() => SERVER_KEY_ID));
    expect(proxy.requests.slice(-bobTurn.requests.length).map(signingKeyOf)).not.toContain(annKeyId);

    expect((await ann.request('DELETE', '/api/credentials/default')).status).toBe(204);
    const afterDelete = await turn(ann, WHO_AM_I);
    const fallbackCalls = afterDelete.requests.filter((request) => actionOf(request) === 'GetCallerIdentity');
    expect(fallbackCalls.length).toBeGreaterThan(0);
    expect(fallbackCalls.map(signingKeyOf)).toEqual(fallbackCalls.map(() => SERVER_KEY_ID));
  });

  it("assumes carol's role with the server's credentials, once, and signs her calls with the role's session", async () => {
    const carol = await signIn('carol');
    const role = uniqueName('CarolDeployer');
    const stored = await carol.request('PUT', '/api/credentials/default', {
      body: { kind: 'assume-role', role_arn: `arn:aws:iam::123456789012:role/${role}` },
    });
    expect(stored.status).toBe(200);

    const first = await turn(carol, WHO_AM_I);
    const assumeRole = first.requests.filter((request) => actionOf(request) === 'AssumeRole');
    expect(assumeRole.map(signingKeyOf)).toEqual([SERVER_KEY_ID]);
    const identityCalls = first.requests.filter((request) => actionOf(request) === 'GetCallerIdentity');
    expect(identityCalls.length).toBeGreaterThan(0);
    for (const call of identityCalls) {
      expect(signingKeyOf(call)).toMatch(/^ASIA/);
      expect(call.headers['x-amz-security-token']).toEqual(expect.any(String));
    }
    expect(first.reply).toContain(`assumed-role/${role}`);

    // The role's session is reused until it nears expiry: no second AssumeRole.
    const second = await turn(carol, WHO_AM_I);
    expect(second.requests.filter((request) => actionOf(request) === 'AssumeRole')).toEqual([]);
    expect(
      second.requests.filter((request) => actionOf(request) === 'GetCallerIdentity').map(signingKeyOf),
    ).toEqual(identityCalls.map(signingKeyOf).slice(0, 1));
  });
});

describe('credentials against real AWS', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('asks a person for credentials when neither they nor the server have any, and not once they stored theirs', async () => {
    // Real AWS (no endpoint), and nothing the standard chain could find.
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE'])
      vi.stubEnv(name, '');
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', '');
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_FULL_URI', '');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/aws-credentials');
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
    const workspace = mkdtempSync(join(tmpdir(), 'real-aws-'));
    const settings = {
      ...loadSettings(
        { region: 'us-east-1', workspace, dataDir: join(workspace, '.data') },
        { env: {}, configPath: false },
      ),
      storeDir: join(workspace, '.store'),
    };
    const { app, vault } = await openAgentApp(settings, { sandbox: false });
    try {
      const events: AgentEvent[] = [];
      const turn = await app.sessions.send({
        userId: 'dora',
        text: 'Deploy my FastAPI + Vite app from ./shop to us-east-1',
        listener: (event) => events.push(event),
      });
      expect(turn.status).toBe('waiting');
      expect(events.map((event) => event.type)).toContain('credential-request');
      expect(await app.runtime.hasCredentials?.('dora')).toBe(false);
      await vault.put('dora', 'default', {
        kind: 'access-key',
        access_key_id: plantedKeyId(),
        secret_access_key: randomBytes(30).toString('base64'),
      });
      expect(await app.runtime.hasCredentials?.('dora')).toBe(true);
      expect(await app.runtime.hasCredentials?.('erin')).toBe(false);
    } finally {
      await app.close();
    }
  });
});
