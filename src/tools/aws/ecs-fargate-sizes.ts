/** The task sizes Fargate accepts: each CPU value allows a fixed range and step of memory (MiB). */

interface MemoryRange {
  min: number;
  max: number;
  step: number;
  /** Values outside the arithmetic range that are still allowed (0.25 vCPU takes 512). */
  extra?: number[];
}

const FARGATE_MEMORY: Record<number, MemoryRange> = {
  256: { min: 1024, max: 2048, step: 1024, extra: [512] },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

export const FARGATE_CPU_VALUES = Object.keys(FARGATE_MEMORY).map(Number);

function allowedMemory(range: MemoryRange): string {
  const extra = range.extra ? `${range.extra.join(', ')}, ` : '';
  return `${extra}${range.min}-${range.max} MiB in steps of ${range.step}`;
}

export interface FargateSizeProblem {
  field: 'cpu' | 'memory';
  message: string;
}

/** Why this cpu/memory pair is not a Fargate task size, or undefined when it is one. */
export function fargateSizeProblem(cpu: number, memory: number): FargateSizeProblem | undefined {
  const range = FARGATE_MEMORY[cpu];
  if (!range) {
    const message = `Fargate cpu must be one of ${FARGATE_CPU_VALUES.join(', ')} CPU units (1024 = 1 vCPU); got ${cpu}`;
    return { field: 'cpu', message };
  }
  if (range.extra?.includes(memory)) return undefined;
  const fits = memory >= range.min && memory <= range.max && (memory - range.min) % range.step === 0;
  if (fits) return undefined;
  return {
    field: 'memory',
    message: `Fargate cpu ${cpu} takes memory ${allowedMemory(range)}; got ${memory}`,
  };
}
