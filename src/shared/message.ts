import type { ClientProfile } from './profile-schema';
import type { ChannelPlan, WindowDetail } from './plan';
import type { Channel, ChannelState } from './channels';

/** Workflow and activity payloads are plain JSON: ISO strings for instants, no class instances. */
export interface Recipient {
  phone?: string;
  email?: string;
  pushTokens?: string[];
  timezone?: string;
  /** ISO 3166-1 alpha-2; wins over what the phone number suggests (issue 18). */
  country?: string;
  /** ISO 3166-2 such as US-FL; wins over the area code's state. */
  region?: string;
}

export interface MessageContent {
  sms?: { body: string };
  email?: { subject: string; text?: string; html?: string };
  push?: { title?: string; body?: string; data?: Record<string, string> };
}

export type Priority = 'normal' | 'urgent';

export interface RejectedChannel {
  channel: Channel;
  reason: string;
}

/** One channel as the `202` answered it: kept so a repeat of the request gets the same answer. */
export interface AcceptedChannel {
  channel: Channel;
  state: string;
  notBefore?: string;
  reason?: string;
}

/** One accepted channel and what acceptance planned for it. */
export interface PlannedChannel {
  channel: Channel;
  plan: ChannelPlan;
}

/** What the API (or the Kafka bridge) hands to the workflow once a message has been accepted. */
export interface DeliverMessageInput {
  clientId: string;
  messageId: string;
  channels: Channel[];
  rejected: RejectedChannel[];
  recipient: Recipient;
  content: MessageContent;
  priority: Priority;
  /** Absent: `transactional`. */
  category?: string;
  expiresAt?: string;
  metadata?: Record<string, string | number | boolean>;
  acceptedAt: string;
  /** Fingerprint of the accepted request, kept so a repeat with the same messageId can be told apart from a conflict. */
  requestHash: string;
  acceptance: AcceptedChannel[];
  /** Kafka coordinates of the record the message came from, carried into its acks. */
  source?: { topic: string; partition: number; offset: string };
  /**
   * The profile acceptance read (webhook secret removed) and the plan it made for each accepted channel: the
   * workflow starts from them instead of reading and planning again. Absent from messages accepted before it
   * existed; their histories hold the older steps, which the workflow keeps for them.
   */
  prepared?: { profile: ClientProfile; plans: PlannedChannel[] };
}

export interface ChannelStatus {
  channel: Channel;
  state: ChannelState;
  notBefore?: string;
  window?: WindowDetail;
  attempts: number;
  providerMessageId?: string;
  lastError?: string;
  updatedAt: string;
  history: { state: ChannelState; at: string; note?: string }[];
}

export interface MessageStatus {
  clientId: string;
  messageId: string;
  workflowId: string;
  state: string;
  acceptedAt: string;
  channels: ChannelStatus[];
}

/** A provider's delivery receipt, verified by the API and passed to the workflow as a signal. */
export interface Receipt {
  channel: Channel;
  providerMessageId: string;
  outcome: 'delivered' | 'failed';
  error?: string;
}
