import type { ChannelStatus, DeliverMessageInput } from '../shared/message';
import { messageWorkflowId } from '../shared/temporal-names';
import { channels, type Channel } from '../shared/channels';
import type { Model } from 'mongoose';
import { deliveryRecordId, type DeliveryRecordDocument } from './models';

export type MessageKey = Pick<
  DeliverMessageInput,
  'clientId' | 'messageId' | 'requestHash' | 'acceptedAt' | 'acceptance'
>;

export type DeliveryRecordStore = ReturnType<typeof deliveryRecordStore>;

export function deliveryRecordStore(records: Model<DeliveryRecordDocument>) {
  const findRecord = (clientId: string, messageId: string, channel: Channel) =>
    records.findById(deliveryRecordId(clientId, messageId, channel)).lean<DeliveryRecordDocument>();

  return {
    /** Idempotent upsert: the workflow may record the same state twice when an activity is retried. */
    writeDeliveryRecord: async (message: MessageKey, status: ChannelStatus): Promise<void> => {
      const { clientId, messageId, requestHash, acceptedAt, acceptance } = message;
      await records.updateOne(
        { _id: deliveryRecordId(clientId, messageId, status.channel) },
        {
          $set: {
            clientId,
            messageId,
            channel: status.channel,
            workflowId: messageWorkflowId(clientId, messageId),
            requestHash,
            acceptedAt: new Date(acceptedAt),
            accepted: acceptance.find((a) => a.channel === status.channel),
            state: status.state,
            notBefore: status.notBefore ? new Date(status.notBefore) : undefined,
            attempts: status.attempts,
            providerMessageId: status.providerMessageId,
            lastError: status.lastError,
            window: status.window,
            history: status.history.map((h) => ({ ...h, at: new Date(h.at) })),
          },
        },
        { upsert: true },
      );
    },

    /**
     * A message's records, in channel order. Every channel of a message gets its record when it settles, so one
     * lookup tells a new message from a known one: callers that know the message's channels pass them, and a new
     * message (the common case) costs a single primary-key read.
     */
    findDeliveryRecords: async (
      clientId: string,
      messageId: string,
      messageChannels: readonly Channel[] = channels,
    ): Promise<DeliveryRecordDocument[]> => {
      const ordered = [...new Set(messageChannels)].sort();
      for (const [index, channel] of ordered.entries()) {
        const first = await findRecord(clientId, messageId, channel);
        if (!first) continue;
        const rest = await Promise.all(ordered.slice(index + 1).map((c) => findRecord(clientId, messageId, c)));
        return [first, ...rest.filter((record) => record !== null)];
      }
      return [];
    },
  };
}

export const toChannelStatus = (record: DeliveryRecordDocument): ChannelStatus => ({
  channel: record.channel,
  state: record.state,
  notBefore: record.notBefore?.toISOString(),
  attempts: record.attempts,
  providerMessageId: record.providerMessageId,
  lastError: record.lastError,
  window: record.window,
  updatedAt: record.updatedAt.toISOString(),
  history: record.history.map((h) => ({ state: h.state, at: new Date(h.at).toISOString(), note: h.note })),
});
