/**
 * Versioned schema of the MongoDB adapter: collections and their indexes. The `schema` collection
 * holds one document per applied version. Migrations only ever append; a database whose version is
 * newer than this code knows is refused, never altered. Retention (TTL) indexes depend on a
 * setting, not on the version, and are reconciled at every open (retention.ts).
 */
import type { Db, IndexDescription } from 'mongodb';
import { CopilotError } from '../../errors/copilot-error.js';
import { COLLECTIONS, isDuplicateKey } from './documents.js';

export interface MongoMigration {
  version: number;
  description: string;
  apply(db: Db): Promise<void>;
}

const INDEXES: Record<string, IndexDescription[]> = {
  [COLLECTIONS.sessions]: [{ key: { userId: 1, updatedAt: -1 }, name: 'sessions_user' }],
  [COLLECTIONS.turns]: [{ key: { sessionId: 1, seq: 1 }, name: 'turns_session_seq', unique: true }],
  [COLLECTIONS.events]: [{ key: { sessionId: 1, seq: 1 }, name: 'events_session_seq', unique: true }],
  [COLLECTIONS.deployments]: [
    { key: { userId: 1, createdAt: -1 }, name: 'deployments_user' },
    { key: { updatedAt: 1 }, name: 'deployments_updated' },
  ],
  [COLLECTIONS.journal]: [{ key: { deploymentId: 1, seq: 1 }, name: 'journal_deployment_seq', unique: true }],
  [COLLECTIONS.approvals]: [{ key: { planHash: 1, at: 1 }, name: 'approvals_plan' }],
  [COLLECTIONS.credentials]: [{ key: { userId: 1, name: 1 }, name: 'credentials_user_name', unique: true }],
  [COLLECTIONS.telemetry]: [
    { key: { sessionId: 1, at: 1 }, name: 'telemetry_session' },
    { key: { correlationId: 1, at: 1 }, name: 'telemetry_correlation' },
  ],
  [COLLECTIONS.audit]: [
    { key: { userId: 1, at: 1 }, name: 'audit_user' },
    { key: { correlationId: 1, at: 1 }, name: 'audit_correlation' },
  ],
  [COLLECTIONS.compliance]: [{ key: { planId: 1, at: 1 }, name: 'compliance_plan' }],
  [COLLECTIONS.reports]: [{ key: { sessionId: 1, at: 1 }, name: 'reports_session' }],
  [COLLECTIONS.vectors]: [{ key: { tags: 1 }, name: 'vectors_tags' }],
};

export const MONGO_MIGRATIONS: MongoMigration[] = [
  {
    version: 1,
    description:
      'sessions, turns, events, deployments, journal, approvals, credentials, telemetry, audit, compliance, reports, vectors',
    apply: async (db) => {
      for (const [name, indexes] of Object.entries(INDEXES)) await db.collection(name).createIndexes(indexes);
    },
  },
  {
    version: 2,
    description: 'server accounts and browser logins',
    apply: async (db) => {
      await db
        .collection(COLLECTIONS.users)
        .createIndexes([{ key: { name: 1 }, name: 'users_name', unique: true }]);
      await db.collection(COLLECTIONS.logins).createIndexes([
        { key: { userId: 1 }, name: 'logins_user' },
        // The server deletes a login at its expiry time.
        { key: { expiresAt: 1 }, name: 'logins_expires', expireAfterSeconds: 0 },
      ]);
    },
  },
];

export const LATEST_MONGO_SCHEMA_VERSION = MONGO_MIGRATIONS.at(-1)?.version ?? 0;

interface SchemaDocument {
  _id: number;
  description: string;
  appliedAt: Date;
}

export async function currentMongoSchemaVersion(db: Db): Promise<number> {
  const newest = await db
    .collection<SchemaDocument>(COLLECTIONS.schema)
    .find()
    .sort({ _id: -1 })
    .limit(1)
    .next();
  return newest?._id ?? 0;
}

/** Brings the schema up to date; refuses a database written by a newer aws-copilot. */
export async function migrateMongo(db: Db, options: { where: string }): Promise<number> {
  const current = await currentMongoSchemaVersion(db);
  if (current > LATEST_MONGO_SCHEMA_VERSION) {
    throw new CopilotError(
      'store_incompatible',
      `the store at ${options.where} has schema version ${current}, but this aws-copilot only knows up to ${LATEST_MONGO_SCHEMA_VERSION}: upgrade aws-copilot to open it (nothing was changed)`,
    );
  }
  for (const migration of MONGO_MIGRATIONS.filter((candidate) => candidate.version > current)) {
    // Steps are idempotent, so two processes migrating at once both succeed; one records it.
    await migration.apply(db);
    await db
      .collection<SchemaDocument>(COLLECTIONS.schema)
      .insertOne({ _id: migration.version, description: migration.description, appliedAt: new Date() })
      .catch((error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
      });
  }
  return LATEST_MONGO_SCHEMA_VERSION;
}
