import mongoose from 'mongoose';
import { apiKeyStore, type ApiKeyStore } from '../clients/api-keys';
import { apiKeyModel, apiKeyUsageModel, clientProfileModel } from '../clients/models';
import { profileStore, type ProfileStore } from '../clients/profiles';
import { deliveryRecordModel } from '../deliveries/models';
import { deliveryRecordStore, type DeliveryRecordStore } from '../deliveries/records';
import { startRecordRetention, type RecordRetention } from '../deliveries/retention';
import { addressOf, connectTo } from '../shared/startup-connection';

/** What a process role reads and writes, bound to a connection of its own. */
export interface Database {
  profiles: ProfileStore;
  apiKeys: ApiKeyStore;
  deliveries: DeliveryRecordStore;
  /** The records' retention (see deliveries/retention.ts); one role starts it. */
  startRetention: (
    retentionSeconds: number | undefined,
    report: Parameters<typeof startRecordRetention>[2],
  ) => Promise<RecordRetention>;
  ping: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * Indexes earlier versions declared and no longer need: the natural-key change left unique indexes on fields that
 * new documents no longer have. Dropped by name, so that nothing else is touched.
 */
const legacyIndexes = [
  { collection: 'delivery_records', name: 'clientId_1_messageId_1_channel_1' },
  { collection: 'client_profiles', name: 'clientId_1' },
  { collection: 'api_keys', name: 'keyId_1' },
];
const absent = new Set([26, 27]); // NamespaceNotFound, IndexNotFound

async function dropLegacyIndexes(connection: mongoose.Connection) {
  for (const { collection, name } of legacyIndexes) {
    await connection
      .collection(collection)
      .dropIndex(name)
      .catch((err: unknown) => {
        if (!absent.has((err as { code?: number }).code ?? 0)) throw err;
      });
  }
}

/**
 * One connection per process role: the API, the workers and the bridge can share a process (`npm run dev`, the
 * tests), and each closes its own when it stops without cutting the others off.
 */
async function connect(uri: string) {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000 });
  const models = [
    clientProfileModel(connection),
    apiKeyModel(connection),
    deliveryRecordModel(connection),
    apiKeyUsageModel(connection),
  ] as const;
  try {
    await connection.asPromise();
    // createIndexes, not syncIndexes: syncIndexes drops every index the schemas do not declare, an operator's too.
    await Promise.all(models.map((model) => model.createIndexes()));
    await dropLegacyIndexes(connection);
  } catch (err) {
    await connection.close();
    throw err;
  }
  return { connection, models };
}

export async function openDatabase(uri: string): Promise<Database> {
  const { connection, models } = await connectTo('MongoDB', addressOf(uri), () => connect(uri), 15_000);
  const [profiles, apiKeys, deliveries, keyUsage] = models;
  return {
    profiles: profileStore(profiles),
    apiKeys: apiKeyStore(apiKeys, keyUsage),
    deliveries: deliveryRecordStore(deliveries),
    startRetention: (retentionSeconds, report) => startRecordRetention(deliveries, retentionSeconds, report),
    ping: async () => {
      const db = connection.db;
      if (!db) throw new Error('not connected');
      await db.admin().ping();
    },
    close: () => connection.close(),
  };
}
