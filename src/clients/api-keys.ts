import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Model } from 'mongoose';
import type { ApiKeyDocument } from './models';

// Keys carry 256 random bits, so a plain SHA-256 is enough to make a stolen table useless; slow password
// hashes (bcrypt, scrypt) exist for low-entropy human passwords and would only slow every request.
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest();

const keyPattern = /^csk_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

export type ApiKeyStore = ReturnType<typeof apiKeyStore>;

export const apiKeyStore = (keys: Model<ApiKeyDocument>) => ({
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
    return expected.length === given.length && timingSafeEqual(expected, given) ? stored.clientId : undefined;
  },

  revokeApiKey: async (clientId: string, keyId: string): Promise<boolean> => {
    const result = await keys.updateOne(
      { _id: keyId, clientId, revokedAt: { $exists: false } },
      { revokedAt: new Date() },
    );
    return result.modifiedCount === 1;
  },
});
