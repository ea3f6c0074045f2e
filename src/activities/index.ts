import { activityInfo, ApplicationFailure, heartbeat } from '@temporalio/activity';
import type { Ack } from '../acks/ack';
import { postWebhook, WebhookError } from '../acks/webhook';
import type { ClientProfile } from '../shared/profile-schema';
import { redactProfile } from '../clients/profiles';
import { maskEmail, maskPhone, maskToken, type Logger } from '../logging/logger';
import {
  ProviderError,
  type EmailMessage,
  type EmailProvider,
  type ProviderAcceptance,
  type PushMessage,
  type PushProvider,
  type SmsMessage,
  type SmsProvider,
} from '../providers/types';
import type { Channel } from '../shared/channels';
import type { MessageKey } from '../deliveries/records';
import type { ChannelStatus } from '../shared/message';
import { errorTypes } from '../shared/temporal-names';
import type { ChannelPlan } from '../shared/plan';
import { planChannel, type PlanInput } from '../windows/channel-plan';
import { toActivityFailure } from './provider-failure';

export interface ActivityDeps {
  findProfile(clientId: string): Promise<ClientProfile | undefined>;
  writeDeliveryRecord(message: MessageKey, status: ChannelStatus): Promise<void>;
  email: EmailProvider;
  /** Absent when this deployment has no SMS provider configured. */
  sms?: SmsProvider;
  /** Absent when this deployment has no FCM project configured. */
  push?: PushProvider;
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
  /** Push only: devices that took the message and those FCM refused for good (by token position). */
  devices?: { accepted: number; rejected: { index: number; code?: string | number }[] };
}

interface ProviderCallInput {
  clientId: string;
  messageId: string;
  /** ISO instant: no attempt starts at or after it (the window closes, or the message expires). */
  sendBefore?: string;
}

export type SendEmailInput = EmailMessage & ProviderCallInput;
export type SendSmsInput = Omit<SmsMessage, 'statusCallback'> & ProviderCallInput;
export type SendPushInput = Omit<PushMessage, 'token'> & { tokens: string[] } & ProviderCallInput;

/** What a push attempt leaves in its heartbeat, so a retry sends only to the devices that did not answer yet. */
interface PushProgress {
  accepted: Record<number, ProviderAcceptance>;
  rejected: Record<number, ProviderError['details']['code'] | null>;
}

/**
 * Sends to each device token in turn, skipping those an earlier attempt settled. A transient refusal stops the
 * attempt (the provider asked to slow down or is failing) and the retry picks up where it stopped; the message
 * counts as sent when at least one device took it, and fails only when every token was refused for good.
 */
async function sendToDevices(
  push: PushProvider,
  input: SendPushInput,
): Promise<ProviderAcceptance & Required<Pick<SendResult, 'devices'>>> {
  const progress: PushProgress = (activityInfo().heartbeatDetails as PushProgress | undefined) ?? {
    accepted: {},
    rejected: {},
  };
  let lastPermanent: ProviderError | undefined;
  for (const [index, token] of input.tokens.entries()) {
    if (progress.accepted[index] !== undefined || progress.rejected[index] !== undefined) continue;
    try {
      progress.accepted[index] = await push.send({ token, title: input.title, body: input.body, data: input.data });
    } catch (err) {
      if (!(err instanceof ProviderError && err.details.permanent)) throw err;
      progress.rejected[index] = err.details.code ?? null;
      lastPermanent = err;
    } finally {
      heartbeat(progress);
    }
  }
  const accepted = Object.values(progress.accepted);
  const rejected = Object.entries(progress.rejected).map(([index, code]) => ({
    index: Number(index),
    code: code ?? undefined,
  }));
  const first = accepted[0];
  if (!first) {
    throw (
      lastPermanent ??
      new ProviderError('every device token was refused', { channel: 'push', provider: push.name, permanent: true })
    );
  }
  return { ...first, devices: { accepted: accepted.length, rejected } };
}

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

/** A channel whose provider this deployment lacks fails for good: no retry will configure it. */
function configured<P>(provider: P | undefined, channel: string): P {
  if (!provider)
    throw ApplicationFailure.nonRetryable(`no ${channel} provider is configured`, errorTypes.permanentProviderError);
  return provider;
}

/** All activities, built once per worker from real or fake dependencies. */
export function createActivities(deps: ActivityDeps) {
  /** Every provider call: refuse outside the window, call, log with the recipient masked, classify a failure. */
  async function providerCall(
    input: { clientId: string; messageId: string; sendBefore?: string },
    channel: Channel,
    maskedTo: string,
    send: () => Promise<ProviderAcceptance & Pick<SendResult, 'devices'>>,
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

    /** The record first: a retry after a failed publish writes the same record again, which changes nothing. */
    recordAndPublishAck: async (message: MessageKey, status: ChannelStatus, ack: Ack): Promise<void> => {
      await deps.writeDeliveryRecord(message, status);
      await deps.publishAck(ack);
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
      const sms = configured(deps.sms, 'SMS');
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

    /** FCM has no delivery receipts: push ends at `sent` (SPEC §4). */
    sendPush: (input: SendPushInput): Promise<SendResult> => {
      const push = configured(deps.push, 'push');
      return providerCall(input, 'push', input.tokens.map(maskToken).join(','), () => sendToDevices(push, input));
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
