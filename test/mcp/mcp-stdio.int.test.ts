/**
 * `aws-copilot mcp` over stdio, driven by the official SDK's Client the way Claude Desktop does:
 * the catalog with its annotations, reads against the sandbox, and the guardrails of a destructive
 * call (writes off, no elicitation, declined, accepted), checked in the emulator and the audit log.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/tools/audit.js';
import { CATALOG } from '../../src/tools/catalog.js';
import type { ToolEnvelope } from '../../src/tools/envelope.js';
import { findAmi, stateOf } from '../aws/ec2-fixtures.js';
import { createToolHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { connectStdio, mcpEnvironment, NOTES_SERVER, structured, type TestClient } from './mcp-helpers.js';

const harness = createToolHarness();
let ami = '';

beforeAll(async () => {
  ami = await findAmi(harness);
});
afterAll(() => harness.close());

/** An instance launched through the tool runner, with a person's approval, as any test fixture. */
async function launchInstance(): Promise<string> {
  const name = uniqueName('mcp-doomed');
  const envelope = await harness.approveAndRun<{ instance_id: string }>('launch_ec2', {
    instance_type: 't3.micro',
    ami_id: ami,
    tags: { Name: name },
  });
  if (envelope.status !== 'ok') throw new Error(`launch_ec2 failed: ${envelope.error.message}`);
  return envelope.result.instance_id;
}

function auditOf(env: Record<string, string>): AuditRecord[] {
  const path = join(env.AWS_COPILOT_DATA_DIR as string, 'audit.jsonl');
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as AuditRecord);
}

describe('aws-copilot mcp over stdio, writes off (the default)', () => {
  const folder = mcpEnvironment();
  const serversFile = join(folder.AWS_COPILOT_WORKSPACE as string, 'mcp-servers.json');
  writeFileSync(
    serversFile,
    JSON.stringify({ servers: [{ name: 'notes', command: process.execPath, args: [NOTES_SERVER] }] }),
  );
  const env: Record<string, string> = { ...folder, AWS_COPILOT_MCP_SERVERS: serversFile };
  let mcp: TestClient;
  let tools: Tool[];

  beforeAll(async () => {
    mcp = await connectStdio(env, 'accept');
    tools = (await mcp.client.listTools()).tools;
  });
  afterAll(() => mcp?.close());

  const tool = (name: string) => {
    const found = tools.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`${name} is not listed`);
    return found;
  };

  it('lists every catalog tool with its input schema, preview_tool, the workflow tools and the external ones', () => {
    const names = tools.map((listed) => listed.name);
    for (const catalogTool of CATALOG) expect(names).toContain(catalogTool.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'preview_tool',
        'start_deployment',
        'start_ecs_diagnosis',
        'send_message',
        'answer_form',
        'answer_approval',
        'get_report',
        'notes__echo',
        'notes__add_note',
      ]),
    );
    for (const listed of tools) expect(listed.inputSchema.type).toBe('object');
    expect(tool('launch_ec2').inputSchema.required).toEqual(expect.arrayContaining(['ami_id']));
    // repo_reader's input is a union of operations: still an object schema at the root.
    expect(tool('repo_reader').inputSchema).toHaveProperty('oneOf');
  });

  it("derives the annotations from each tool's risk class", () => {
    expect(tool('get_caller_identity').annotations).toEqual({
      title: 'Get caller identity',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(tool('terminate_ec2')).toMatchObject({
      title: 'Terminate EC2',
      // Terminating a terminated instance changes nothing more: the tool says it is idempotent.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    });
    expect(tool('launch_ec2').annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
    });
    // Scaling a service to 0 is destructive, so update_service is announced as possibly destructive.
    expect(tool('update_service').annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(tool('preview_tool').annotations).toMatchObject({ readOnlyHint: true });
    expect(tool('notes__echo')).toMatchObject({ title: 'notes: Echo', annotations: { readOnlyHint: true } });
    expect(tool('terminate_ec2').description).toContain('AWS_COPILOT_MCP_ALLOW_WRITES=true');
    expect(tool('list_s3_objects').description).not.toContain('AWS_COPILOT_MCP_ALLOW_WRITES');
  });

  it('runs get_caller_identity against the sandbox', async () => {
    const result = await mcp.call('get_caller_identity');
    expect(result.isError).toBeFalsy();
    expect(structured<ToolEnvelope>(result)).toMatchObject({
      status: 'ok',
      action: 'get_caller_identity',
      result: { account: expect.stringMatching(/^\d{12}$/) },
    });
    expect(JSON.parse((result.content[0] as { text: string }).text)).toMatchObject({ status: 'ok' });
  });

  it('runs list_s3_objects against the sandbox', async () => {
    const bucket = uniqueName('mcp-list');
    expect((await harness.approveAndRun('create_bucket', { bucket_name: bucket })).status).toBe('ok');
    await harness.aws
      .s3()
      .send(new PutObjectCommand({ Bucket: bucket, Key: 'docs/readme.txt', Body: 'hello' }));
    const result = await mcp.call('list_s3_objects', { bucket_name: bucket, prefix: 'docs/' });
    expect(structured(result)).toMatchObject({
      status: 'ok',
      result: { objects: [expect.objectContaining({ key: 'docs/readme.txt', size: 5 })] },
    });
  });

  it('answers bad arguments with the failing field, from the runner', async () => {
    const result = await mcp.call('list_s3_objects', { bucket_name: 'x', surprise: true });
    expect(result.isError).toBe(true);
    expect(structured(result)).toMatchObject({ status: 'error', error: { code: 'invalid_input' } });
  });

  it('previews a destructive call through preview_tool, changing nothing', async () => {
    const instance = await launchInstance();
    const result = await mcp.call('preview_tool', {
      tool: 'terminate_ec2',
      args: { instance_ids: [instance] },
    });
    expect(structured(result)).toMatchObject({
      status: 'ok',
      mode: 'preview',
      preview: { method: 'aws-dry-run', changes: [expect.objectContaining({ kind: 'delete' })] },
    });
    expect(await stateOf(harness, instance)).toBe('running');
  });

  it('refuses terminate_ec2 while writes are off, without asking, and audits the refusal', async () => {
    const instance = await launchInstance();
    const result = await mcp.call('terminate_ec2', { instance_ids: [instance] });
    expect(result.isError).toBe(true);
    const envelope = structured<ToolEnvelope>(result);
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'approval_required', message: expect.stringContaining('writes are off') },
    });
    expect(mcp.asked).toEqual([]);
    expect(await stateOf(harness, instance)).toBe('running');
    const record = auditOf(env).find((entry) => entry.id === envelope.audit_id);
    expect(record).toMatchObject({
      tool: 'terminate_ec2',
      userId: 'mcp-tester',
      risk: 'destructive',
      outcome: 'denied',
      correlationId: expect.stringMatching(/^mcp:aws-copilot-tests:/),
    });
  });

  it("opens the workflows' store only when a workflow tool is first called", async () => {
    const lock = join(env.AWS_COPILOT_DATA_DIR as string, 'store', 'aws-copilot.lock');
    expect(existsSync(lock)).toBe(false);
    const result = await mcp.call('get_report', { report_id: 'no-such-report' });
    expect(structured(result)).toMatchObject({ status: 'error', error: { code: 'not_found' } });
    expect(existsSync(lock)).toBe(true);
  });

  it('calls a tool of the external MCP server through the runner, audited', async () => {
    const result = await mcp.call('notes__echo', { text: 'from claude' });
    const envelope = structured<ToolEnvelope>(result);
    expect(envelope).toMatchObject({
      status: 'ok',
      result: { content: [{ type: 'text', text: 'from claude' }] },
    });
    expect(auditOf(env).find((entry) => entry.id === envelope.audit_id)).toMatchObject({
      tool: 'notes__echo',
      outcome: 'ok',
      userId: 'mcp-tester',
    });
  });
});

