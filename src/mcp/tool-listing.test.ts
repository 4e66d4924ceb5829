import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, readOnlyPreview } from '../tools/define-tool.js';
import { mcpToolOf, toolAnnotations, toolTitle, WRITES_OFF_NOTE } from './tool-listing.js';

const base = {
  description: 'Does a thing.',
  input: z.strictObject({ id: z.string(), count: z.int().default(1) }),
  iam: [],
  preview: async () => readOnlyPreview('nothing'),
  run: async () => ({}),
};
const reader = defineTool({ ...base, name: 'list_s3_objects', risk: 'read' });
const creator = defineTool({
  ...base,
  name: 'launch_ec2',
  risk: 'write',
  idempotent: true,
  compensate: async () => 'undone',
});
const scaler = defineTool({
  ...base,
  name: 'update_service',
  risk: 'write',
  riskOf: () => 'destructive',
  compensate: async () => 'undone',
});
const invoker = defineTool({ ...base, name: 'invoke_lambda', risk: 'write', irreversible: true });

describe('catalog tools as MCP tools', () => {
  it('titles tools in words, AWS names in capitals, external tools after their server', () => {
    expect(toolTitle('terminate_ec2')).toBe('Terminate EC2');
    expect(toolTitle('list_s3_objects')).toBe('List S3 objects');
    expect(toolTitle('deploy_lambda_repo')).toBe('Deploy Lambda repo');
    expect(toolTitle('notes__add_note')).toBe('notes: Add note');
  });

  it('reads the hints from risk, riskOf, irreversible and idempotent', () => {
    expect(toolAnnotations(reader)).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(toolAnnotations(creator)).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(toolAnnotations(scaler)).toMatchObject({ destructiveHint: true, idempotentHint: false });
    expect(toolAnnotations(invoker)).toMatchObject({ destructiveHint: true });
  });

  it('publishes the input schema as the caller writes it (defaults optional) and notes when writes are off', () => {
    const tool = mcpToolOf(creator, false);
    expect(tool.inputSchema).toMatchObject({ type: 'object', required: ['id'] });
    expect(tool.description).toContain(WRITES_OFF_NOTE);
    expect(mcpToolOf(creator, true).description).toBe('Does a thing.');
    expect(mcpToolOf(reader, false).description).toBe('Does a thing.');
  });
});
