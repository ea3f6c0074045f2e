import { createHash } from 'node:crypto';
import { identifier } from '../shared/schema-primitives';

/** Where a record sits: carried into its message's acks (SPEC §4) and its dead letter's headers. */
export interface SourceCoordinates {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * A record without a messageId is named by where it sits, so its redelivery maps to the same workflow. Topic
 * names can be longer than an identifier allows; those are hashed.
 */
export function derivedMessageId({ topic, partition, offset }: SourceCoordinates): string {
  const plain = `kafka.${topic}.${partition}.${offset}`;
  if (identifier.safeParse(plain).success) return plain;
  return `kafka.${createHash('sha256').update(topic).digest('hex').slice(0, 32)}.${partition}.${offset}`;
}
