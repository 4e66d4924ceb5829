/** Retention runs by itself: an agent app purges old request logs when it opens, and stops purging when closed. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAgentApp } from '../../src/agents/create-agent-runtime.js';
import { loadSettings } from '../../src/config/settings.js';
import { embeddedStoreDirectory, scheduleRetention } from '../../src/store/open-store.js';
import { openPGliteStore } from '../../src/store/pglite/open-pglite-store.js';
import type { PurgeResult, Store } from '../../src/store/ports.js';
import { createAwsClientFactory } from '../../src/tools/aws/clients.js';

const DAY = 86_400_000;

afterEach(() => {
  vi.useRealTimers();
});

describe('retention scheduling', () => {
  it('purges telemetry older than retentionDays as soon as an agent app opens', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'aws-copilot-retention-'));
    const settings = loadSettings(
      { workspace, dataDir: join(workspace, '.data'), retentionDays: 3, region: 'us-east-1' },
      { env: {}, configPath: false },
    );
    const sessionId = randomUUID();
    const seeded = await openPGliteStore({
      directory: embeddedStoreDirectory(settings),
      vectorDimensions: settings.vectorDimensions,
    });
    for (const age of [10 * DAY, 4 * DAY, DAY / 2])
      await seeded.telemetry.append({
        id: randomUUID(),
        sessionId,
        agent: 'executor',
        phase: 'execute',
        status: 'ok',
        at: new Date(Date.now() - age).toISOString(),
      });
    await seeded.close();

    const app = await createAgentApp({
      settings,
      aws: createAwsClientFactory({ settings }),
      hasCredentials: async () => true,
    });
    try {
      await vi.waitFor(async () => expect(await app.store.telemetry.list({ sessionId })).toHaveLength(1), {
        timeout: 10_000,
      });
      expect(app.runtime.embedder?.dimensions).toBe(app.store.vectors.dimensions);
    } finally {
      await app.close();
    }
  });

  it('purges now and every six hours until stopped, and stopping waits for a purge under way', async () => {
    vi.useFakeTimers({ now: new Date('2025-06-01T00:00:00Z') });
    const cutoffs: Date[] = [];
    let finish: (() => void) | undefined;
    const store = {
      purge: (before: Date) => {
        cutoffs.push(before);
        return new Promise<PurgeResult>((resolve) => {
          finish = () => resolve({ telemetry: 0, audit: 0, deployments: 0, events: 0, sealedValues: 0 });
        });
      },
    } as unknown as Store;
    const errors: unknown[] = [];
    const stop = scheduleRetention(store, 90, (error) => errors.push(error));
    expect(cutoffs.map((cutoff) => cutoff.toISOString())).toEqual(['2025-03-03T00:00:00.000Z']);
    vi.advanceTimersByTime(6 * 3_600_000);
    expect(cutoffs).toHaveLength(2);

    let stopped = false;
    const stopping = stop().then(() => {
      stopped = true;
    });
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish?.();
    await stopping;
    vi.advanceTimersByTime(24 * 3_600_000);
    expect(cutoffs).toHaveLength(2);
    expect(errors).toEqual([]);
  });
});
