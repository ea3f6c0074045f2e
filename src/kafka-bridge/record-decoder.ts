import { hasProtoKey, protoKeyMessage } from '../shared/json-safety';
import { issueDetails, messageSchema, type MessageRequest } from '../messages/message-schema';
import type { Channel } from '../shared/channels';
import { withImpliedChannel } from '../messages/implied-channel';

/** Why a record went to the dead-letter topic (header `dlq-reason`). */
export type DeadLetterReason =
  'empty-record' | 'invalid-json' | 'schema-violation' | 'unknown-client' | 'not-deliverable' | 'idempotency-conflict';

export type DecodedRecord =
  { ok: true; clientId: string; request: MessageRequest } | { ok: false; reason: DeadLetterReason; detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const dead = (reason: DeadLetterReason, detail: string): DecodedRecord => ({ ok: false, reason, detail });

/**
 * A record's value is the Send API's body (SPEC §2) with `clientId` required. On a per-channel topic the
 * channel is implied: a record may omit `channels` or name that channel alone.
 */
export function decodeRecord(value: Buffer | null, impliedChannel?: Channel): DecodedRecord {
  if (value === null || value.length === 0) return dead('empty-record', 'the record has no value');
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(value));
  } catch (err) {
    // Also catches invalid UTF-8 and the RangeError of absurdly deep nesting.
    return dead('invalid-json', `the value is not UTF-8 JSON: ${(err as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return dead('schema-violation', 'the value must be a JSON object');
  }
  if (hasProtoKey(json)) return dead('schema-violation', protoKeyMessage);
  const parsed = messageSchema.safeParse(json);
  if (!parsed.success) {
    const issues = issueDetails(parsed.error).map(({ path, issue }) => `${path}: ${issue}`);
    return dead('schema-violation', issues.join('; '));
  }
  const { clientId } = parsed.data;
  if (clientId === undefined) return dead('schema-violation', 'clientId: is required on Kafka');
  const implied = withImpliedChannel(parsed.data, impliedChannel);
  if (!implied.ok) return dead('schema-violation', `channels: ${implied.issue} on this topic`);
  return { ok: true, clientId, request: implied.request };
}
