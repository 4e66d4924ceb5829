/** The external MCP servers file (setting `mcpServers`): which servers to start or reach, and whether their tools may write. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Settings } from '../config/settings.js';
import { CopilotError } from '../errors/copilot-error.js';
import { NAMESPACE_SEPARATOR } from './tool-listing.js';

const serverName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'letters, digits, - and _, at most 40')
  .refine((name) => !name.includes(NAMESPACE_SEPARATOR), `must not contain ${NAMESPACE_SEPARATOR}`);

export const externalServerSchema = z
  .strictObject({
    /** Prefix of the server's tools in the catalog: `<name>__<tool>`. */
    name: serverName,
    /** A local server started over stdio: the executable and its arguments. */
    command: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
    /** Variables for the child; it inherits only a safe few (PATH, HOME...), never AWS credentials. */
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().min(1).optional(),
    /** A remote server over streamable HTTP. */
    url: z.url().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    /** Its tools change things: they become `write` tools that need a person's approval. Default: read-only. */
    writes: z.boolean().default(false),
  })
  .refine((server) => Boolean(server.command) !== Boolean(server.url), {
    message: 'give either command (a local server over stdio) or url (a remote one), not both',
  });

export const externalServersFileSchema = z
  .strictObject({ servers: z.array(externalServerSchema) })
  .refine((file) => new Set(file.servers.map((server) => server.name)).size === file.servers.length, {
    message: 'server names must be unique',
    path: ['servers'],
  });

export type ExternalServerConfig = z.infer<typeof externalServerSchema>;

/** The configured servers; none when the setting is unset. A bad file fails with the field that is wrong. */
export function readExternalServers(settings: Pick<Settings, 'mcpServers'>): ExternalServerConfig[] {
  const path = settings.mcpServers;
  if (!path) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CopilotError(
      'config_invalid',
      `cannot read the MCP servers file ${path} (setting mcpServers, AWS_COPILOT_MCP_SERVERS): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const parsed = externalServersFileSchema.safeParse(json);
  if (parsed.success) return parsed.data.servers;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`,
  );
  throw new CopilotError(
    'config_invalid',
    `the MCP servers file ${path} is invalid (expected {"servers":[{"name":...,"command":...,"args":[...]} or {"name":...,"url":...}]}):\n  ${problems.join('\n  ')}`,
  );
}
