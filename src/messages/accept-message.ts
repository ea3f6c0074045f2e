import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { ClientProfile } from '../shared/profile-schema';
import { redactProfile } from '../clients/profiles';
import type { DeliveryRecordDocument } from '../deliveries/models';
import type { Channel } from '../shared/channels';
import type { AcceptedChannel, DeliverMessageInput } from '../shared/message';
import { ChannelsKey, ClientIdKey, DeliveryStatusKey, MessageIdKey } from '../shared/search-attributes';
import { messageWorkflowId, workflowType } from '../shared/temporal-names';
import { planChannel } from '../windows/channel-plan';
import { AcceptanceError } from './acceptance-error';
import { selectChannels } from './channel-selection';
import type { MessageRequest } from './message-schema';
import { requestHash } from './request-hash';
import { startDetails, startSummary } from '../workflows/support-view';

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
}

export interface Acceptance {
  messageId: string;
  workflowId: string;
  clientId: string;
  channels: AcceptedChannel[];
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

/** After workflow retention only the records remain: each keeps what the 202 said of its channel. */
const acceptanceFromRecords = (records: DeliveryRecordDocument[]): Acceptance | undefined => {
  const [first] = records;
  if (!first) return undefined;
  return {
    messageId: first.messageId,
    workflowId: first.workflowId,
    clientId: first.clientId,
    channels: records.map((r) => r.accepted ?? { channel: r.channel, state: r.history[0]?.state ?? r.state }),
  };
};

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

  const now = Date.now();
  const acceptedAt = new Date(now).toISOString();
  const selection = selectChannels(request, profile, deps.supportedChannels);
  const planned = selection.channels.map((channel) => ({
    channel,
    plan: planChannel({
      profile,
      channel,
      recipientTimezone: request.recipient.timezone,
      priority: request.priority,
      expiresAt: request.expiresAt,
      acceptedAt,
      now,
    }),
  }));
  // `outside: reject` refuses a channel at acceptance, like a channel that is not enabled.
  const rejected = [
    ...selection.rejected,
    ...planned.flatMap(({ channel, plan }) => (plan.action === 'reject' ? [{ channel, reason: plan.reason }] : [])),
  ];
  const accepted = planned.filter(({ plan }) => plan.action !== 'reject');
  const initialAcceptance: Acceptance = {
    messageId,
    workflowId,
    clientId,
    channels: [
      ...accepted.map(({ channel, plan }) =>
        plan.action === 'expire'
          ? { channel, state: 'expired', reason: plan.reason }
          : { channel, state: 'scheduled', notBefore: plan.action === 'wait' ? plan.notBefore : acceptedAt },
      ),
      ...rejected.map(({ channel, reason }) => ({ channel, state: 'rejected', reason })),
    ],
  };

  const checkSameBody = (storedHash: unknown) => {
    if (storedHash !== hash)
      throw new AcceptanceError(
        'idempotency-conflict',
        `messageId ${messageId} was already used with a different body`,
      );
  };

  // The same body selects the same channels, so they name the records a repeat would find. (A repeat without
  // `channels` after the profile changed its enabled set, past workflow retention, can miss them.)
  const records =
    stableId === undefined
      ? []
      : await deps.findDeliveryRecords(
          clientId,
          messageId,
          initialAcceptance.channels.map((c) => c.channel),
        );
  const fromRecords = acceptanceFromRecords(records);
  if (fromRecords) {
    checkSameBody(records[0]?.requestHash);
    return { acceptance: fromRecords, firstTime: false };
  }

  if (!accepted.some(({ plan }) => plan.action !== 'expire')) {
    throw new AcceptanceError('not-deliverable', 'no channel of this message can be delivered', [
      ...rejected.map((r) => ({ path: `channels.${r.channel}`, issue: r.reason })),
      ...accepted.map(({ channel, plan }) => ({
        path: `channels.${channel}`,
        issue: plan.action === 'expire' ? plan.reason : '',
      })),
    ]);
  }

  const input: DeliverMessageInput = {
    clientId,
    messageId,
    channels: accepted.map(({ channel }) => channel),
    rejected,
    recipient: request.recipient,
    content: request.content,
    priority: request.priority,
    expiresAt: request.expiresAt,
    metadata: request.metadata,
    acceptedAt,
    requestHash: hash,
    acceptance: initialAcceptance.channels,
    source: origin.source,
    prepared: { profile: redactProfile(profile), plans: accepted },
  };
  try {
    await deps.temporal.workflow.start(workflowType, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      staticSummary: startSummary(input),
      staticDetails: startDetails(input),
      // The first answer is kept with the workflow (no PII in it) so a repeat gets exactly that answer back.
      memo: { requestHash: hash, acceptance: initialAcceptance },
      typedSearchAttributes: [
        { key: ClientIdKey, value: clientId },
        { key: MessageIdKey, value: messageId },
        { key: ChannelsKey, value: accepted.map(({ channel }) => channel) },
        { key: DeliveryStatusKey, value: 'scheduled' },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const { memo } = await deps.temporal.workflow.getHandle(workflowId).describe();
    checkSameBody(memo?.requestHash);
    return { acceptance: memo?.acceptance as Acceptance, firstTime: false };
  }

  return { acceptance: initialAcceptance, firstTime: true };
}
