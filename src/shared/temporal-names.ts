import type { Channel } from './channels';

/** SPEC §6: one workflow per message, its ID derived from the client and the message, so a retry cannot start a twin. */
export const messageWorkflowId = (clientId: string, messageId: string) => `msg:${clientId}:${messageId}`;

export const workflowType = 'deliverMessage';

/**
 * Provider calls run on their own queue per channel so each provider's pace is set on its queue. The name
 * follows the workflow's queue, so two deployments (or test runs) on one namespace never share a rate limit.
 */
export const providerTaskQueue = (workflowTaskQueue: string, channel: Channel) => `${workflowTaskQueue}-${channel}`;

/** Failure types the workflow treats as final: the provider said no for good, retrying cannot help. */
export const errorTypes = {
  permanentProviderError: 'PermanentProviderError',
  clientNotFound: 'ClientNotFound',
  /** Not a provider failure: the channel's window closed (or the message expired) between attempts. */
  windowClosed: 'WindowClosed',
  /** The client's webhook refused the ack with a 4xx that a retry will not change. */
  permanentWebhookError: 'PermanentWebhookError',
} as const;
