import mongoose from 'mongoose';
import { ApiKeyModel, ClientProfileModel } from '../clients/models';
import { DeliveryRecordModel } from '../deliveries/models';

/** The API and the workers can share a process (`npm run dev`, tests): the shared connection closes with its last user. */
let users = 0;

/** Connects the shared mongoose connection and makes sure the indexes match the schemas before any write relies on them. */
export async function connectMongo(uri: string): Promise<void> {
  users++;
  try {
    await mongoose.connect(uri, { serverSelectionTimeoutMS: 5_000 });
    // syncIndexes, not init: it also drops indexes the schemas no longer declare (the natural-key change left
    // unique indexes on fields that new documents no longer have).
    await Promise.all([ClientProfileModel, ApiKeyModel, DeliveryRecordModel].map((model) => model.syncIndexes()));
  } catch (err) {
    await disconnectMongo();
    throw err;
  }
}

export async function pingMongo(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('not connected');
  await db.admin().ping();
}

export async function disconnectMongo(): Promise<void> {
  users = Math.max(0, users - 1);
  if (users === 0) await mongoose.disconnect();
}
