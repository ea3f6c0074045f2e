import type { DeliveryRecordDocument } from '../deliveries/models';
import type { Acceptance } from './acceptance-plan';
import { AcceptanceError } from './acceptance-error';

/** A repeat of a messageId must carry the body it was first accepted with; anything else is a conflict (409). */
export function assertSameBody(messageId: string, hash: string, storedHash: unknown): void {
  if (storedHash !== hash)
    throw new AcceptanceError('idempotency-conflict', `messageId ${messageId} was already used with a different body`);
}

/** After workflow retention only the records remain: each keeps what the 202 said of its channel. */
export const acceptanceFromRecords = (records: DeliveryRecordDocument[]): Acceptance | undefined => {
  const [first] = records;
  if (!first) return undefined;
  return {
    messageId: first.messageId,
    workflowId: first.workflowId,
    clientId: first.clientId,
    channels: records.map((r) => r.accepted ?? { channel: r.channel, state: r.history[0]?.state ?? r.state }),
  };
};
