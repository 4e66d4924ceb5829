import { describe, expect, it } from 'vitest';
import { fargateSizeProblem } from './ecs-fargate-sizes.js';

describe('fargateSizeProblem', () => {
  it.each([
    [256, 512],
    [256, 2048],
    [512, 3072],
    [1024, 8192],
    [2048, 16384],
    [4096, 30720],
    [8192, 20480],
    [16384, 122880],
  ])('accepts cpu %i with memory %i', (cpu, memory) => {
    expect(fargateSizeProblem(cpu, memory)).toBeUndefined();
  });

  it.each([
    [256, 4096, 'memory'],
    [512, 512, 'memory'],
    [1024, 2500, 'memory'],
    [8192, 17408, 'memory'],
    [16384, 36864, 'memory'],
    [300, 1024, 'cpu'],
  ] as const)('rejects cpu %i with memory %i on field %s', (cpu, memory, field) => {
    expect(fargateSizeProblem(cpu, memory)).toMatchObject({ field });
  });

  it('names the allowed memory for the cpu asked for', () => {
    expect(fargateSizeProblem(256, 4096)?.message).toBe(
      'Fargate cpu 256 takes memory 512, 1024-2048 MiB in steps of 1024; got 4096',
    );
  });
});