describe('aws-copilot mcp over stdio, writes on (AWS_COPILOT_MCP_ALLOW_WRITES=true)', () => {
  const env = mcpEnvironment({ AWS_COPILOT_MCP_ALLOW_WRITES: 'true' });

  async function terminateAs(person: 'cannot-ask' | 'accept' | 'decline') {
    const instance = await launchInstance();
    const mcp = await connectStdio(env, person);
    try {
      const result = await mcp.call('terminate_ec2', { instance_ids: [instance] });
      return { instance, result, envelope: structured<ToolEnvelope>(result), asked: mcp.asked };
    } finally {
      await mcp.close();
    }
  }

  it('refuses a destructive call when the client cannot ask its person (no elicitation)', async () => {
    const { instance, result, envelope, asked } = await terminateAs('cannot-ask');
    expect(result.isError).toBe(true);
    expect(envelope).toMatchObject({
      error: { code: 'approval_required', message: expect.stringContaining('cannot ask you') },
    });
    expect(asked).toEqual([]);
    expect(await stateOf(harness, instance)).toBe('running');
  });

  it('refuses it when the person declines, after showing the preview', async () => {
    const { instance, envelope, asked } = await terminateAs('decline');
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'approval_required', message: expect.stringContaining('You declined') },
    });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('terminate_ec2 (destructive, cannot be undone)');
    expect(asked[0]).toContain(instance);
    expect(await stateOf(harness, instance)).toBe('running');
    expect(auditOf(env).find((entry) => entry.id === envelope.audit_id)).toMatchObject({ outcome: 'denied' });
  });

  it('runs it when the person accepts, with an approval of exactly that call', async () => {
    const { instance, envelope, asked } = await terminateAs('accept');
    expect(envelope).toMatchObject({
      status: 'ok',
      result: { instances: [{ instance_id: instance, state: 'terminated' }] },
    });
    expect(asked[0]).toContain('What it would do:');
    expect(await stateOf(harness, instance)).toBe('terminated');
    const record = auditOf(env).find((entry) => entry.id === envelope.audit_id);
    expect(record).toMatchObject({ tool: 'terminate_ec2', outcome: 'ok', approvalId: expect.any(String) });
  });

  it('says in the tool list that writes are allowed (no "off" note)', async () => {
    const mcp = await connectStdio(env, 'accept');
    try {
      const { tools } = await mcp.client.listTools();
      const terminate = tools.find((listed) => listed.name === 'terminate_ec2');
      expect(terminate?.description).not.toContain('AWS_COPILOT_MCP_ALLOW_WRITES');
    } finally {
      await mcp.close();
    }
  });
});
