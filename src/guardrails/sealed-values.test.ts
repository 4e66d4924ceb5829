import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  containsSealed,
  isSealedValue,
  mapSealed,
  parseKeepingSealed,
  type SealedValue,
  unsealAll,
} from './sealed-values.js';

const input = z.strictObject({
  name: z.string().regex(/^[a-z]+$/),
  environment: z.record(z.string(), z.string().max(4096)).optional(),
  memory: z.int().default(128),
});

const sealedA: SealedValue = { $sealed: 'sealed:a' };
const sealedB: SealedValue = { $sealed: 'sealed:b' };

describe('sealed values', () => {
  it('recognises only the exact reference shape', () => {
    expect(isSealedValue(sealedA)).toBe(true);
    expect(isSealedValue({ $sealed: 'x', other: 1 })).toBe(false);
    expect(isSealedValue({ $sealed: 42 })).toBe(false);
    expect(isSealedValue('sealed:a')).toBe(false);
    expect(isSealedValue([sealedA])).toBe(false);
  });

  it('finds and replaces sealed values by their path, leaving the rest as it was', () => {
    const args = { name: 'app', environment: { KEY: sealedA }, list: [{ value: sealedB }] };
    const paths: string[] = [];
    const masked = mapSealed(args, (_sealed, path) => {
      paths.push(path);
      return '***';
    });
    expect(paths).toEqual(['environment.KEY', 'list.0.value']);
    expect(masked).toEqual({ name: 'app', environment: { KEY: '***' }, list: [{ value: '***' }] });
    expect(args.environment.KEY).toBe(sealedA);
    expect(containsSealed(args)).toBe(true);
    expect(containsSealed({ name: 'app', environment: { KEY: 'clear' } })).toBe(false);
  });

  it('opens every sealed value with the function given', async () => {
    const opened = await unsealAll({ environment: { A: sealedA, B: sealedB, C: 'plain' } }, async (sealed) =>
      sealed.$sealed === 'sealed:a' ? 'alpha' : 'beta',
    );
    expect(opened).toEqual({ environment: { A: 'alpha', B: 'beta', C: 'plain' } });
  });

  it('validates with the schema while keeping sealed values sealed, defaults filled', () => {
    const parsed = parseKeepingSealed(input, { name: 'app', environment: { KEY: sealedA, MODE: 'prod' } });
    expect(parsed).toEqual({
      success: true,
      data: { name: 'app', environment: { KEY: sealedA, MODE: 'prod' }, memory: 128 },
    });
  });

  it('still reports what is wrong with the arguments around them', () => {
    const parsed = parseKeepingSealed(input, { name: 'App1', environment: { KEY: sealedA } });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues[0]?.path).toEqual(['name']);
    // A sealed value where the schema wants a number is refused like any string would be.
    expect(parseKeepingSealed(input, { name: 'app', memory: sealedA }).success).toBe(false);
  });
});
