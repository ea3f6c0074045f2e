import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { createCapLedger, ensureCapLedgerIndexes, type CapLedger, type CapSubject } from '../../src/caps/cap-ledger';
import { ledgerCollections, ledgerStore } from '../../src/caps/ledger-store';
import { testEnv } from '../support/harness';

export const uniqueId = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

/** The dev stack's FerretDB, which another session starts: wait for it rather than fail the run. */
export async function connectWhenUp(timeoutMs = 180_000): Promise<mongoose.Connection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const connection = mongoose.createConnection(testEnv.MONGODB_URI!, { serverSelectionTimeoutMS: 2_000 });
    try {
      await connection.asPromise();
      return connection;
    } catch (err) {
      await connection.close().catch(() => undefined);
      if (Date.now() > deadline) throw err;
      await sleep(1_000);
    }
  }
}

/** Empty ledger collections in this run's database (TEST_DATABASE), and the ledger's indexes. */
export async function freshLedgerCollections(connection: mongoose.Connection): Promise<'ttl' | 'purge'> {
  for (const name of Object.values(ledgerCollections)) await connection.collection(name).deleteMany({});
  return ensureCapLedgerIndexes(connection);
}

/** `count` ledgers, each on a connection of its own, as separate worker processes would have. */
export async function separateLedgers(count: number) {
  const connections = await Promise.all(Array.from({ length: count }, () => connectWhenUp()));
  return {
    ledgers: connections.map((connection): CapLedger => createCapLedger(connection)),
    close: () => Promise.all(connections.map((connection) => connection.close())),
  };
}

export const subjectFor = (overrides: Partial<CapSubject> = {}): CapSubject => ({
  clientId: uniqueId('caps'),
  channel: 'sms',
  category: 'marketing',
  address: `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
  ...overrides,
});

export const readEntries = (connection: mongoose.Connection, ids: readonly string[]) =>
  Promise.all(ids.map((_id) => ledgerStore(connection).entries.findOne({ _id }))).then((entries) =>
    entries.map((entry, i) => {
      if (!entry) throw new Error(`no ledger entry ${ids[i]}`);
      return entry;
    }),
  );

export const hours = (n: number) => n * 3_600_000;
export const days = (n: number) => n * 86_400_000;
