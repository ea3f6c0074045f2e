import type { Model } from 'mongoose';
import type { DeliveryRecordDocument } from './models';

/** Ours, by name: an operator's own indexes on the collection are left alone. */
export const retentionIndexName = 'delivery_records_retention';

/** How a retention is enforced: by the server (a TTL index), by our purge, or not at all (keep forever). */
export type RetentionMode = 'ttl' | 'purge' | 'off';

const notImplemented = 238;

/**
 * A TTL index on `updatedAt` where the server has TTL indexes (MongoDB); FerretDB 1.24 answers "Index option
 * expireAfterSeconds is not implemented yet", and the caller purges instead. A record's age is the time since its
 * last change, so a message still waiting or in flight is not purged under its workflow's feet.
 */
export async function ensureRetentionIndex(
  records: Model<DeliveryRecordDocument>,
  retentionSeconds: number | undefined,
): Promise<RetentionMode> {
  const collection = records.collection;
  const existing = (await collection.indexes()).find((index) => index.name === retentionIndexName);
  if (retentionSeconds === undefined) {
    if (existing) await collection.dropIndex(retentionIndexName);
    return 'off';
  }
  if (existing) {
    if (existing.expireAfterSeconds !== retentionSeconds)
      await records.db.db?.command({
        collMod: collection.collectionName,
        index: { name: retentionIndexName, expireAfterSeconds: retentionSeconds },
      });
    return 'ttl';
  }
  try {
    await collection.createIndex({ updatedAt: 1 }, { name: retentionIndexName, expireAfterSeconds: retentionSeconds });
    return 'ttl';
  } catch (err) {
    if ((err as { code?: number }).code === notImplemented) return 'purge';
    throw err;
  }
}

/**
 * Deletes at most `batch` records unchanged since `cutoff`. The age is checked again in the delete, so a record the
 * workflow rewrote meanwhile stays; several replicas purging at once only delete the same records twice.
 */
export async function purgeRecordsBefore(
  records: Model<DeliveryRecordDocument>,
  cutoff: Date,
  batch: number,
): Promise<number> {
  const old = await records
    .find({ updatedAt: { $lt: cutoff } }, { _id: 1 })
    .limit(batch)
    .lean();
  if (old.length === 0) return 0;
  const { deletedCount } = await records.deleteMany({
    _id: { $in: old.map((record) => record._id) },
    updatedAt: { $lt: cutoff },
  });
  return deletedCount;
}

export interface RetentionPace {
  /** Between two purges; each replica jitters it by ±20 % so that replicas do not purge in step. */
  everyMs: number;
  /** Records one purge deletes at most: on FerretDB each purge scans the collection twice. */
  batch: number;
  /** After a full batch: the backlog goes in bounded batches, soon after each other. */
  backlogMs: number;
}

const defaultPace: RetentionPace = { everyMs: 60_000, batch: 1_000, backlogMs: 1_000 };

export interface RecordRetention {
  mode: RetentionMode;
  stop(): Promise<void>;
}

/** Enforces the retention: the server's TTL index, else a purge now and then every `pace.everyMs`. */
export async function startRecordRetention(
  records: Model<DeliveryRecordDocument>,
  retentionSeconds: number | undefined,
  report: { purged(count: number): void; failed(err: unknown): void },
  pace: RetentionPace = defaultPace,
): Promise<RecordRetention> {
  const mode = await ensureRetentionIndex(records, retentionSeconds);
  if (mode !== 'purge' || retentionSeconds === undefined) return { mode, stop: () => Promise.resolve() };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const purge = async () => {
    let nextMs = pace.everyMs * (0.8 + Math.random() * 0.4);
    try {
      const purged = await purgeRecordsBefore(records, new Date(Date.now() - retentionSeconds * 1000), pace.batch);
      if (purged > 0) report.purged(purged);
      if (purged >= pace.batch) nextMs = pace.backlogMs;
    } catch (err) {
      report.failed(err);
    }
    if (!stopped) timer = setTimeout(tick, nextMs).unref();
  };
  const tick = () => {
    running = purge();
  };
  tick();
  return {
    mode,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
