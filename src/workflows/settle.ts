import { log, workflowInfo } from '@temporalio/workflow';
import type { Ack } from '../acks/ack';
import type { Channel } from '../shared/channels';
import type { ChannelStatus, DeliverMessageInput } from '../shared/message';
import { failureOf } from './failure';
import type { MessageRun } from './message-run';
import { localBookkeeping, webhooks } from './proxies';

const messageKeyOf = (input: DeliverMessageInput) => ({
  clientId: input.clientId,
  messageId: input.messageId,
  requestHash: input.requestHash,
  acceptedAt: input.acceptedAt,
  acceptance: input.acceptance,
});

const ackOf = (input: DeliverMessageInput, status: ChannelStatus): Ack => ({
  clientId: input.clientId,
  messageId: input.messageId,
  workflowId: workflowInfo().workflowId,
  channel: status.channel,
  state: status.state,
  providerMessageId: status.providerMessageId,
  time: status.updatedAt,
  error: status.lastError,
  metadata: input.metadata,
  source: input.source,
});

/** A final state is written to MongoDB first, then announced on Kafka and to the client's webhook. */
export async function settle({ input, tracker, profiles, bookkeeping }: MessageRun, channel: Channel): Promise<void> {
  const status = tracker.get(channel);
  if (!status) return;
  const outcome = `${channel} ${status.state}`;
  const messageKey = messageKeyOf(input);
  const ack = ackOf(input, status);
  // The profile as last read, when the ack is ready: a webhook added or removed meanwhile counts.
  const webhook = () =>
    profiles.latest?.webhook
      ? webhooks.deliverWebhook
          .executeWithOptions({ summary: `ack ${outcome} to the client's webhook` }, [ack])
          .catch((err: unknown) => log.warn('webhook gave up', { channel, error: failureOf(err).reason }))
      : undefined;
  if (input.prepared) {
    // One local activity for both writes: one activation and one history event fewer per channel.
    await localBookkeeping.recordAndPublishAck.executeWithOptions({ summary: `record ${outcome}, ack on Kafka` }, [
      messageKey,
      status,
      ack,
    ]);
    await webhook();
    return;
  }
  await bookkeeping().recordDelivery.executeWithOptions({ summary: `record ${outcome}` }, [messageKey, status]);
  await Promise.all([
    bookkeeping().publishAck.executeWithOptions({ summary: `ack ${outcome} on Kafka` }, [ack]),
    webhook(),
  ]);
}
