/** External MCP servers as catalog tools: a small SDK server started by the test, called through the runner. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectExternalServers, type ExternalToolset, loadExternalTools } from '../../src/mcp/client.js';
import { ToolRegistry } from '../../src/tools/registry.js';
import { createToolHarness, type ToolHarness } from '../helpers/tool-harness.js';
import { NOTES_SERVER } from './mcp-helpers.js';

describe('external MCP servers as catalog tools', () => {
  const folder = mkdtempSync(join(tmpdir(), 'mcp-external-'));
  const notesFile = join(folder, 'notes.txt');
  let toolset: ExternalToolset;
  let harness: ToolHarness;

  beforeAll(async () => {
    toolset = await connectExternalServers([
      { name: 'notes', command: process.execPath, args: [NOTES_SERVER], writes: false },
      {
        name: 'notes_rw',
        command: process.execPath,
        args: [NOTES_SERVER],
        env: { NOTES_FILE: notesFile },
        writes: true,
      },
      { name: 'broken', command: join(folder, 'no-such-server'), args: [], writes: false },
    ]);
    harness = createToolHarness({ registry: new ToolRegistry(toolset.tools) });
  });
  afterAll(async () => {
    harness.close();
    await toolset.close();
  });

  it('adds every tool namespaced by its server, read-only unless the server is configured to write', () => {
    const risks = Object.fromEntries(toolset.tools.map((tool) => [tool.name, tool.risk]));
    expect(risks).toEqual({
      notes__echo: 'read',
      notes__add_note: 'read',
      notes__fail: 'read',
      notes_rw__echo: 'write',
      notes_rw__add_note: 'write',
      notes_rw__fail: 'write',
    });
    expect(harness.runner.registry.require('notes_rw__add_note').irreversible).toBe(true);
    expect(harness.runner.registry.require('notes__echo').description).toContain('[MCP server notes]');
  });

  it('reports a server that cannot start and keeps the others', () => {
    expect(toolset.failures).toEqual([{ server: 'broken', message: expect.stringContaining('ENOENT') }]);
  });

  it('runs a read tool through the runner and audits it', async () => {
    const envelope = await harness.run<{ content: Array<{ text: string }> }>('notes__echo', {
      text: 'hello',
      times: 2,
    });
    expect(envelope).toMatchObject({
      status: 'ok',
      result: { content: [{ type: 'text', text: 'hello hello' }] },
    });
    const record = harness.audit.records.find((entry) => entry.id === envelope.audit_id);
    expect(record).toMatchObject({ tool: 'notes__echo', mode: 'run', risk: 'read', outcome: 'ok' });
  });

  it("validates arguments with the server's own schema before anything is sent", async () => {
    const envelope = await harness.run('notes__echo', { text: 'x', times: 9 });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'invalid_input', field: 'times' } });
  });

  it('turns a tool error of the server into an error envelope', async () => {
    const envelope = await harness.run('notes__fail', {});
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'command_failed', message: expect.stringContaining('the notes service is down') },
    });
  });

  it('runs a write tool only with an approval of that exact call', async () => {
    const refused = await harness.run('notes_rw__add_note', { note: 'first' });
    expect(refused).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    expect(() => readFileSync(notesFile, 'utf8')).toThrow();

    const preview = await harness.preview('notes_rw__add_note', { note: 'first' });
    expect(preview).toMatchObject({ status: 'ok', preview: { method: 'local-check' } });

    const done = await harness.approveAndRun('notes_rw__add_note', { note: 'first' });
    expect(done).toMatchObject({ status: 'ok', result: { structured_content: { saved: 'first' } } });
    expect(readFileSync(notesFile, 'utf8')).toBe('first\n');
    const outcomes = harness.audit.records
      .filter((record) => record.tool === 'notes_rw__add_note')
      .map((record) => [record.mode, record.outcome]);
    expect(outcomes).toEqual([
      ['run', 'denied'],
      ['preview', 'ok'],
      ['run', 'ok'],
    ]);
  });

  it('reads the servers from the file named by the mcpServers setting', async () => {
    const file = join(folder, 'servers.json');
    writeFileSync(
      file,
      JSON.stringify({ servers: [{ name: 'docs', command: process.execPath, args: [NOTES_SERVER] }] }),
    );
    const loaded = await loadExternalTools({ mcpServers: file });
    try {
      expect(loaded.tools.map((tool) => tool.name).sort()).toEqual([
        'docs__add_note',
        'docs__echo',
        'docs__fail',
      ]);
    } finally {
      await loaded.close();
    }
  });
});
