/**
 * Retention in MongoDB: TTL indexes on `at` let the server expire request logs (telemetry, audit,
 * protocol events) by itself, and `purge` deletes on demand with the SQL adapters' rules, which
 * also covers finished deployments and their journals (no single date field can expire those).
 */
import type { Db } from 'mongodb';
import type { PurgeResult } from '../ports.js';
import type { DeploymentDocument } from './deployment-collections.js';
import { COLLECTIONS } from './documents.js';

/** Collections whose documents expire `expireAfterSeconds` after their `at` date. */
const EXPIRING = [COLLECTIONS.telemetry, COLLECTIONS.audit, COLLECTIONS.events] as const;
const TTL_INDEX = 'at_ttl';

const FINISHED: DeploymentDocument['status'][] = ['succeeded', 'failed', 'rolled-back', 'escalated'];

/**
 * Creates the TTL indexes, or changes their lifetime when the setting changed since the last open.
 * The last process to open the store with another setting wins: retention is one per database.
 */
export async function ensureRetention(db: Db, expireAfterSeconds: number): Promise<void> {
  for (const name of EXPIRING) {
    const collection = db.collection(name);
    const indexes = await collection
      .listIndexes()
      .toArray()
      .catch(() => []);
    const existing = indexes.find((index) => index.name === TTL_INDEX);
    if (existing?.expireAfterSeconds === expireAfterSeconds) continue;
    if (existing) {
      await db.command({ collMod: name, index: { name: TTL_INDEX, expireAfterSeconds } });
    } else {
      await collection.createIndex({ at: 1 }, { name: TTL_INDEX, expireAfterSeconds });
    }
  }
}

/** Deletes request logs, finished deployments (with their journals) and sealed form values older than `before`. */
export async function purgeMongo(db: Db, before: Date): Promise<PurgeResult> {
  const deployments = db.collection<DeploymentDocument>(COLLECTIONS.deployments);
  const finished = await deployments
    .find({ updatedAt: { $lt: before }, status: { $in: FINISHED } }, { projection: { _id: 1 } })
    .toArray();
  const ids = finished.map((document) => document._id);
  if (ids.length > 0) {
    await db.collection(COLLECTIONS.journal).deleteMany({ deploymentId: { $in: ids } });
    await deployments.deleteMany({ _id: { $in: ids } });
  }
  const olderThan = async (name: string) =>
    (await db.collection(name).deleteMany({ at: { $lt: before } })).deletedCount;
  return {
    telemetry: await olderThan(COLLECTIONS.telemetry),
    audit: await olderThan(COLLECTIONS.audit),
    events: await olderThan(COLLECTIONS.events),
    deployments: ids.length,
    // By creation: rotating the master key rewrites a record but does not make it younger.
    sealedValues: (
      await db
        .collection(COLLECTIONS.credentials)
        .deleteMany({ kind: 'sealed-value', createdAt: { $lt: before } })
    ).deletedCount,
  };
}
