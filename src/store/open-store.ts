/** Opens the configured store: MongoDB (MONGODB_URI), PostgreSQL (DATABASE_URL) or embedded PGlite. */
import { join } from 'node:path';
import type { Settings } from '../config/settings.js';
import { CopilotError } from '../errors/copilot-error.js';
import { redactor } from '../guardrails/redaction.js';
import { openPGliteStore } from './pglite/open-pglite-store.js';
import type { Store, VectorRepository } from './ports.js';
import { openPostgresStore } from './postgres/open-postgres-store.js';
import { QdrantVectorRepository } from './qdrant/qdrant-vector-repository.js';

export type StoreSettings = Pick<
  Settings,
  'databaseUrl' | 'mongodbUri' | 'storeDir' | 'dataDir' | 'vectorDimensions'
> &
  Partial<Pick<Settings, 'retentionDays' | 'qdrantUrl'>>;

export function embeddedStoreDirectory(settings: Pick<Settings, 'storeDir' | 'dataDir'>): string {
  return settings.storeDir ?? join(settings.dataDir, 'store');
}

/** The configured store, its vector memory in Qdrant when `qdrantUrl` is set (key from QDRANT_API_KEY). */
export async function openStore(
  settings: StoreSettings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Store> {
  const store = await openDatabaseStore(settings);
  if (!settings.qdrantUrl) return store;
  const apiKey = env.QDRANT_API_KEY || undefined;
  if (apiKey) redactor.addSecrets([apiKey]);
  try {
    const vectors = await QdrantVectorRepository.open({
      url: settings.qdrantUrl,
      dimensions: settings.vectorDimensions,
      ...(apiKey ? { apiKey } : {}),
    });
    return withVectors(store, vectors);
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The same store with another vector repository; every other member is the store's own. */
function withVectors(store: Store, vectors: VectorRepository): Store {
  return {
    kind: store.kind,
    sessions: store.sessions,
    events: store.events,
    deployments: store.deployments,
    approvals: store.approvals,
    credentials: store.credentials,
    telemetry: store.telemetry,
    audit: store.audit,
    compliance: store.compliance,
    reports: store.reports,
    vectors,
    users: store.users,
    checkpointer: store.checkpointer,
    purge: (before) => store.purge(before),
    schemaVersion: () => store.schemaVersion(),
    close: () => store.close(),
  };
}

async function openDatabaseStore(settings: StoreSettings): Promise<Store> {
  if (settings.databaseUrl && settings.mongodbUri) {
    throw new CopilotError('config_invalid', 'both DATABASE_URL and MONGODB_URI are set: choose one store');
  }
  if (settings.mongodbUri) {
    // Loaded only when configured: the MongoDB driver is not needed otherwise.
    const { openMongoStore } = await import('./mongodb/open-mongo-store.js');
    return openMongoStore({
      uri: settings.mongodbUri,
      vectorDimensions: settings.vectorDimensions,
      retentionDays: settings.retentionDays,
    });
  }
  if (settings.databaseUrl) {
    return openPostgresStore({
      connectionString: settings.databaseUrl,
      vectorDimensions: settings.vectorDimensions,
    });
  }
  return openPGliteStore({
    directory: embeddedStoreDirectory(settings),
    vectorDimensions: settings.vectorDimensions,
  });
}

/**
 * Purges now and then every six hours while the process runs (the timer never keeps it alive). The returned stop
 * function waits for a purge under way, so the store can be closed right after it.
 */
export function scheduleRetention(
  store: Store,
  retentionDays: number,
  onError: (error: unknown) => void,
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const purge = () => {
    running = store
      .purge(new Date(Date.now() - retentionDays * 86_400_000))
      .then(() => undefined)
      .catch(onError);
  };
  purge();
  const timer = setInterval(purge, 6 * 3_600_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
