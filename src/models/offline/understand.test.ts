import { HumanMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { toolSpec } from './tool-spec.js';
import { decide } from './understand.js';

/** Tools the lexicon was never written for: understanding comes from their own schemas. */
const resizeVolume = toolSpec('resize_volume', 'Resize an EBS volume to a new size in GiB.', {
  type: 'object',
  properties: {
    volume_id: {
      type: 'string',
      pattern: '^vol-[0-9a-f]{8,17}$',
      description: 'Volume id, e.g. vol-0abc1234',
    },
    size_gib: { type: 'integer', minimum: 1, maximum: 16384, description: 'New size in GiB' },
    region: { type: 'string', description: 'AWS region, e.g. us-east-1' },
  },
  required: ['volume_id', 'size_gib'],
});

const rotateSecret = toolSpec('rotate_secret', 'Rotate a Secrets Manager secret now.', {
  type: 'object',
  properties: {
    secret_name: { type: 'string', description: 'Name of the secret, e.g. prod/db' },
    rotation_days: { type: 'integer', minimum: 1, maximum: 365, description: 'Days between rotations' },
  },
  required: ['secret_name'],
});

const tools = [resizeVolume, rotateSecret];

describe('decide on tools it has never seen', () => {
  it('picks the tool and reads its fields from the schema', () => {
    expect(decide([new HumanMessage('grow vol-0abc12345 to 200 GiB in Tokyo')], tools, 'auto')).toEqual({
      kind: 'call',
      tool: 'resize_volume',
      args: { volume_id: 'vol-0abc12345', size_gib: 200, region: 'ap-northeast-1' },
    });
    expect(decide([new HumanMessage('rotate the secret prod/db every 30 days')], tools, 'auto')).toEqual({
      kind: 'call',
      tool: 'rotate_secret',
      args: { secret_name: 'prod/db', rotation_days: 30 },
    });
  });

  it('asks for the required field it could not find, naming what is allowed', () => {
    const decision = decide([new HumanMessage('resize my volume to 50 GiB')], tools, 'auto');
    expect(decision.kind).toBe('text');
    if (decision.kind !== 'text') return;
    expect(decision.offline).toEqual({
      tool: 'resize_volume',
      args: { size_gib: 50 },
      missing: ['volume_id'],
    });
    expect(decision.text).toContain('volume ID (`volume_id`): Volume id, e.g. vol-0abc1234');
  });

  it('answers in text when tool choice is none', () => {
    expect(decide([new HumanMessage('grow vol-0abc12345 to 200 GiB')], tools, 'none').kind).toBe('text');
  });
});
