import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { ClientProfile } from '../clients/profile-schema';
import { conflict, notFound, unprocessable } from '../api/http-error';
import type { DeliveryRecordDocument } from '../deliveries/models';
import type { Channel } from '../shared/channels';
import type { DeliverMessageInput, MessageStatus } from '../shared/message';
import { ChannelsKey, ClientIdKey, DeliveryStatusKey, MessageIdKey } from '../shared/search-attributes';
import { messageWorkflowId, workflowType } from '../shared/temporal-names';
import { selectChannels } from './channel-selection';
import type { MessageRequest } from './message-schema';
import { requestHash } from './request-hash';

export interface AcceptDeps {
  temporal: Client;
  taskQueue: string;
  supportedChannels: readonly Channel[];
  findProfile(clientId: string): Promise<ClientProfile | undefined>;
  findDeliveryRecords(clientId: string, messageId: string): Promise<DeliveryRecordDocument[]>;
  currentStatus(clientId: string, messageId: string): Promise<MessageStatus | undefined>;
}

export interface Acceptance {
  messageId: string;
  workflowId: string;
  clientId: string;
  channels: { channel: Channel; state: string; notBefore?: string; reason?: string }[];
}

const acceptanceFromStatus = (status: MessageStatus): Acceptance => ({
  messageId: status.messageId,
  workflowId: status.workflowId,
  clientId: status.clientId,
  channels: status.channels.map((c) => ({
    channel: c.channel,
    state: c.state,
    notBefore: c.notBefore,
    ...(c.state === 'rejected' ? { reason: c.lastError } : {}),
  })),
});

/**
 * Turns a validated request into exactly one `deliverMessage` workflow. Temporal's workflow-ID uniqueness is
 * the idempotency lock, so nothing is written before the start succeeds and a failed start leaves nothing behind;
 * delivery records answer repeats that come after the workflow's retention has ended.
 */
export async function acceptMessage(deps: AcceptDeps, clientId: string, request: MessageRequest): Promise<Acceptance> {
  const profile = await deps.findProfile(clientId);
  if (!profile) throw notFound(`client ${clientId} has no profile`);

  const messageId = request.messageId ?? randomUUID();
  const workflowId = messageWorkflowId(clientId, messageId);
  const hash = requestHash({ ...request, clientId, messageId });

  const replay = async (storedHash: string | undefined): Promise<Acceptance> => {
    if (storedHash !== hash) throw conflict(`messageId ${messageId} was already used with a different body`);
    const status = await deps.currentStatus(clientId, messageId);
    if (!status) throw conflict(`messageId ${messageId} is being accepted by a concurrent request`);
    return acceptanceFromStatus(status);
  };

  if (request.messageId !== undefined) {
    const [record] = await deps.findDeliveryRecords(clientId, messageId);
    if (record) return replay(record.requestHash);
  }

  const selection = selectChannels(request, profile, deps.supportedChannels);
  if (selection.channels.length === 0) {
    throw unprocessable(
      'no channel of this message can be delivered',
      selection.rejected.map((r) => ({ path: `channels.${r.channel}`, issue: r.reason })),
    );
  }

  const acceptedAt = new Date().toISOString();
  const input: DeliverMessageInput = {
    clientId,
    messageId,
    channels: selection.channels,
    rejected: selection.rejected,
    recipient: request.recipient,
    content: request.content,
    priority: request.priority,
    expiresAt: request.expiresAt,
    metadata: request.metadata,
    acceptedAt,
    requestHash: hash,
  };
  try {
    await deps.temporal.workflow.start(workflowType, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      memo: { requestHash: hash },
      typedSearchAttributes: [
        { key: ClientIdKey, value: clientId },
        { key: MessageIdKey, value: messageId },
        { key: ChannelsKey, value: selection.channels },
        { key: DeliveryStatusKey, value: 'scheduled' },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const description = await deps.temporal.workflow.getHandle(workflowId).describe();
    return replay(description.memo?.requestHash as string | undefined);
  }

  return {
    messageId,
    workflowId,
    clientId,
    channels: [
      ...selection.channels.map((channel) => ({ channel, state: 'scheduled', notBefore: acceptedAt })),
      ...selection.rejected.map(({ channel, reason }) => ({ channel, state: 'rejected', reason })),
    ],
  };
}
