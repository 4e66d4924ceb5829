/** Every benchmark, in the order `npm run bench` runs them, with the servers each one needs. */
import type { Benchmark } from './result.js';
import type { Service } from './services.js';

export interface RegistryEntry {
  id: string;
  /** Servers the benchmark reads from its context; only these are started for it. */
  needs: Service[];
  load: () => Promise<{ benchmark: Benchmark }>;
}

/** How bench/run.ts hands the servers it started to each benchmark's process. */
export const SANDBOX_ENV = 'AWS_COPILOT_BENCH_SANDBOX';
export const POSTGRES_ENV = 'AWS_COPILOT_BENCH_POSTGRES';

/** Loaded on demand: `--only` pays for what it selects. */
export const REGISTRY: RegistryEntry[] = [
  { id: 'deploy', needs: ['sandbox'], load: () => import('../deploy.js') },
  { id: 'ws-first-event', needs: ['sandbox', 'postgres'], load: () => import('../ws-first-event.js') },
  { id: 'tokens', needs: ['sandbox'], load: () => import('../tokens.js') },
  { id: 'packaging', needs: [], load: () => import('../packaging.js') },
  { id: 'store', needs: ['postgres'], load: () => import('../store.js') },
  { id: 'cli-start', needs: [], load: () => import('../cli-start.js') },
];
