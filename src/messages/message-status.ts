import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { toChannelStatus, type DeliveryRecordStore } from '../deliveries/records';
import { isFinal } from '../shared/channels';
import type { MessageStatus } from '../shared/message';
import { messageWorkflowId } from '../shared/temporal-names';
import { overallState } from '../workflows/overall-state';
import { statusQuery } from '../workflows/definitions';

/**
 * Finished messages are answered from their delivery records (which outlive workflow retention);
 * messages still in flight from the workflow's `status` query, which is always current.
 */
export async function messageStatus(
  deps: { temporal: Client; findDeliveryRecords: DeliveryRecordStore['findDeliveryRecords'] },
  clientId: string,
  messageId: string,
): Promise<MessageStatus | undefined> {
  const { temporal } = deps;
  const records = await deps.findDeliveryRecords(clientId, messageId);
  const fromRecords = (): MessageStatus | undefined => {
    const [first] = records;
    if (!first) return undefined;
    const channels = records.map(toChannelStatus);
    return {
      clientId,
      messageId,
      workflowId: first.workflowId,
      state: overallState(channels.map((c) => c.state)),
      acceptedAt: first.acceptedAt.toISOString(),
      channels,
    };
  };
  if (records.length > 0 && records.every((r) => isFinal(r.state))) return fromRecords();
  try {
    return await temporal.workflow.getHandle(messageWorkflowId(clientId, messageId)).query(statusQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return fromRecords();
    throw err;
  }
}
