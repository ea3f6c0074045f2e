import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import type { Ack } from '../acks/ack';
import { postWebhook, WebhookError } from '../acks/webhook';
import type { ClientProfile } from '../clients/profile-schema';
import { redactProfile } from '../clients/profiles';
import { maskEmail, maskPhone, type Logger } from '../logging/logger';
import type { EmailMessage, EmailProvider, ProviderAcceptance, SmsMessage, SmsProvider } from '../providers/types';
import type { Channel } from '../shared/channels';
import type { MessageKey } from '../deliveries/records';
import type { ChannelStatus } from '../shared/message';
import { errorTypes } from '../shared/temporal-names';
import { planChannel, type ChannelPlan, type PlanInput } from '../windows/channel-plan';
import { toActivityFailure } from './provider-failure';

export interface ActivityDeps {
  findProfile(clientId: string): Promise<ClientProfile | undefined>;
  writeDeliveryRecord(message: MessageKey, status: ChannelStatus): Promise<void>;
  email: EmailProvider;
  /** Absent when this deployment has no SMS provider configured. */
  sms?: SmsProvider;
  publishAck: (ack: Ack) => Promise<void>;
  /**
   * Where providers send delivery receipts; absent: none are requested. `email` says whether Postmark's
   * delivery webhook points at this service (it is set per Postmark server, not per message).
   */
  receipts?: { publicBaseUrl: string; waitMs: number; email: boolean };
  logger: Logger;
}

export interface SendResult extends ProviderAcceptance {
  attempt: number;
  /** Set when the provider was asked for a delivery receipt: how long the workflow should wait for it. */
  receiptWaitMs?: number;
}

interface ProviderCallInput {
  clientId: string;
  messageId: string;
  /** ISO instant: no attempt starts at or after it (the window closes, or the message expires). */
  sendBefore?: string;
}

export type SendEmailInput = EmailMessage & ProviderCallInput;
export type SendSmsInput = Omit<SmsMessage, 'statusCallback'> & ProviderCallInput;

/**
 * Refuses an attempt that would start outside the channel's window. The server's schedule time of the
 * attempt is the clock, so retries delayed by backoff are judged by when they actually run.
 */
function assertStillInWindow(sendBefore: string | undefined): void {
  const { attempt, currentAttemptScheduledTimestampMs } = activityInfo();
  if (sendBefore !== undefined && currentAttemptScheduledTimestampMs >= Date.parse(sendBefore)) {
    throw ApplicationFailure.create({
      message: `window closed at ${sendBefore} before attempt ${attempt}`,
      type: errorTypes.windowClosed,
      nonRetryable: true,
      details: [{ attempt: attempt - 1 }],
    });
  }
}

/** All activities, built once per worker from real or fake dependencies. */
export function createActivities(deps: ActivityDeps) {
  /** Every provider call: refuse outside the window, call, log with the recipient masked, classify a failure. */
  async function providerCall(
    input: { clientId: string; messageId: string; sendBefore?: string },
    channel: Channel,
    maskedTo: string,
    send: () => Promise<ProviderAcceptance>,
    receiptWaitMs?: number,
  ): Promise<SendResult> {
    assertStillInWindow(input.sendBefore);
    const { attempt } = activityInfo();
    const log = deps.logger.child({ clientId: input.clientId, messageId: input.messageId, channel, attempt });
    try {
      const accepted = await send();
      log.info({ to: maskedTo, providerMessageId: accepted.providerMessageId }, 'accepted by provider');
      return { ...accepted, attempt, receiptWaitMs };
    } catch (err) {
      const failure = toActivityFailure(err);
      log.warn({ to: maskedTo, err: failure.message, retryable: !failure.nonRetryable }, 'provider call failed');
      throw failure;
    }
  }

  return {
    loadClientProfile: async (clientId: string): Promise<ClientProfile> => {
      const profile = await deps.findProfile(clientId);
      if (!profile) {
        throw ApplicationFailure.create({
          message: `client ${clientId} has no profile`,
          type: errorTypes.clientNotFound,
          nonRetryable: true,
        });
      }
      // Workflow history is readable by support staff: the webhook secret stays in the database.
      return redactProfile(profile);
    },

    publishAck: (ack: Ack): Promise<void> => deps.publishAck(ack),

    /** POSTs the ack to the client's webhook, reading URL and secret at send time (never from history). */
    deliverWebhook: async (ack: Ack): Promise<void> => {
      const webhook = (await deps.findProfile(ack.clientId))?.webhook;
      if (!webhook) return;
      try {
        await postWebhook(webhook, ack);
      } catch (err) {
        const permanent = err instanceof WebhookError && err.permanent;
        throw ApplicationFailure.create({
          message: (err as Error).message,
          type: permanent ? errorTypes.permanentWebhookError : 'WebhookError',
          nonRetryable: permanent,
        });
      }
    },

    recordDelivery: async (message: MessageKey, status: ChannelStatus): Promise<void> => {
      await deps.writeDeliveryRecord(message, status);
    },

    planChannel: (input: PlanInput): Promise<ChannelPlan> => Promise.resolve(planChannel(input)),

    sendEmail: (input: SendEmailInput): Promise<SendResult> =>
      providerCall(
        input,
        'email',
        maskEmail(input.to),
        () =>
          deps.email.send({
            from: input.from,
            to: input.to,
            subject: input.subject,
            text: input.text,
            html: input.html,
            messageStream: input.messageStream,
            metadata: input.metadata,
          }),
        deps.receipts?.email ? deps.receipts.waitMs : undefined,
      ),

    sendSms: (input: SendSmsInput): Promise<SendResult> => {
      const sms = deps.sms;
      if (!sms)
        throw ApplicationFailure.nonRetryable('no SMS provider is configured', errorTypes.permanentProviderError);
      const { receipts } = deps;
      // The workflow ID rides in the callback URL; Twilio signs the whole URL, so it cannot be swapped.
      const statusCallback = receipts
        ? `${receipts.publicBaseUrl}/v1/callbacks/twilio?workflowId=${encodeURIComponent(activityInfo().workflowExecution?.workflowId ?? '')}`
        : undefined;
      return providerCall(
        input,
        'sms',
        maskPhone(input.to),
        () => sms.send({ from: input.from, to: input.to, body: input.body, statusCallback }),
        receipts?.waitMs,
      );
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
