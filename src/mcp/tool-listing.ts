/** How a catalog tool looks to an MCP client: its JSON input schema, a title, and hints read from its risk. */
import type { Tool, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AnyTool } from '../tools/define-tool.js';
import { toolInputJsonSchema } from '../tools/input-schema.js';

/** The JSON schema of the input of a tool this server implements itself (preview, workflows). */
export function objectInputSchema(schema: z.ZodType): Tool['inputSchema'] {
  const json = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return { ...json, type: 'object' };
}

/** Separates an external server's name from its tool's name: `github__create_issue`. */
export const NAMESPACE_SEPARATOR = '__';

const ACRONYMS: Record<string, string> = {
  ec2: 'EC2',
  s3: 'S3',
  ecs: 'ECS',
  iam: 'IAM',
  sts: 'STS',
  ami: 'AMI',
  arn: 'ARN',
  url: 'URL',
  lambda: 'Lambda',
};

function words(name: string): string {
  const text = name
    .split('_')
    .filter(Boolean)
    .map((word) => ACRONYMS[word.toLowerCase()] ?? word.toLowerCase())
    .join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `terminate_ec2` -> `Terminate EC2`; `docs__search` -> `docs: Search`. */
export function toolTitle(name: string): string {
  const split = name.indexOf(NAMESPACE_SEPARATOR);
  if (split > 0) return `${name.slice(0, split)}: ${words(name.slice(split + NAMESPACE_SEPARATOR.length))}`;
  return words(name);
}

/**
 * Read tools are read-only and idempotent. A tool that changes things is destructive when its risk
 * class says so, when some arguments make it so (`riskOf`: scaling a service to 0), or when its
 * effect cannot be undone; it is idempotent when repeating the same call changes nothing more.
 */
export function toolAnnotations(tool: AnyTool): ToolAnnotations {
  const read = tool.risk === 'read';
  return {
    title: toolTitle(tool.name),
    readOnlyHint: read,
    destructiveHint:
      !read && (tool.risk === 'destructive' || tool.riskOf !== undefined || Boolean(tool.irreversible)),
    idempotentHint: read || Boolean(tool.idempotent),
  };
}

export const WRITES_OFF_NOTE =
  'Off in this MCP server: writes are disabled (start it with AWS_COPILOT_MCP_ALLOW_WRITES=true to allow them; each call is then confirmed by you).';

/** The MCP tool of a catalog tool; with writes off, tools that change things say so in their description. */
export function mcpToolOf(tool: AnyTool, writesAllowed: boolean): Tool {
  const annotations = toolAnnotations(tool);
  return {
    name: tool.name,
    title: annotations.title as string,
    description:
      tool.risk === 'read' || writesAllowed ? tool.description : `${tool.description} ${WRITES_OFF_NOTE}`,
    inputSchema: toolInputJsonSchema(tool),
    annotations,
  };
}
