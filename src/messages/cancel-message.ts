import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { MessageStatus } from '../shared/message';
import { messageWorkflowId } from '../shared/temporal-names';
import { cancelUpdate } from '../workflows/definitions';

/**
 * SPEC §2 DELETE: channels still waiting end `cancelled`; channels already with a provider are left to finish.
 * A message that already finished is answered with its status unchanged.
 */
export async function cancelMessage(
  temporal: Client,
  clientId: string,
  messageId: string,
  currentStatus: (clientId: string, messageId: string) => Promise<MessageStatus | undefined>,
): Promise<MessageStatus | undefined> {
  const handle = temporal.workflow.getHandle(messageWorkflowId(clientId, messageId));
  let running: boolean;
  try {
    running = (await handle.describe()).status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return currentStatus(clientId, messageId);
    throw err;
  }
  if (!running) return currentStatus(clientId, messageId);
  try {
    return await handle.executeUpdate(cancelUpdate);
  } catch (err) {
    // It finished between the describe and the update (the update is refused on a closed workflow).
    if ((await handle.describe()).status.name !== 'RUNNING') return currentStatus(clientId, messageId);
    throw err;
  }
}
