/** Opens the configured store: MongoDB (MONGODB_URI), PostgreSQL (DATABASE_URL) or embedded PGlite. */
import { join } from 'node:path';
import type { Settings } from '../config/settings.js';
import { CopilotError } from '../errors/copilot-error.js';
import { openPGliteStore } from './pglite/open-pglite-store.js';
import type { Store } from './ports.js';
import { openPostgresStore } from './postgres/open-postgres-store.js';

export type StoreSettings = Pick<
  Settings,
  'databaseUrl' | 'mongodbUri' | 'storeDir' | 'dataDir' | 'vectorDimensions'
> &
  Partial<Pick<Settings, 'retentionDays'>>;

export function embeddedStoreDirectory(settings: Pick<Settings, 'storeDir' | 'dataDir'>): string {
  return settings.storeDir ?? join(settings.dataDir, 'store');
}

export async function openStore(settings: StoreSettings): Promise<Store> {
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

/** Purges now and then every six hours while the process runs (the timer never keeps it alive). */
export function scheduleRetention(
  store: Store,
  retentionDays: number,
  onError: (error: unknown) => void,
): () => void {
  const purge = () => {
    store.purge(new Date(Date.now() - retentionDays * 86_400_000)).catch(onError);
  };
  purge();
  const timer = setInterval(purge, 6 * 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
