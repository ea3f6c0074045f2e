import mongoose, { Schema } from 'mongoose';
import type { ClientProfile } from './profile-schema';

/** The profile is validated by its zod schema before it is written; Mongo keeps it as one document. */
export interface ClientProfileDocument {
  clientId: string;
  profile: ClientProfile;
  revision: number;
  updatedAt: Date;
}

export const ClientProfileModel = mongoose.model<ClientProfileDocument>(
  'ClientProfile',
  new Schema<ClientProfileDocument>(
    {
      clientId: { type: String, required: true, unique: true },
      profile: { type: Schema.Types.Mixed, required: true },
      revision: { type: Number, required: true },
    },
    { timestamps: true, minimize: false },
  ),
  'client_profiles',
);

export interface ApiKeyDocument {
  keyId: string;
  clientId: string;
  secretHash: string;
  createdAt: Date;
  revokedAt?: Date;
}

export const ApiKeyModel = mongoose.model<ApiKeyDocument>(
  'ApiKey',
  new Schema<ApiKeyDocument>(
    {
      keyId: { type: String, required: true, unique: true },
      clientId: { type: String, required: true, index: true },
      secretHash: { type: String, required: true },
      revokedAt: { type: Date },
    },
    { timestamps: { createdAt: true, updatedAt: false } },
  ),
  'api_keys',
);
