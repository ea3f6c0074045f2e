import type { Client } from '@temporalio/client';
import type { Logger } from '../logging/logger';
import { profileChangedSignal } from '../workflows/definitions';

/**
 * After a profile change, every running message of that client re-plans. Found through the ClientId search
 * attribute; each is signalled, so a message whose window moved earlier wakes earlier. Runs after the
 * admin request has been answered: visibility and signals take time, the profile write does not wait for them.
 *
 * At very large counts per client a server-side batch signal (Temporal's batch operations) does the same
 * without listing in this process.
 */
export async function replanWaitingMessages(temporal: Client, clientId: string, logger: Logger): Promise<number> {
  let signalled = 0;
  const query = `ClientId = '${clientId}' AND ExecutionStatus = 'Running'`;
  for await (const workflow of temporal.workflow.list({ query })) {
    try {
      await temporal.workflow.getHandle(workflow.workflowId, workflow.runId).signal(profileChangedSignal);
      signalled++;
    } catch (err) {
      // It finished between the list and the signal: nothing to re-plan.
      logger.debug({ err, workflowId: workflow.workflowId }, 'could not signal profile change');
    }
  }
  logger.info({ clientId, signalled }, 'waiting messages re-planned after a profile change');
  return signalled;
}
