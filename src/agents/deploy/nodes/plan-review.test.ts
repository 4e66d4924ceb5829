import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../tools/rate-limiter.js';
import { createPlanningLimiter, PLANNING_CYCLES_PER_MINUTE } from './plan-review.js';

describe('planning cycle limit', () => {
  it('allows 4 plans a minute per person, then makes the fifth wait, without slowing anyone else', async () => {
    let now = 0;
    const waits: number[] = [];
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    };
    const limiter = createPlanningLimiter(clock);
    expect(PLANNING_CYCLES_PER_MINUTE).toBe(4);
    for (let cycle = 0; cycle < 4; cycle += 1) await limiter.acquire('ann');
    await limiter.acquire('bob');
    expect(waits).toEqual([]);
    await limiter.acquire('ann');
    expect(waits.reduce((sum, ms) => sum + ms, 0)).toBe(15_000);
  });
});
