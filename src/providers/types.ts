import type { Channel } from '../shared/channels';

/** What every provider adapter answers when the provider accepted the message. */
export interface ProviderAcceptance {
  providerMessageId: string;
  acceptedAt: string;
}

/**
 * A provider refused the message. `permanent` decides whether a retry can help; `retryAfterMs` carries
 * the provider's own back-off request (Retry-After) when it sent one.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly details: {
      channel: Channel;
      provider: string;
      permanent: boolean;
      status?: number;
      code?: string | number;
      retryAfterMs?: number;
    },
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export interface EmailMessage {
  from: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
  messageStream: string;
  /** Opaque references the provider echoes back in webhooks. */
  metadata: Record<string, string>;
}

export interface EmailProvider {
  channel: 'email';
  name: string;
  send(message: EmailMessage): Promise<ProviderAcceptance>;
}

export interface SmsMessage {
  from: string;
  to: string;
  body: string;
  /** Where the provider reports delivery; absent when receipts are not configured. */
  statusCallback?: string;
}

export interface SmsProvider {
  channel: 'sms';
  name: string;
  send(message: SmsMessage): Promise<ProviderAcceptance>;
}

export interface PushMessage {
  token: string;
  title?: string;
  body?: string;
  data?: Record<string, string>;
}

export interface PushProvider {
  channel: 'push';
  name: string;
  /** One device token per call; the activity fans out over a recipient's tokens. */
  send(message: PushMessage): Promise<ProviderAcceptance>;
}
