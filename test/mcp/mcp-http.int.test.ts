/**
 * `aws-copilot mcp --http`: streamable HTTP on loopback with the bearer token it prints; the SDK's
 * Client lists and calls tools, and a destructive call is confirmed through elicitation carried on
 * the HTTP stream of the call itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type McpHttpServer, startMcpHttpServer } from '../../src/mcp/http-transport.js';
import { createMcpServer } from '../../src/mcp/server.js';
import type { ToolEnvelope } from '../../src/tools/envelope.js';
import { findAmi, runInstance, stateOf } from '../aws/ec2-fixtures.js';
import { createToolHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { connectHttp, type HttpCli, mcpEnvironment, startHttpCli, structured } from './mcp-helpers.js';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
};

describe('aws-copilot mcp --http', () => {
  const harness = createToolHarness();
  let cli: HttpCli;

  beforeAll(async () => {
    cli = await startHttpCli(mcpEnvironment({ AWS_COPILOT_MCP_ALLOW_WRITES: 'true' }));
  });
  afterAll(async () => {
    await cli?.stop();
    harness.close();
  });

  it('listens on loopback and prints a random token', () => {
    expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(cli.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('refuses a request without the token, or with a wrong one', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(cli.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: JSON.stringify(initialize),
      });
    const without = await post({});
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toContain('Bearer');
    expect(await without.text()).toContain('bearer token');
    expect((await post({ authorization: 'Bearer not-the-token' })).status).toBe(401);
    const right = await post({ authorization: `Bearer ${cli.token}` });
    expect(right.status).toBe(200);
    await right.body?.cancel();
  });

  it('serves the catalog and runs a read tool against the sandbox', async () => {
    const mcp = await connectHttp(cli, 'cannot-ask');
    try {
      const { tools } = await mcp.client.listTools();
      expect(tools.find((tool) => tool.name === 'get_caller_identity')?.annotations).toMatchObject({
        readOnlyHint: true,
      });
      const result = await mcp.call('get_caller_identity');
      expect(structured(result)).toMatchObject({ status: 'ok', result: { account: expect.any(String) } });
    } finally {
      await mcp.close();
    }
  });

  it('refuses a destructive call for a client that cannot ask, and runs it once the person accepts', async () => {
    const ami = await findAmi(harness);
    const instance = await runInstance(harness, ami, uniqueName('mcp-http'));
    const args = { instance_ids: [instance] };

    const blind = await connectHttp(cli, 'cannot-ask');
    try {
      const refused = structured<ToolEnvelope>(await blind.call('terminate_ec2', args));
      expect(refused).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
      expect(await stateOf(harness, instance)).toBe('running');
    } finally {
      await blind.close();
    }

    const person = await connectHttp(cli, 'accept');
    try {
      const done = structured<ToolEnvelope>(await person.call('terminate_ec2', args));
      expect(done).toMatchObject({ status: 'ok' });
      expect(person.asked).toHaveLength(1);
      expect(await stateOf(harness, instance)).toBe('terminated');
    } finally {
      await person.close();
    }
  });
});

describe('the MCP HTTP endpoint guards', () => {
  const harness = createToolHarness();
  let http: McpHttpServer;
  beforeAll(async () => {
    http = await startMcpHttpServer({
      createServer: () =>
        createMcpServer({
          runner: harness.runner,
          approvals: harness.approvals,
          settings: { mcpAllowWrites: false },
          userId: 'ann',
        }),
    });
  });
  afterAll(async () => {
    await http?.close();
    harness.close();
  });

  const post = (url: string, headers: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${http.token}`,
        ...headers,
      },
      body: JSON.stringify(initialize),
    });

  it('refuses pages of other sites even with the token (DNS rebinding)', async () => {
    expect((await post(http.url, { origin: 'https://evil.example' })).status).toBe(403);
    const local = await post(http.url, { origin: 'http://localhost:5173' });
    expect(local.status).toBe(200);
    await local.body?.cancel();
  });

  it('answers only on /mcp, and only for sessions it opened', async () => {
    expect((await post(http.url.replace('/mcp', '/other'), {})).status).toBe(404);
    expect((await post(http.url, { 'mcp-session-id': 'forged' })).status).toBe(404);
  });
});
