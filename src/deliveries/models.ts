import { Schema, type Connection } from 'mongoose';
import type { Channel, ChannelState } from '../shared/channels';
import type { AcceptedChannel } from '../shared/message';
import type { WindowDetail } from '../shared/plan';

/** One record per message and channel: the durable answer to "what happened", kept after workflow retention ends. */
export interface DeliveryRecordDocument {
  _id: string;
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
    _id: { type: String, required: true },
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

/**
 * Serves the listing filtered by state on real MongoDB (equality on clientId and state, then `_id` order). The
 * unfiltered listing needs no index of its own: it is a range of `_id`. FerretDB on SQLite scans for both.
 */
deliveryRecordSchema.index({ clientId: 1, state: 1, _id: 1 }, { name: 'listing_by_state' });

/**
 * The natural key is the `_id`: every read and write is a primary-key lookup. FerretDB (the local stack)
 * answers those from its index (once its build is mended: scripts/stack/ferretdb.ts) and scans for anything else.
 * Identifiers cannot contain `/`, so the key is unambiguous.
 */
export const deliveryRecordId = (clientId: string, messageId: string, channel: Channel) =>
  `${clientId}/${messageId}/${channel}`;

export const deliveryRecordModel = (connection: Connection) =>
  connection.model<DeliveryRecordDocument>('DeliveryRecord', deliveryRecordSchema, 'delivery_records');
