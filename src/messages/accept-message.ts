import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { redactProfile } from '../clients/profiles';
import type { DeliveryRecordDocument } from '../deliveries/models';
import type { Logger } from '../logging/logger';
import type { ServiceMetrics } from '../metrics/service-metrics';
import type { Channel } from '../shared/channels';
import type { DeliverMessageInput } from '../shared/message';
import type { ClientProfile } from '../shared/profile-schema';
import { messageWorkflowId } from '../shared/temporal-names';
import { AcceptanceError } from './acceptance-error';
import { assertDeliverable, planAcceptance, type Acceptance } from './acceptance-plan';
import { acceptanceFromRecords, assertSameBody } from './earlier-acceptance';
import type { MessageRequest } from './message-schema';
import { requestHash } from './request-hash';
import { startDelivery } from './start-delivery';

export interface AcceptDeps {
  temporal: Client;
  taskQueue: string;
  supportedChannels: readonly Channel[];
  findProfile(clientId: string): Promise<ClientProfile | undefined>;
  findDeliveryRecords(
    clientId: string,
    messageId: string,
    channels: readonly Channel[],
  ): Promise<DeliveryRecordDocument[]>;
  /** The channels' first records, so that listings show the message before any channel settles. */
  recordAcceptance(input: DeliverMessageInput): Promise<void>;
  logger: Pick<Logger, 'warn'>;
  metrics: Pick<ServiceMetrics, 'messageAccepted'>;
}

export interface AcceptResult {
  acceptance: Acceptance;
  /** False when this is a repeat of an accepted message (same ID, same body): nothing new was started. */
  firstTime: boolean;
}

/** Where a message came from when not from the Send API. */
export interface MessageOrigin {
  /** The Kafka record it was read from; acks of the message carry it (SPEC §4). */
  source?: DeliverMessageInput['source'];
  /** The message ID to use when the message has none, so that a redelivery maps to the same workflow. */
  derivedMessageId?: string;
}

/**
 * Turns a validated request into exactly one `deliverMessage` workflow. Temporal's workflow-ID uniqueness is
 * the idempotency lock, so nothing is written before the start succeeds and a failed start leaves nothing behind;
 * delivery records answer repeats that come after the workflow's retention has ended.
 */
export async function acceptMessage(
  deps: AcceptDeps,
  clientId: string,
  request: MessageRequest,
  origin: MessageOrigin = {},
): Promise<AcceptResult> {
  const stableId = request.messageId ?? origin.derivedMessageId;
  const messageId = stableId ?? randomUUID();
  const profile = await deps.findProfile(clientId);
  if (!profile) throw new AcceptanceError('unknown-client', `client ${clientId} has no profile`);
  const workflowId = messageWorkflowId(clientId, messageId);
  const hash = requestHash({ ...request, clientId, messageId });

  const plan = planAcceptance(
    { messageId, workflowId, clientId },
    request,
    profile,
    deps.supportedChannels,
    Date.now(),
  );

  // The same body selects the same channels, so they name the records a repeat would find. (A repeat without
  // `channels` after the profile changed its enabled set, past workflow retention, can miss them.)
  const records =
    stableId === undefined
      ? []
      : await deps.findDeliveryRecords(
          clientId,
          messageId,
          plan.acceptance.channels.map((c) => c.channel),
        );
  const fromRecords = acceptanceFromRecords(records);
  if (fromRecords) {
    assertSameBody(messageId, hash, records[0]?.requestHash);
    return { acceptance: fromRecords, firstTime: false };
  }
  assertDeliverable(plan);

  const input: DeliverMessageInput = {
    clientId,
    messageId,
    channels: plan.accepted.map(({ channel }) => channel),
    rejected: plan.rejected,
    recipient: request.recipient,
    content: request.content,
    priority: request.priority,
    ...(request.category ? { category: request.category } : {}),
    expiresAt: request.expiresAt,
    metadata: request.metadata,
    acceptedAt: plan.acceptedAt,
    requestHash: hash,
    acceptance: plan.acceptance.channels,
    source: origin.source,
    prepared: { profile: redactProfile(profile), plans: plan.accepted },
  };
  const result = await startDelivery(deps.temporal, deps.taskQueue, input, plan.acceptance);
  if (result.firstTime) {
    for (const channel of input.channels)
      deps.metrics.messageAccepted(clientId, channel, origin.source ? 'kafka' : 'api');
    // After the start, never before: a failed start must leave nothing behind. A failed write is not the
    // client's failure: the workflow started, and its own write at the first settled channel lists the message.
    await deps
      .recordAcceptance(input)
      .catch((err: unknown) =>
        deps.logger.warn({ err, clientId, messageId, workflowId }, 'the acceptance record was not written'),
      );
  }
  return result;
}
