import type { Channel, ChannelState } from '../shared/channels';

/** SPEC §4: what a client learns when one channel of its message reaches a final state. */
export interface Ack {
  clientId: string;
  messageId: string;
  workflowId: string;
  channel: Channel;
  state: ChannelState;
  providerMessageId?: string;
  time: string;
  error?: string;
  metadata?: Record<string, string | number | boolean>;
  /** Present for messages that came from Kafka: where the record was read. */
  source?: { topic: string; partition: number; offset: string };
}

/** Stable per channel outcome, so consumers can drop the duplicates that at-least-once delivery allows. */
export const ackEventId = (ack: Ack) => `${ack.workflowId}:${ack.channel}:${ack.state}`;
