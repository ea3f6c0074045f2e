import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import type { ClientProfile } from '../clients/profile-schema';
import { maskEmail, type Logger } from '../logging/logger';
import type { EmailMessage, EmailProvider, ProviderAcceptance } from '../providers/types';
import type { ChannelStatus, DeliverMessageInput } from '../shared/message';
import { errorTypes } from '../shared/temporal-names';
import { toActivityFailure } from './provider-failure';

export interface ActivityDeps {
  findProfile(clientId: string): Promise<ClientProfile | undefined>;
  writeDeliveryRecord(
    message: Pick<DeliverMessageInput, 'clientId' | 'messageId' | 'requestHash' | 'acceptedAt'>,
    status: ChannelStatus,
  ): Promise<void>;
  email: EmailProvider;
  logger: Logger;
}

export interface SendResult extends ProviderAcceptance {
  attempt: number;
}

export type SendEmailInput = EmailMessage & { clientId: string; messageId: string };

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
      return profile;
    },

    recordDelivery: async (
      message: Parameters<ActivityDeps['writeDeliveryRecord']>[0],
      status: ChannelStatus,
    ): Promise<void> => {
      await deps.writeDeliveryRecord(message, status);
    },

    sendEmail: async (input: SendEmailInput): Promise<SendResult> => {
      const { attempt } = activityInfo();
      const log = deps.logger.child({
        clientId: input.clientId,
        messageId: input.messageId,
        channel: 'email',
        attempt,
      });
      try {
        const accepted = await deps.email.send(input);
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
