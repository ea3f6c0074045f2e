import type { Model, QueryFilter } from 'mongoose';
import type { Channel, ChannelState } from '../shared/channels';
import type { DeliveryRecordDocument } from './models';

export interface RecordFilter {
  state?: ChannelState;
  channel?: Channel;
  /** acceptedAt ≥ since */
  since?: Date;
  /** acceptedAt < until */
  until?: Date;
}

export interface RecordPage {
  records: DeliveryRecordDocument[];
  /** The `_id` to continue after; undefined on the last page. */
  after?: string;
}

/**
 * A tenant's records in primary-key order. `_id` is `clientId/messageId/channel` and identifiers cannot hold `/`,
 * so [`clientId/`, `clientId0`) holds exactly this tenant's records (`0` follows `/`), and an `_id` is an immutable,
 * unique position: records inserted while a client pages land before or after its cursor, never shift it.
 */
export const recordListing =
  (records: Model<DeliveryRecordDocument>) =>
  async (clientId: string, filter: RecordFilter, limit: number, after?: string): Promise<RecordPage> => {
    const acceptedAt = {
      ...(filter.since ? { $gte: filter.since } : {}),
      ...(filter.until ? { $lt: filter.until } : {}),
    };
    const query: QueryFilter<DeliveryRecordDocument> = {
      // clientId as well as the range: it lets real MongoDB use the listing index when a state is asked for.
      clientId,
      _id: { $gt: after ?? `${clientId}/`, $lt: `${clientId}0` },
      ...(filter.state ? { state: filter.state } : {}),
      ...(filter.channel ? { channel: filter.channel } : {}),
      ...(Object.keys(acceptedAt).length > 0 ? { acceptedAt } : {}),
    };
    const found = await records
      .find(query)
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<DeliveryRecordDocument[]>();
    const page = found.slice(0, limit);
    return { records: page, after: found.length > limit ? page.at(-1)?._id : undefined };
  };
