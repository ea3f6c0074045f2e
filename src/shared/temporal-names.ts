import type { Channel } from './channels';

const messageWorkflowPrefix = 'msg:';

/** SPEC §6: one workflow per message, its ID derived from the client and the message, so a retry cannot start a twin. */
export const messageWorkflowId = (clientId: string, messageId: string) =>
  `${messageWorkflowPrefix}${clientId}:${messageId}`;

/** Whether an ID names a message's workflow: receipts carry one back, and only those may be signalled. */
export const isMessageWorkflowId = (workflowId: string) => workflowId.startsWith(messageWorkflowPrefix);

export const workflowType = 'deliverMessage';

/**
 * Provider calls run on their own queue per channel so each provider's pace is set on its queue. The name
 * follows the workflow's queue, so two deployments (or test runs) on one namespace never share a rate limit.
 */
export const providerTaskQueue = (workflowTaskQueue: string, channel: Channel) => `${workflowTaskQueue}-${channel}`;

/**
 * Every failure type the activities raise, in one list. The values are in recorded histories, so they never
 * change; the permanent ones are what the workflow's retry policies treat as final.
 */
export const errorTypes = {
  /** The provider said no for good: retrying cannot help. */
  permanentProviderError: 'PermanentProviderError',
  /** The provider failed or asked to slow down: retried under the activity's policy. */
  transientProviderError: 'TransientProviderError',
  clientNotFound: 'ClientNotFound',
  /** Not a provider failure: the channel's window closed (or the message expired) between attempts. */
  windowClosed: 'WindowClosed',
  /** The client's webhook refused the ack with a 4xx that a retry will not change. */
  permanentWebhookError: 'PermanentWebhookError',
  /** The client's webhook failed in a way a later attempt may not (408, 429, 5xx, no answer). */
  webhookError: 'WebhookError',
} as const;
