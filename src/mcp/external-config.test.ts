import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../config/settings.js';
import { readExternalServers } from './external-config.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-config-'));
function file(content: unknown): string {
  const path = join(dir, `${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('MCP settings and the external servers file', () => {
  it('keeps MCP writes off and no external servers unless configured', () => {
    const settings = loadSettings({}, { env: {}, configPath: false });
    expect(settings.mcpAllowWrites).toBe(false);
    expect(settings.mcpServers).toBeUndefined();
    expect(readExternalServers(settings)).toEqual([]);
    const enabled = loadSettings(
      {},
      {
        env: { AWS_COPILOT_MCP_ALLOW_WRITES: 'true', AWS_COPILOT_MCP_SERVERS: '/etc/servers.json' },
        configPath: false,
      },
    );
    expect(enabled).toMatchObject({ mcpAllowWrites: true, mcpServers: '/etc/servers.json' });
    expect(() =>
      loadSettings({}, { env: { AWS_COPILOT_MCP_ALLOW_WRITES: 'sure' }, configPath: false }),
    ).toThrow(/mcpAllowWrites.*AWS_COPILOT_MCP_ALLOW_WRITES/);
  });

  it('reads stdio and HTTP servers, read-only by default', () => {
    const servers = readExternalServers({
      mcpServers: file({
        servers: [
          { name: 'aws-api', command: 'uvx', args: ['awslabs.aws-api-mcp-server'] },
          {
            name: 'tickets',
            url: 'https://mcp.example.com/mcp',
            headers: { Authorization: 'Bearer x' },
            writes: true,
          },
        ],
      }),
    });
    expect(servers).toEqual([
      { name: 'aws-api', command: 'uvx', args: ['awslabs.aws-api-mcp-server'], writes: false },
      {
        name: 'tickets',
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: 'Bearer x' },
        args: [],
        writes: true,
      },
    ]);
  });

  it('names the wrong field of a bad file', () => {
    expect(() =>
      readExternalServers({ mcpServers: file({ servers: [{ name: 'a__b', command: 'x' }] }) }),
    ).toThrow(/servers\.0\.name: must not contain __/);
    expect(() =>
      readExternalServers({
        mcpServers: file({ servers: [{ name: 'both', command: 'x', url: 'http://h/mcp' }] }),
      }),
    ).toThrow(/either command .* or url/);
    expect(() =>
      readExternalServers({
        mcpServers: file({
          servers: [
            { name: 'same', command: 'x' },
            { name: 'same', command: 'y' },
          ],
        }),
      }),
    ).toThrow(/unique/);
    expect(() => readExternalServers({ mcpServers: file('{not json') })).toThrow(
      /cannot read the MCP servers file/,
    );
    expect(() => readExternalServers({ mcpServers: join(dir, 'missing.json') })).toThrow(
      /AWS_COPILOT_MCP_SERVERS/,
    );
  });
});
