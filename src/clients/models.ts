import { Schema, type Connection } from 'mongoose';
import type { ClientProfile } from '../shared/profile-schema';

/**
 * The profile is validated by its zod schema before it is written; Mongo keeps it as one document, keyed by
 * clientId in `_id` (a primary-key lookup on every message, fast on FerretDB too).
 */
export interface ClientProfileDocument {
  _id: string;
  profile: ClientProfile;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

const clientProfileSchema = new Schema<ClientProfileDocument>(
  {
    _id: { type: String, required: true },
    profile: { type: Schema.Types.Mixed, required: true },
    revision: { type: Number, required: true },
  },
  { timestamps: true, minimize: false },
);

/** Models are bound to the connection of the process role that opened it (see db/mongo.ts). */
export const clientProfileModel = (connection: Connection) =>
  connection.model<ClientProfileDocument>('ClientProfile', clientProfileSchema, 'client_profiles');

/** Keyed by keyId in `_id`: every authenticated request looks its key up. */
export interface ApiKeyDocument {
  _id: string;
  clientId: string;
  secretHash: string;
  createdAt: Date;
  revokedAt?: Date;
}

const apiKeySchema = new Schema<ApiKeyDocument>(
  {
    _id: { type: String, required: true },
    clientId: { type: String, required: true, index: true },
    secretHash: { type: String, required: true },
    revokedAt: { type: Date },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export const apiKeyModel = (connection: Connection) =>
  connection.model<ApiKeyDocument>('ApiKey', apiKeySchema, 'api_keys');

/**
 * When a key was last used, apart from the key: FerretDB's updates rewrite the whole document they read, and a
 * usage write racing a revocation on the key's own document could put the revoked key back in service.
 */
export interface ApiKeyUsageDocument {
  _id: string;
  lastUsedAt: Date;
}

const apiKeyUsageSchema = new Schema<ApiKeyUsageDocument>({
  _id: { type: String, required: true },
  lastUsedAt: { type: Date, required: true },
});

export const apiKeyUsageModel = (connection: Connection) =>
  connection.model<ApiKeyUsageDocument>('ApiKeyUsage', apiKeyUsageSchema, 'api_key_usage');
