import mongoose from 'mongoose';
import { ApiKeyModel, ClientProfileModel } from '../clients/models';
import { DeliveryRecordModel } from '../deliveries/models';

/** Connects the shared mongoose connection and makes sure the unique indexes exist before any write relies on them. */
export async function connectMongo(uri: string): Promise<void> {
  await mongoose.connect(uri, { serverSelectionTimeoutMS: 5_000 });
  await Promise.all([ClientProfileModel.init(), ApiKeyModel.init(), DeliveryRecordModel.init()]);
}

export async function pingMongo(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('not connected');
  await db.admin().ping();
}

export const disconnectMongo = () => mongoose.disconnect();
