import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { EncryptionCodec, parseEncryptionKeys } from './encryption-codec';

/** The one data converter of the client, the workers and the bridge: they must agree, or history is unreadable. */
export const dataConverterFor = (config: Config): DataConverter | undefined =>
  config.PAYLOAD_ENCRYPTION_KEYS
    ? { payloadCodecs: [new EncryptionCodec(parseEncryptionKeys(config.PAYLOAD_ENCRYPTION_KEYS))] }
    : undefined;
