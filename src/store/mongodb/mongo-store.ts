/** The MongoDB store: every repository, LangGraph's MongoDBSaver and retention over one database. */
import { MongoDBSaver, type MongoDBSaverParams } from '@langchain/langgraph-checkpoint-mongodb';
import type { Db, MongoClient } from 'mongodb';
import { CopilotError } from '../../errors/copilot-error.js';
import type { Store } from '../ports.js';
import { MongoApprovalRepository, MongoDeploymentRepository } from './deployment-collections.js';
import { currentMongoSchemaVersion, migrateMongo } from './migrations.js';
import {
  MongoAuditRepository,
  MongoComplianceRepository,
  MongoCredentialRepository,
  MongoReportRepository,
  MongoTelemetryRepository,
} from './record-collections.js';
import { ensureRetention, purgeMongo } from './retention.js';
import { MongoEventRepository, MongoSessionRepository } from './session-collections.js';
import { MongoUserRepository } from './user-collections.js';
import { MongoVectorRepository } from './vector-collection.js';

export interface MongoStoreOptions {
  client: MongoClient;
  db: Db;
  /** Where the data lives, for messages (the redacted URI). */
  where: string;
  vectorDimensions: number;
  /** Lifetime of telemetry, audit records and events, enforced by TTL indexes. */
  expireAfterSeconds: number;
}

export async function createMongoStore(options: MongoStoreOptions): Promise<Store> {
  const { client, db } = options;
  await migrateMongo(db, { where: options.where });
  await ensureRetention(db, options.expireAfterSeconds);
  // The saver is typed against its own copy of the driver (v6); it only calls client.db() and
  // collection methods, which the v7 client provides alike.
  const checkpointer = new MongoDBSaver({
    client: client as unknown as MongoDBSaverParams['client'],
    dbName: db.databaseName,
  });
  const [setupError] = await checkpointer.setup();
  if (setupError) {
    const message = `cannot prepare checkpoints in ${options.where}: ${setupError.message}`;
    throw new CopilotError('store_unavailable', message, { cause: setupError });
  }

  return {
    kind: 'mongodb',
    sessions: new MongoSessionRepository(db),
    events: new MongoEventRepository(db),
    deployments: new MongoDeploymentRepository(db),
    approvals: new MongoApprovalRepository(db),
    credentials: new MongoCredentialRepository(db),
    telemetry: new MongoTelemetryRepository(db),
    audit: new MongoAuditRepository(db),
    compliance: new MongoComplianceRepository(db),
    reports: new MongoReportRepository(db),
    vectors: new MongoVectorRepository(db, options.vectorDimensions),
    users: new MongoUserRepository(db),
    checkpointer,
    purge: (before) => purgeMongo(db, before),
    schemaVersion: () => currentMongoSchemaVersion(db),
    close: () => client.close(),
  };
}
