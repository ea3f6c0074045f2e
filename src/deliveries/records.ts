import type { ChannelStatus, DeliverMessageInput } from '../shared/message';
import { messageWorkflowId } from '../shared/temporal-names';
import { channels, type Channel, type ChannelState } from '../shared/channels';
import type { Model } from 'mongoose';
import { recordListing } from './listing';
import { deliveryRecordId, type DeliveryRecordDocument } from './models';

export type MessageKey = Pick<
  DeliverMessageInput,
  'clientId' | 'messageId' | 'requestHash' | 'acceptedAt' | 'acceptance'
>;

export type DeliveryRecordStore = ReturnType<typeof deliveryRecordStore>;

/** Only duplicate `_id`s: the workflow (or an earlier try) wrote the record first, and its record is the newer. */
const onlyDuplicates = (err: unknown) => {
  const { code, writeErrors } = err as { code?: number; writeErrors?: { code?: number }[] };
  return writeErrors ? writeErrors.every((e) => e.code === 11000) : code === 11000;
};

export function deliveryRecordStore(records: Model<DeliveryRecordDocument>) {
  const findRecord = (clientId: string, messageId: string, channel: Channel) =>
    records.findById(deliveryRecordId(clientId, messageId, channel)).lean<DeliveryRecordDocument>();

  return {
    /**
     * One record per channel as the 202 answered it, written once the workflow started, so that the listing shows
     * messages still waiting or sending. Plain inserts: FerretDB's updates read, then write the whole document,
     * and an upsert here racing the workflow's first write could put the older state back.
     */
    recordAcceptance: async (input: DeliverMessageInput): Promise<void> => {
      const acceptedAt = new Date(input.acceptedAt);
      const workflowId = messageWorkflowId(input.clientId, input.messageId);
      const documents = input.acceptance.map((accepted) => {
        const state = accepted.state as ChannelState;
        return {
          _id: deliveryRecordId(input.clientId, input.messageId, accepted.channel),
          clientId: input.clientId,
          messageId: input.messageId,
          channel: accepted.channel,
          workflowId,
          requestHash: input.requestHash,
          acceptedAt,
          accepted,
          state,
          notBefore: accepted.notBefore ? new Date(accepted.notBefore) : undefined,
          attempts: 0,
          lastError: accepted.reason,
          history: [{ state, at: acceptedAt, ...(accepted.reason ? { note: accepted.reason } : {}) }],
        };
      });
      try {
        await records.insertMany(documents, { ordered: false });
      } catch (err) {
        if (!onlyDuplicates(err)) throw err;
      }
    },

    listDeliveryRecords: recordListing(records),

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
     * A message's records, in channel order. Every channel of a message gets its record at acceptance (or, if that
     * write failed, when it settles), so one lookup tells a new message from a known one: callers that know the message's channels pass them, and a new
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
