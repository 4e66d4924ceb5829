/** A shared MongoDB server (MONGODB_URI): the team store. */
import { MongoClient } from 'mongodb';
import { CopilotError } from '../../errors/copilot-error.js';
import { redactor } from '../../guardrails/redaction.js';
import type { Store } from '../ports.js';
import { createMongoStore } from './mongo-store.js';

export const DEFAULT_MONGO_DATABASE = 'aws_copilot';

export interface MongoStoreOpenOptions {
  /** `mongodb://...` or `mongodb+srv://...`; the path names the database (default `aws_copilot`). */
  uri: string;
  vectorDimensions: number;
  /** Days request logs (telemetry, audit, events) are kept; default 90. */
  retentionDays?: number;
  /** @internal Overrides retentionDays with a lifetime in seconds (tests of TTL expiry). */
  ttlSeconds?: number;
  /** How long to look for a reachable server before giving up; default 5000. */
  serverSelectionTimeoutMs?: number;
}

/** The database named by the URI's path, e.g. `mongodb://host/copilot?tls=true` -> `copilot`. */
export function databaseName(uri: string): string {
  const afterScheme = uri.slice(uri.indexOf('://') + 3);
  const slash = afterScheme.indexOf('/');
  if (slash < 0) return DEFAULT_MONGO_DATABASE;
  const path = afterScheme.slice(slash + 1).split('?')[0] ?? '';
  return decodeURIComponent(path) || DEFAULT_MONGO_DATABASE;
}

function createClient(uri: string, where: string, serverSelectionTimeoutMS: number): MongoClient {
  try {
    return new MongoClient(uri, { serverSelectionTimeoutMS, appName: 'aws-copilot', ignoreUndefined: true });
  } catch (error) {
    throw new CopilotError(
      'config_invalid',
      `MONGODB_URI (${where}) is not a valid MongoDB connection string: ${redactor.text((error as Error).message)}`,
      { cause: error },
    );
  }
}

export async function openMongoStore(options: MongoStoreOpenOptions): Promise<Store> {
  const where = redactor.text(options.uri);
  const client = createClient(options.uri, where, options.serverSelectionTimeoutMs ?? 5000);
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new CopilotError(
      'store_unavailable',
      `cannot reach MongoDB at ${where}: ${redactor.text((error as Error).message)}; check MONGODB_URI and that the server is running`,
      { cause: error, retryable: true },
    );
  }
  try {
    return await createMongoStore({
      client,
      db: client.db(databaseName(options.uri)),
      where,
      vectorDimensions: options.vectorDimensions,
      expireAfterSeconds: options.ttlSeconds ?? (options.retentionDays ?? 90) * 86_400,
    });
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}
