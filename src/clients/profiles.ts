import type { Model } from 'mongoose';
import type { ClientProfile } from '../shared/profile-schema';
import type { ClientProfileDocument } from './models';

export type ProfileStore = ReturnType<typeof profileStore>;

export const profileStore = (profiles: Model<ClientProfileDocument>) => ({
  saveProfile: async (profile: ClientProfile): Promise<{ created: boolean; revision: number }> => {
    const before = await profiles
      .findOneAndUpdate(
        { _id: profile.clientId },
        { $set: { profile }, $inc: { revision: 1 } },
        { upsert: true, returnDocument: 'before' },
      )
      .lean();
    return { created: before === null, revision: (before?.revision ?? 0) + 1 };
  },

  findProfile: async (clientId: string): Promise<ClientProfile | undefined> => {
    const doc = await profiles.findById(clientId).lean();
    return doc?.profile;
  },

  /** Clients in clientId order (the `_id`), `limit` after `after`; `more` when another page follows. */
  listProfiles: async (limit: number, after?: string) => {
    const found = await profiles
      .find(after === undefined ? {} : { _id: { $gt: after } })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<ClientProfileDocument[]>();
    return { profiles: found.slice(0, limit), more: found.length > limit };
  },

  deleteProfile: async (clientId: string): Promise<boolean> => {
    const result = await profiles.deleteOne({ _id: clientId });
    return result.deletedCount === 1;
  },
});

/** Profiles leave the service without their webhook secret: it is write-only. */
export function redactProfile(profile: ClientProfile): ClientProfile {
  return profile.webhook ? { ...profile, webhook: { ...profile.webhook, secret: '[redacted]' } } : profile;
}
