import type { ChannelStatus, DeliverMessageInput } from '../shared/message';
import { messageWorkflowId } from '../shared/temporal-names';
import { DeliveryRecordModel, type DeliveryRecordDocument } from './models';

export type MessageKey = Pick<
  DeliverMessageInput,
  'clientId' | 'messageId' | 'requestHash' | 'acceptedAt' | 'acceptance'
>;

/** Idempotent upsert: the workflow may record the same state twice when an activity is retried. */
export async function writeDeliveryRecord(message: MessageKey, status: ChannelStatus): Promise<void> {
  const { clientId, messageId, requestHash, acceptedAt, acceptance } = message;
  await DeliveryRecordModel.updateOne(
    { clientId, messageId, channel: status.channel },
    {
      $set: {
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
}

export const findDeliveryRecords = (clientId: string, messageId: string) =>
  DeliveryRecordModel.find({ clientId, messageId }).sort({ channel: 1 }).lean<DeliveryRecordDocument[]>();

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
