import mongoose from 'mongoose';
import { apiKeyStore, type ApiKeyStore } from '../clients/api-keys';
import { apiKeyModel, clientProfileModel } from '../clients/models';
import { profileStore, type ProfileStore } from '../clients/profiles';
import { deliveryRecordModel } from '../deliveries/models';
import { deliveryRecordStore, type DeliveryRecordStore } from '../deliveries/records';
import { addressOf, connectTo } from '../shared/startup-connection';

/** What a process role reads and writes, bound to a connection of its own. */
export interface Database {
  profiles: ProfileStore;
  apiKeys: ApiKeyStore;
  deliveries: DeliveryRecordStore;
  ping: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * One connection per process role: the API, the workers and the bridge can share a process (`npm run dev`, the
 * tests), and each closes its own when it stops without cutting the others off.
 */
async function connect(uri: string) {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000 });
  const models = [clientProfileModel(connection), apiKeyModel(connection), deliveryRecordModel(connection)] as const;
  try {
    await connection.asPromise();
    // syncIndexes, not init: it also drops indexes the schemas no longer declare (the natural-key change left
    // unique indexes on fields that new documents no longer have).
    await Promise.all(models.map((model) => model.syncIndexes()));
  } catch (err) {
    await connection.close();
    throw err;
  }
  return { connection, models };
}

export async function openDatabase(uri: string): Promise<Database> {
  const { connection, models } = await connectTo('MongoDB', addressOf(uri), () => connect(uri), 15_000);
  const [profiles, apiKeys, deliveries] = models;
  return {
    profiles: profileStore(profiles),
    apiKeys: apiKeyStore(apiKeys),
    deliveries: deliveryRecordStore(deliveries),
    ping: async () => {
      const db = connection.db;
      if (!db) throw new Error('not connected');
      await db.admin().ping();
    },
    close: () => connection.close(),
  };
}
