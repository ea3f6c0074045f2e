import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const ENCODING = 'binary/encrypted';
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export interface EncryptionKey {
  id: string;
  /** 32 bytes: AES-256. */
  key: Buffer;
}

export class UnknownKeyError extends Error {}

/**
 * Encrypts every workflow and activity payload with AES-256-GCM, so history on the server (and anyone who
 * reads it without the keys) sees no recipient, no body. The key id travels in the payload's metadata: the
 * first key encrypts, all keys decrypt, so rotation is "put the new key first and keep the old ones".
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly current: EncryptionKey;
  private readonly byId: Map<string, Buffer>;

  constructor(keys: EncryptionKey[]) {
    const [current] = keys;
    if (!current) throw new Error('at least one encryption key is needed');
    for (const { id, key } of keys) if (key.length !== 32) throw new Error(`key ${id} must be 32 bytes`);
    this.current = current;
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  // async: a failure is a rejected promise, as the SDK expects, never a synchronous throw.
  // eslint-disable-next-line @typescript-eslint/require-await
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: textEncoder.encode(ENCODING),
          'encryption-key-id': textEncoder.encode(this.current.id),
        },
        data: sealed,
      };
    });
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (textDecoder.decode(payload.metadata?.encoding) !== ENCODING) return payload;
      const keyId = textDecoder.decode(payload.metadata?.['encryption-key-id']);
      const key = this.byId.get(keyId);
      if (!key) throw new UnknownKeyError(`payload encrypted with unknown key ${keyId}`);
      const sealed = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const plain = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** `PAYLOAD_ENCRYPTION_KEYS`: `id:base64key,id:base64key`, the current key first. */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const separator = part.indexOf(':');
      const id = part.slice(0, separator);
      const key = Buffer.from(part.slice(separator + 1), 'base64');
      if (separator <= 0 || key.length !== 32)
        throw new Error(`key "${id || part.slice(0, 8)}…" is not id:<32 bytes in base64>`);
      return { id, key };
    });
}
