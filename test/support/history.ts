import type { WorkflowHandle } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';

/** Every string and every byte field (decoded as UTF-8) in a value, walked without the protobuf toJSON. */
function texts(value: unknown, out: string[], seen = new Set<object>()): void {
  if (typeof value === 'string') out.push(value);
  else if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (typeof value === 'object' && value !== null && !seen.has(value)) {
    seen.add(value);
    for (const child of Object.values(value)) texts(child, out, seen);
  }
}

/** Replaces every encoded payload in a value, in place, by what `codec` decodes it to. */
async function decodePayloads(value: unknown, codec: PayloadCodec, seen = new Set<object>()): Promise<void> {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  for (const [key, child] of Object.entries(value)) {
    if (isPayload(child)) [(value as Record<string, unknown>)[key]] = await codec.decode([child]);
    else if (Array.isArray(child) && child.every(isPayload))
      (value as Record<string, unknown>)[key] = await codec.decode(child);
    else await decodePayloads(child, codec, seen);
  }
}

const isPayload = (value: unknown): value is Payload =>
  typeof value === 'object' && value !== null && 'metadata' in value && 'data' in value;

/**
 * A workflow's history as text, payload bytes read as UTF-8. Raw, it is what anyone with read access to the
 * namespace sees; decoded with `codec`, what staff see through the codec server.
 */
export async function historyText(handle: WorkflowHandle, codec?: PayloadCodec): Promise<string> {
  const history = await handle.fetchHistory();
  if (codec) await decodePayloads(history, codec);
  const out: string[] = [];
  texts(history, out);
  return out.join('\n');
}

/** The ids of the keys that encrypted a workflow's payloads, read from the payloads' metadata. */
export async function encryptionKeyIds(handle: WorkflowHandle): Promise<Set<string>> {
  const ids = new Set<string>();
  const visit = (value: unknown, seen: Set<object>): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    const keyId = isPayload(value) ? value.metadata?.['encryption-key-id'] : undefined;
    if (keyId) ids.add(Buffer.from(keyId).toString());
    for (const child of Object.values(value)) visit(child, seen);
  };
  visit(await handle.fetchHistory(), new Set());
  return ids;
}
