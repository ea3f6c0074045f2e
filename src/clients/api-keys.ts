import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Model } from 'mongoose';
import type { ApiKeyDocument, ApiKeyUsageDocument } from './models';

// Keys carry 256 random bits, so a plain SHA-256 is enough to make a stolen table useless; slow password
// hashes (bcrypt, scrypt) exist for low-entropy human passwords and would only slow every request.
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest();

const keyPattern = /^csk_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

export type ApiKeyStore = ReturnType<typeof apiKeyStore>;

/** What an admin may see of a key: never the secret nor its hash. */
export interface ApiKeyMetadata {
  keyId: string;
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

/** lastUsedAt is kept to the minute: at most one write per key and process per minute. */
const usageResolutionMs = 60_000;

/**
 * Notes a key's use without a write per request: the first use in a minute writes, later ones in that minute do
 * nothing, and the write is not awaited (the request does not wait for it, and a failed write only leaves the time
 * older). The acceptance cache in front of clientForApiKey thins the calls out further.
 */
function keyUsageRecorder(usage: Model<ApiKeyUsageDocument>) {
  const noted = new LRUCache<string, true>({ max: 10_000, ttl: usageResolutionMs });
  return (keyId: string) => {
    if (noted.has(keyId)) return;
    noted.set(keyId, true);
    usage.updateOne({ _id: keyId }, { $set: { lastUsedAt: new Date() } }, { upsert: true }).catch(() => {
      noted.delete(keyId);
    });
  };
}

export const apiKeyStore = (keys: Model<ApiKeyDocument>, usage: Model<ApiKeyUsageDocument>) => {
  const noteUse = keyUsageRecorder(usage);
  return {
    issueApiKey: async (clientId: string): Promise<{ keyId: string; apiKey: string }> => {
      const keyId = randomBytes(8).toString('hex');
      const secret = randomBytes(32).toString('base64url');
      await keys.create({ _id: keyId, clientId, secretHash: hashSecret(secret).toString('hex') });
      return { keyId, apiKey: `csk_${keyId}_${secret}` };
    },

    /** The client the key belongs to, or undefined for a malformed, unknown or revoked key. */
    clientForApiKey: async (apiKey: string): Promise<string | undefined> => {
      const match = keyPattern.exec(apiKey);
      if (!match) return undefined;
      const [, keyId, secret] = match as unknown as [string, string, string];
      const stored = await keys.findById(keyId).lean();
      if (!stored || stored.revokedAt) return undefined;
      const expected = Buffer.from(stored.secretHash, 'hex');
      const given = hashSecret(secret);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      noteUse(keyId);
      return stored.clientId;
    },

    revokeApiKey: async (clientId: string, keyId: string): Promise<boolean> => {
      const result = await keys.updateOne(
        { _id: keyId, clientId, revokedAt: { $exists: false } },
        { revokedAt: new Date() },
      );
      return result.modifiedCount === 1;
    },

    /** A client's keys, oldest first. The hash is not even read: the projection leaves it in the database. */
    listApiKeys: async (clientId: string): Promise<ApiKeyMetadata[]> => {
      const found = await keys
        .find({ clientId }, { _id: 1, createdAt: 1, revokedAt: 1 })
        .sort({ createdAt: 1, _id: 1 })
        .lean<Pick<ApiKeyDocument, '_id' | 'createdAt' | 'revokedAt'>[]>();
      const used = await usage.find({ _id: { $in: found.map((key) => key._id) } }).lean<ApiKeyUsageDocument[]>();
      const lastUsed = new Map(used.map((u) => [u._id, u.lastUsedAt]));
      return found.map((key) => ({
        keyId: key._id,
        createdAt: key.createdAt,
        lastUsedAt: lastUsed.get(key._id),
        revokedAt: key.revokedAt,
      }));
    },
  };
};
