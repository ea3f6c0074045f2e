import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Activities, SendResult } from '../activities';
import type { ClientProfile } from '../clients/profile-schema';
import type { Channel } from '../shared/channels';
import type { DeliverMessageInput, MessageStatus } from '../shared/message';
import { DeliveryStatusKey } from '../shared/search-attributes';
import { errorTypes, providerTaskQueue } from '../shared/temporal-names';
import type { ProviderFailureDetails } from '../activities/provider-failure';
import { statusQuery } from './definitions';
import { DeliveryTracker } from './delivery-tracker';

/** Profile reads and record writes: short, idempotent, retried until the database answers. */
const BOOKKEEPING: ActivityOptions = {
  startToCloseTimeout: '15s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
};

/**
 * Provider calls: exponential backoff from 1 s to 2 min over 12 attempts (about 15 minutes), so a provider
 * outage of several minutes is ridden out; permanent provider errors are non-retryable and stop at once.
 */
const PROVIDER_CALL: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '2m',
    maximumAttempts: 12,
    nonRetryableErrorTypes: [errorTypes.permanentProviderError],
  },
};

const bookkeeping = proxyActivities<Activities>(BOOKKEEPING);
const emailProvider = proxyActivities<Activities>({ ...PROVIDER_CALL, taskQueue: providerTaskQueue('email') });

function sendOn(channel: Channel, input: DeliverMessageInput, profile: ClientProfile): Promise<SendResult> {
  const email = input.content.email;
  const settings = profile.channels.email;
  if (channel === 'email' && email && settings?.from && input.recipient.email) {
    return emailProvider.sendEmail({
      clientId: input.clientId,
      messageId: input.messageId,
      from: settings.from,
      to: input.recipient.email,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageStream: settings.messageStream,
      metadata: { clientId: input.clientId, messageId: input.messageId },
    });
  }
  throw ApplicationFailure.nonRetryable(`channel ${channel} cannot be sent with this profile and message`);
}

/** Reads what the activity reported about its last attempt, wherever it sits in the failure chain. */
function failureDetails(err: unknown): { reason: string; attempts?: number } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.[0] as ProviderFailureDetails | undefined;
    return { reason: cause.message, attempts: details?.attempt };
  }
  return { reason: err instanceof Error ? err.message : String(err) };
}

export async function deliverMessage(input: DeliverMessageInput): Promise<MessageStatus> {
  const tracker = new DeliveryTracker(input, () => new Date().toISOString());
  setHandler(statusQuery, () => tracker.snapshot());
  const publishState = () => upsertSearchAttributes([{ key: DeliveryStatusKey, value: tracker.snapshot().state }]);
  const messageKey = {
    clientId: input.clientId,
    messageId: input.messageId,
    requestHash: input.requestHash,
    acceptedAt: input.acceptedAt,
  };
  const record = async (channel: Channel) => {
    const status = tracker.get(channel);
    if (status) await bookkeeping.recordDelivery(messageKey, status);
  };

  await Promise.all(input.rejected.map(({ channel }) => record(channel)));

  let profile: ClientProfile | undefined;
  let profileError: string | undefined;
  try {
    profile = await bookkeeping.loadClientProfile(input.clientId);
  } catch (err) {
    profileError = failureDetails(err).reason;
  }

  await Promise.all(
    input.channels.map(async (channel) => {
      if (!profile) {
        tracker.transition(channel, 'failed', { lastError: profileError });
      } else {
        tracker.transition(channel, 'sending');
        publishState();
        try {
          const result = await sendOn(channel, input, profile);
          tracker.transition(channel, 'sent', {
            attempts: result.attempt,
            providerMessageId: result.providerMessageId,
          });
        } catch (err) {
          const { reason, attempts } = failureDetails(err);
          tracker.transition(channel, 'failed', { lastError: reason, attempts });
        }
      }
      publishState();
      await record(channel);
    }),
  );
  return tracker.snapshot();
}
