/** Token-bucket limits per key (per user) and a concurrency cap; the clock is injectable for tests. */

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** Serializes waiters so they are served in arrival order. */
  queue: Promise<void>;
}

/** Allows `ratePerSecond` acquisitions per key per second, with bursts up to `burst`. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private granted = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst = Math.max(1, Math.ceil(ratePerSecond)),
    private readonly clock: Clock = systemClock,
  ) {}

  /** Total acquisitions granted so far (all keys). */
  get grantedCount(): number {
    return this.granted;
  }

  /** Resolves when the key may make one more request. */
  acquire(key: string, signal?: AbortSignal): Promise<void> {
    const bucket = this.bucketFor(key);
    const turn = bucket.queue.then(() => this.take(bucket, signal));
    bucket.queue = turn.catch(() => undefined);
    return turn;
  }

  private bucketFor(key: string): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.burst, updatedAt: this.clock.now(), queue: Promise.resolve() };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private async take(bucket: Bucket, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      bucket.tokens = Math.min(
        this.burst,
        bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.ratePerSecond,
      );
      bucket.updatedAt = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        this.granted += 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - bucket.tokens) / this.ratePerSecond) * 1000), signal);
    }
  }
}

/** At most `limit` holders at once; the rest wait in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  get inUse(): number {
    return this.active;
  }

  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}
