import { describe, expect, it } from 'vitest';
import { RequestLimiter } from './request-limiter.js';

describe('RequestLimiter', () => {
  it('allows the per-minute budget at once, refuses beyond it with the wait, and refills with time', () => {
    let now = 0;
    const limiter = new RequestLimiter(60, () => now);
    for (let index = 0; index < 60; index += 1) expect(limiter.take('ann')).toBe(0);
    expect(limiter.take('ann')).toBe(1000);
    expect(limiter.take('bob')).toBe(0);
    now += 500;
    expect(limiter.take('ann')).toBe(500);
    now += 500;
    expect(limiter.take('ann')).toBe(0);
    expect(limiter.take('ann')).toBe(1000);
  });
});
