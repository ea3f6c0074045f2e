import { ClientProfileModel } from './models';
import type { ClientProfile } from '../shared/profile-schema';

export async function saveProfile(profile: ClientProfile): Promise<{ created: boolean; revision: number }> {
  const before = await ClientProfileModel.findOneAndUpdate(
    { _id: profile.clientId },
    { $set: { profile }, $inc: { revision: 1 } },
    { upsert: true, returnDocument: 'before' },
  ).lean();
  return { created: before === null, revision: (before?.revision ?? 0) + 1 };
}

export async function findProfile(clientId: string): Promise<ClientProfile | undefined> {
  const doc = await ClientProfileModel.findById(clientId).lean();
  return doc?.profile;
}

export async function deleteProfile(clientId: string): Promise<boolean> {
  const result = await ClientProfileModel.deleteOne({ _id: clientId });
  return result.deletedCount === 1;
}

/** Profiles leave the service without their webhook secret: it is write-only. */
export function redactProfile(profile: ClientProfile): ClientProfile {
  return profile.webhook ? { ...profile, webhook: { ...profile.webhook, secret: '[redacted]' } } : profile;
}
