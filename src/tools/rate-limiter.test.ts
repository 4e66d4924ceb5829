import { describe, expect, it } from 'vitest';
import { type Clock, RateLimiter, Semaphore } from './rate-limiter.js';

/** A clock that only moves when the limiter sleeps, so tests count instead of timing. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('RateLimiter', () => {
  it('allows the burst at once, then spaces requests at the configured rate', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(2, 2, clock);
    for (let i = 0; i < 6; i += 1) await limiter.acquire('ann');
    // 2 immediate, then 4 more at 2/s: 2 seconds of waiting in all.
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(clock.now()).toBe(2000);
  });

  it('keeps one budget per user', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(2, 2, clock);
    await Promise.all([
      limiter.acquire('ann'),
      limiter.acquire('ann'),
      limiter.acquire('bob'),
      limiter.acquire('bob'),
    ]);
    expect(clock.slept).toEqual([]);
    expect(limiter.grantedCount).toBe(4);
  });
});

describe('Semaphore', () => {
  it('runs at most the limit at once', async () => {
    const semaphore = new Semaphore(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        semaphore.use(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setImmediate(resolve));
          active -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});
