import type { Connection, mongo } from 'mongoose';
import type { Channel } from '../shared/channels';

/**
 * One document per slot taken (or per seal closing a chain), written once and never rewritten except for its
 * `released` flag, which only the message that took the slot sets. `_id` = `<scope>:<epoch>:<seq>`.
 */
export interface LedgerEntry {
  _id: string;
  /** SHA-256 of client, channel, address and category (scope-key.ts): never the address itself. */
  scope: string;
  epoch: number;
  seq: number;
  /** `seal`: the chain's last entry, written when the next epoch's chain starts; it counts for nothing. */
  kind: 'slot' | 'seal';
  messageId: string;
  channel: Channel;
  category: string;
  /** The reservation time; never earlier than the entry before it in the chain (scope-reservation.ts says why). */
  at: Date;
  released: boolean;
  /** On a chain's first entry: the seq of the previous epoch's seal, where a walk back continues. */
  previousSeal?: number;
  expiresAt: Date;
}

/** A hint, per chain, of a seq that exists: where a reader starts looking for the chain's end. */
export interface LedgerHead {
  _id: string;
  seq: number;
  expiresAt: Date;
}

/** Which entries a message holds on a channel, so that release() reaches them by `_id` alone. */
export interface LedgerHold {
  _id: string;
  messageId: string;
  channel: Channel;
  entries: string[];
  expiresAt: Date;
}

export const ledgerCollections = {
  entries: 'frequency_ledger',
  heads: 'frequency_ledger_heads',
  holds: 'frequency_ledger_holds',
} as const;

/**
 * The ledger's three collections on a connection, straight through the driver (mongoose's buffered collection):
 * documents are written whole and once, so there is nothing for a schema to cast, and every filter is `{_id}`
 * (FerretDB on SQLite scans the whole collection for any other: docs/frequency-caps.md).
 */
export function ledgerStore(connection: Connection) {
  return {
    entries: connection.collection<LedgerEntry>(ledgerCollections.entries),
    heads: connection.collection<LedgerHead>(ledgerCollections.heads),
    holds: connection.collection<LedgerHold>(ledgerCollections.holds),
  };
}

export type LedgerStore = ReturnType<typeof ledgerStore>;

/** Ours, by name, on each of the three collections: an operator's own indexes are left alone. */
export const capLedgerIndexName = 'frequency_ledger_expiry';

/** The indexes the ledger wants: a TTL on `expiresAt` where the server has TTL indexes. */
export const capLedgerIndexes = Object.values(ledgerCollections).map((collection) => ({
  collection,
  key: { expiresAt: 1 } as const,
  options: { name: capLedgerIndexName, expireAfterSeconds: 0 },
}));

const notImplemented = 238;

/**
 * `ttl`: the server deletes expired documents by itself (MongoDB). `purge`: it cannot (FerretDB 1.24 answers
 * "expireAfterSeconds is not implemented yet"), and someone must call `purgeExpired` now and then. Either way
 * the same documents go: each carries the instant after which no reservation can read it.
 */
export async function ensureCapLedgerIndexes(connection: Connection): Promise<'ttl' | 'purge'> {
  let mode: 'ttl' | 'purge' = 'ttl';
  for (const { collection, key, options } of capLedgerIndexes) {
    try {
      await connection.collection(collection).createIndex(key, options);
    } catch (err) {
      if ((err as { code?: number }).code !== notImplemented) throw err;
      mode = 'purge';
    }
  }
  return mode;
}

/** At most `batch` documents at a time: on FerretDB each batch scans the collection. */
async function purgeCollection<T extends { _id: string; expiresAt: Date }>(
  collection: mongo.Collection<T>,
  now: Date,
  batch: number,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const filter = { expiresAt: { $lte: now } } as mongo.Filter<T>;
    const expired = await collection
      .find(filter, { projection: { _id: 1 } })
      .limit(batch)
      .toArray();
    if (expired.length === 0) return deleted;
    // The expiry is checked again in the delete; purgers running at once only delete the same documents twice.
    const ids = expired.map((doc) => doc._id);
    const { deletedCount } = await collection.deleteMany({ ...filter, _id: { $in: ids } });
    deleted += deletedCount;
    if (expired.length < batch) return deleted;
  }
}

/** Deletes every document whose chain nobody can read any more (`expiresAt`, scope-key.ts's chainExpiry). */
export async function purgeExpiredDocuments(store: LedgerStore, now: Date, batch = 1_000): Promise<number> {
  return (
    (await purgeCollection(store.entries, now, batch)) +
    (await purgeCollection(store.holds, now, batch)) +
    (await purgeCollection(store.heads, now, batch))
  );
}
