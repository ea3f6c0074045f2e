import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { DeliverMessageInput } from '../shared/message';
import { ChannelsKey, ClientIdKey, DeliveryStatusKey, MessageIdKey } from '../shared/search-attributes';
import { workflowType } from '../shared/temporal-names';
import { startDetails, startSummary } from '../workflows/support-view';
import type { Acceptance } from './acceptance-plan';
import { assertSameBody } from './earlier-acceptance';

/**
 * Starts the message's one workflow. Temporal's workflow-ID uniqueness is the idempotency lock: a start that
 * finds the workflow already there answers with what the first start answered, kept in its memo.
 */
export async function startDelivery(
  temporal: Client,
  taskQueue: string,
  input: DeliverMessageInput,
  acceptance: Acceptance,
): Promise<{ acceptance: Acceptance; firstTime: boolean }> {
  const { workflowId } = acceptance;
  try {
    await temporal.workflow.start(workflowType, {
      workflowId,
      taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      staticSummary: startSummary(input),
      staticDetails: startDetails(input),
      // The first answer is kept with the workflow (no PII in it) so a repeat gets exactly that answer back.
      memo: { requestHash: input.requestHash, acceptance },
      typedSearchAttributes: [
        { key: ClientIdKey, value: input.clientId },
        { key: MessageIdKey, value: input.messageId },
        { key: ChannelsKey, value: input.channels },
        { key: DeliveryStatusKey, value: 'scheduled' },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const { memo } = await temporal.workflow.getHandle(workflowId).describe();
    assertSameBody(input.messageId, input.requestHash, memo?.requestHash);
    return { acceptance: memo?.acceptance as Acceptance, firstTime: false };
  }
  return { acceptance, firstTime: true };
}
