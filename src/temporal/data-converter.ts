import type { DataConverter } from '@temporalio/common';
import type { TemporalConfig } from '../config';
import { EncryptionCodec, parseEncryptionKeys } from '../codec/encryption-codec';

/** Loaded by path: workflow code gets it through the bundle, the rest of the worker and clients by `require`. */
export const failureConverterPath = require.resolve('../codec/failure-converter');

/** The one data converter of the client, the workers and the bridge: they must agree, or history is unreadable. */
export const dataConverterFor = (config: TemporalConfig): DataConverter => ({
  failureConverterPath,
  payloadCodecs: config.PAYLOAD_ENCRYPTION_KEYS
    ? [new EncryptionCodec(parseEncryptionKeys(config.PAYLOAD_ENCRYPTION_KEYS))]
    : [],
});
