import { describe, expect, it } from 'vitest';
import { configurationDiff } from './lambda-config.js';

const current = {
  Runtime: 'python3.11' as const,
  Handler: 'app.handler',
  Role: 'arn:aws:iam::123456789012:role/r',
  MemorySize: 128,
  Timeout: 3,
  Description: '',
  Environment: { Variables: { SECRET: 'old-value', KEEP: '1' } },
};

describe('configurationDiff', () => {
  it('finds nothing when the asked-for fields already match, ignoring the ones left out', () => {
    const diff = configurationDiff(current, {
      runtime: 'python3.11',
      handler: 'app.handler',
      role_arn: current.Role,
    });
    expect(diff).toEqual({ changes: [], update: {}, previous: {} });
  });

  it('lists changed fields with their previous values, never showing environment values', () => {
    const diff = configurationDiff(current, {
      runtime: 'python3.12',
      handler: 'app.handler',
      role_arn: current.Role,
      memory_size: 512,
      environment: { SECRET: 'new-value', ADDED: 'x' },
    });
    expect(diff.changes).toEqual([
      'Runtime "python3.11" -> "python3.12"',
      'MemorySize 128 -> 512',
      'Environment: add ADDED; remove KEEP; change SECRET',
    ]);
    expect(diff.changes.join(' ')).not.toMatch(/value/);
    expect(diff.update).toEqual({
      Runtime: 'python3.12',
      MemorySize: 512,
      Environment: { Variables: { SECRET: 'new-value', ADDED: 'x' } },
    });
    expect(diff.previous).toEqual({
      Runtime: 'python3.11',
      MemorySize: 128,
      Environment: current.Environment,
    });
  });
});
