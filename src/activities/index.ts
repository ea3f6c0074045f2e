import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import type { Ack } from '../acks/ack';
import { postWebhook, WebhookError } from '../acks/webhook';
import type { ClientProfile } from '../clients/profile-schema';
import { redactProfile } from '../clients/profiles';
import { maskEmail, type Logger } from '../logging/logger';
import type { EmailMessage, EmailProvider, ProviderAcceptance } from '../providers/types';
import type { MessageKey } from '../deliveries/records';
import type { ChannelStatus } from '../shared/message';
import { errorTypes } from '../shared/temporal-names';
import { planChannel, type ChannelPlan, type PlanInput } from '../windows/channel-plan';
import { toActivityFailure } from './provider-failure';

export interface ActivityDeps {
  findProfile(clientId: string): Promise<ClientProfile | undefined>;
  writeDeliveryRecord(message: MessageKey, status: ChannelStatus): Promise<void>;
  email: EmailProvider;
  publishAck: (ack: Ack) => Promise<void>;
  logger: Logger;
}

export interface SendResult extends ProviderAcceptance {
  attempt: number;
}

export type SendEmailInput = EmailMessage & {
  clientId: string;
  messageId: string;
  /** ISO instant: no attempt starts at or after it (the window closes, or the message expires). */
  sendBefore?: string;
};

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

    sendEmail: async (input: SendEmailInput): Promise<SendResult> => {
      assertStillInWindow(input.sendBefore);
      const { attempt } = activityInfo();
      const log = deps.logger.child({
        clientId: input.clientId,
        messageId: input.messageId,
        channel: 'email',
        attempt,
      });
      try {
        const accepted = await deps.email.send({
          from: input.from,
          to: input.to,
          subject: input.subject,
          text: input.text,
          html: input.html,
          messageStream: input.messageStream,
          metadata: input.metadata,
        });
        log.info(
          { to: maskEmail(input.to), providerMessageId: accepted.providerMessageId },
          'email accepted by provider',
        );
        return { ...accepted, attempt };
      } catch (err) {
        const failure = toActivityFailure(err);
        log.warn(
          { to: maskEmail(input.to), err: failure.message, retryable: !failure.nonRetryable },
          'email send failed',
        );
        throw failure;
      }
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
