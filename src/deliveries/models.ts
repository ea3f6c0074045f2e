import mongoose, { Schema } from 'mongoose';
import type { Channel, ChannelState } from '../shared/channels';
import type { AcceptedChannel, WindowDetail } from '../shared/message';

/** One record per message and channel: the durable answer to "what happened", kept after workflow retention ends. */
export interface DeliveryRecordDocument {
  clientId: string;
  messageId: string;
  channel: Channel;
  workflowId: string;
  requestHash: string;
  acceptedAt: Date;
  accepted?: AcceptedChannel;
  state: ChannelState;
  notBefore?: Date;
  attempts: number;
  providerMessageId?: string;
  lastError?: string;
  window?: WindowDetail;
  history: { state: ChannelState; at: Date; note?: string }[];
  updatedAt: Date;
}

const deliveryRecordSchema = new Schema<DeliveryRecordDocument>(
  {
    clientId: { type: String, required: true },
    messageId: { type: String, required: true },
    channel: { type: String, required: true },
    workflowId: { type: String, required: true },
    requestHash: { type: String, required: true },
    acceptedAt: { type: Date, required: true },
    accepted: { type: Schema.Types.Mixed },
    state: { type: String, required: true },
    notBefore: Date,
    attempts: { type: Number, required: true },
    providerMessageId: String,
    lastError: String,
    window: { type: Schema.Types.Mixed },
    history: [{ _id: false, state: String, at: Date, note: String }],
  },
  { timestamps: { createdAt: false, updatedAt: true } },
);
deliveryRecordSchema.index({ clientId: 1, messageId: 1, channel: 1 }, { unique: true });

export const DeliveryRecordModel = mongoose.model<DeliveryRecordDocument>(
  'DeliveryRecord',
  deliveryRecordSchema,
  'delivery_records',
);
