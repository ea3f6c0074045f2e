import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { Ack } from '../acks/ack';
import type { Activities, SendResult } from '../activities';
import type { ProviderFailureDetails } from '../activities/provider-failure';
import type { ClientProfile } from '../shared/profile-schema';
import { providerOf, type Channel } from '../shared/channels';
import type { DeliverMessageInput, MessageStatus, Receipt } from '../shared/message';
import { DeliveryStatusKey } from '../shared/search-attributes';
import { errorTypes, providerTaskQueue } from '../shared/temporal-names';
import type { ChannelPlan } from '../shared/plan';
import { cancelUpdate, profileChangedSignal, receiptSignal, statusQuery } from './definitions';
import { DeliveryTracker } from './delivery-tracker';
import { currentDetails } from './support-view';

/**
 * Profile reads, record writes and acks on Kafka: short, idempotent, retried until the database or the broker
 * answers. They run as local activities: one marker event each instead of three events and a workflow task,
 * which halves a message's history and the server's work per message (docs/benchmarks.md).
 */
const BOOKKEEPING: LocalActivityOptions = {
  startToCloseTimeout: '15s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
};
/** Histories written before the change used regular activities; they must still replay. */
const LOCAL_BOOKKEEPING_PATCH = 'local-bookkeeping';

/**
 * Window math runs as a local activity, not in workflow code: zone rules come from Node's ICU data, which
 * can change between Node versions, and the recorded result keeps replay deterministic. It also leaves in
 * history which rule and zone set each wait, for support staff. A channel's first plan is acceptance's, made by
 * the same function and recorded in the input, so a message due now costs no planning step.
 */
const PLANNING: LocalActivityOptions = {
  startToCloseTimeout: '5s',
  retry: { initialInterval: '100ms', maximumAttempts: 5 },
};

/**
 * Provider calls: exponential backoff from 1 s to 2 min over 12 attempts (about 15 minutes), so a provider
 * outage of several minutes is ridden out; permanent provider errors and a closed window stop at once.
 */
const PROVIDER_CALL: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '2m',
    maximumAttempts: 12,
    nonRetryableErrorTypes: [errorTypes.permanentProviderError, errorTypes.windowClosed],
  },
};

/** Client webhooks: retried for about 1½ hours; a 4xx other than 408/429 is the client's final word. */
const WEBHOOK: ActivityOptions = {
  startToCloseTimeout: '15s',
  retry: {
    initialInterval: '5s',
    backoffCoefficient: 2,
    maximumInterval: '15m',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [errorTypes.permanentWebhookError],
  },
};

const localBookkeeping = proxyLocalActivities<Activities>(BOOKKEEPING);
const remoteBookkeeping = proxyActivities<Activities>(BOOKKEEPING);
const webhooks = proxyActivities<Activities>(WEBHOOK);
const planning = proxyLocalActivities<Activities>(PLANNING);
const provider = (channel: Channel) =>
  proxyActivities<Activities>({
    ...PROVIDER_CALL,
    taskQueue: providerTaskQueue(workflowInfo().taskQueue, channel),
    summary: `${channel} to ${providerOf[channel]}`,
  });

function sendOn(
  channel: Channel,
  input: DeliverMessageInput,
  profile: ClientProfile,
  sendBefore: string | undefined,
): Promise<SendResult> {
  const call = { clientId: input.clientId, messageId: input.messageId, sendBefore };
  const { email, sms, push } = input.content;
  const emailSettings = profile.channels.email;
  if (channel === 'email' && email && emailSettings?.from && input.recipient.email) {
    return provider('email').sendEmail({
      ...call,
      from: emailSettings.from,
      to: input.recipient.email,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageStream: emailSettings.messageStream,
      metadata: { clientId: input.clientId, messageId: input.messageId },
    });
  }
  const smsSettings = profile.channels.sms;
  if (channel === 'sms' && sms && smsSettings?.from && input.recipient.phone) {
    return provider('sms').sendSms({ ...call, from: smsSettings.from, to: input.recipient.phone, body: sms.body });
  }
  if (channel === 'push' && push && profile.channels.push && input.recipient.pushTokens) {
    return provider('push').sendPush({ ...call, tokens: input.recipient.pushTokens, ...push });
  }
  throw ApplicationFailure.nonRetryable(`channel ${channel} cannot be sent with this profile and message`);
}

/** Push sent to some devices: tell the client which of its tokens to drop (positions in recipient.pushTokens). */
function refusedDevices({ devices }: SendResult): string | undefined {
  if (!devices?.rejected.length) return undefined;
  const refused = devices.rejected.map(({ index, code }) => `pushTokens[${index}] ${code ?? 'refused'}`).join(', ');
  return `sent to ${devices.accepted} device(s); refused for good: ${refused}`;
}

/** Reads what the activity reported about its last attempt, wherever it sits in the failure chain. */
function failureOf(err: unknown): { reason: string; type?: string; attempts: number } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.[0] as ProviderFailureDetails | undefined;
    return { reason: cause.message, type: cause.type ?? undefined, attempts: details?.attempt ?? 0 };
  }
  return { reason: err instanceof Error ? err.message : String(err), attempts: 0 };
}

export async function deliverMessage(input: DeliverMessageInput): Promise<MessageStatus> {
  const tracker = new DeliveryTracker(input, () => new Date().toISOString());
  const { prepared } = input;
  // Versioned by the input rather than by `patched()`, which would cost every message a marker and a search
  // attribute update: a message accepted with `prepared` was never run by the code before it.
  const bookkeeping = () =>
    prepared !== undefined || patched(LOCAL_BOOKKEEPING_PATCH) ? localBookkeeping : remoteBookkeeping;
  let cancelRequested = false;
  // Bumped by every profile change; a waiting channel wakes when it moves and re-plans.
  let profileGeneration = 0;
  let loadedGeneration = prepared ? 0 : -1;
  let profile: ClientProfile | undefined = prepared?.profile;
  // Each channel's plan from acceptance, good for its first pass while the profile is still acceptance's.
  const acceptancePlans = new Map(prepared?.plans.map(({ channel, plan }) => [channel, plan]));
  let profileError: string | undefined;
  let loading: Promise<void> | undefined;

  /** The state support staff filter on (a search attribute) and read on the workflow's page (current details). */
  // Each upsert is a history event: only a change of the overall state is worth one.
  let publishedState = 'scheduled';
  const publishState = () => {
    const snapshot = tracker.snapshot();
    if (snapshot.state !== publishedState) {
      upsertSearchAttributes([{ key: DeliveryStatusKey, value: snapshot.state }]);
      publishedState = snapshot.state;
    }
    setCurrentDetails(currentDetails(snapshot));
  };
  const unfinished = () => tracker.snapshot().channels.some((c) => c.state === 'scheduled');

  setHandler(statusQuery, () => tracker.snapshot());
  setHandler(profileChangedSignal, () => {
    profileGeneration++;
  });
  // Kept until matched: a receipt can overtake the completion of the send that caused it. Bounded, so a
  // flood of stray receipts cannot grow the workflow's state without limit.
  const receipts: Receipt[] = [];
  setHandler(receiptSignal, (receipt) => {
    if (receipts.length < 50) receipts.push(receipt);
  });
  setHandler(cancelUpdate, async () => {
    cancelRequested = true;
    // Channels already handed to a provider finish; waiting ones end `cancelled` before the answer.
    await condition(() => !unfinished());
    return tracker.snapshot();
  });

  const currentProfile = async (): Promise<ClientProfile | undefined> => {
    while (loadedGeneration !== profileGeneration) {
      loading ??= (async () => {
        const generation = profileGeneration;
        try {
          profile = await bookkeeping().loadClientProfile.executeWithOptions(
            { summary: `profile of ${input.clientId}` },
            [input.clientId],
          );
          profileError = undefined;
        } catch (err) {
          profile = undefined;
          profileError = failureOf(err).reason;
        }
        loadedGeneration = generation;
      })().finally(() => (loading = undefined));
      await loading;
    }
    return profile;
  };

  const messageKey = {
    clientId: input.clientId,
    messageId: input.messageId,
    requestHash: input.requestHash,
    acceptedAt: input.acceptedAt,
    acceptance: input.acceptance,
  };
  /** A final state is written to MongoDB first, then announced on Kafka and to the client's webhook. */
  const settle = async (channel: Channel) => {
    const status = tracker.get(channel);
    if (!status) return;
    const outcome = `${channel} ${status.state}`;
    const ack: Ack = {
      clientId: input.clientId,
      messageId: input.messageId,
      workflowId: workflowInfo().workflowId,
      channel,
      state: status.state,
      providerMessageId: status.providerMessageId,
      time: status.updatedAt,
      error: status.lastError,
      metadata: input.metadata,
      source: input.source,
    };
    const webhook = () =>
      profile?.webhook
        ? webhooks.deliverWebhook
            .executeWithOptions({ summary: `ack ${outcome} to the client's webhook` }, [ack])
            .catch((err: unknown) => log.warn('webhook gave up', { channel, error: failureOf(err).reason }))
        : undefined;
    if (prepared) {
      // One local activity for both writes: one activation and one history event fewer per channel.
      await localBookkeeping.recordAndPublishAck.executeWithOptions({ summary: `record ${outcome}, ack on Kafka` }, [
        messageKey,
        status,
        ack,
      ]);
      await webhook();
      return;
    }
    await bookkeeping().recordDelivery.executeWithOptions({ summary: `record ${outcome}` }, [messageKey, status]);
    await Promise.all([
      bookkeeping().publishAck.executeWithOptions({ summary: `ack ${outcome} on Kafka` }, [ack]),
      webhook(),
    ]);
  };

  /** After `sent`, wait a while for the provider's receipt; without one in time the channel stays `sent`. */
  const awaitReceipt = async (channel: Channel, providerMessageId: string, waitMs: number) => {
    publishState();
    const matching = () => receipts.find((r) => r.channel === channel && r.providerMessageId === providerMessageId);
    const summary = `${channel} awaits ${providerOf[channel]}'s receipt for ${providerMessageId}`;
    if (!(await condition(() => matching() !== undefined, waitMs, { summary }))) return;
    const receipt = matching();
    if (receipt?.outcome === 'delivered') tracker.transition(channel, 'delivered');
    else
      tracker.transition(channel, 'failed', {
        lastError: receipt?.error ?? 'the provider reported the message undelivered',
      });
  };

  /** One channel from acceptance to a final state: plan, wait durably, send, and again when the window closed. */
  const deliverChannel = async (channel: Channel) => {
    let attempts = 0;
    for (;;) {
      if (cancelRequested) {
        tracker.transition(channel, 'cancelled', { lastError: 'cancelled before it was sent' });
        return;
      }
      const current = await currentProfile();
      if (!current) {
        tracker.transition(channel, 'rejected', { lastError: profileError ?? 'client profile not found' });
        return;
      }
      const planned = current === prepared?.profile ? acceptancePlans.get(channel) : undefined;
      acceptancePlans.delete(channel);
      const plan: ChannelPlan =
        planned ??
        (await planning.planChannel.executeWithOptions({ summary: `${channel} window` }, [
          {
            profile: current,
            channel,
            recipientTimezone: input.recipient.timezone,
            priority: input.priority,
            expiresAt: input.expiresAt,
            acceptedAt: input.acceptedAt,
            now: Date.now(),
          },
        ]));
      if (cancelRequested) continue;
      if (plan.action === 'reject' || plan.action === 'expire') {
        const state = plan.action === 'reject' ? 'rejected' : 'expired';
        tracker.transition(channel, state, { lastError: plan.reason, window: plan.window });
        return;
      }
      if (plan.action === 'wait') {
        tracker.transition(channel, 'scheduled', { notBefore: plan.notBefore, window: plan.window });
        publishState();
        const generation = profileGeneration;
        // A durable timer: the wait survives worker and server restarts, and wakes early on a change.
        await condition(
          () => cancelRequested || profileGeneration !== generation,
          Math.max(1, Date.parse(plan.notBefore) - Date.now()),
          { summary: `${channel} waits until ${plan.notBefore} (${plan.window.rule ?? plan.window.zone})` },
        );
        // Re-read the profile at wake-up too: a change made while this workflow was not yet visible to the
        // re-plan search sent it no signal.
        loadedGeneration = -1;
        continue;
      }
      tracker.transition(channel, 'sending', { window: plan.window });
      publishState();
      try {
        const result = await sendOn(channel, input, current, plan.sendBefore);
        tracker.transition(channel, 'sent', {
          attempts: attempts + result.attempt,
          providerMessageId: result.providerMessageId,
          lastError: refusedDevices(result),
        });
        if (result.receiptWaitMs !== undefined)
          await awaitReceipt(channel, result.providerMessageId, result.receiptWaitMs);
        return;
      } catch (err) {
        const failure = failureOf(err);
        attempts += failure.attempts;
        if (failure.type !== errorTypes.windowClosed) {
          tracker.transition(channel, 'failed', { lastError: failure.reason, attempts });
          return;
        }
        // The window closed between retries: the next attempt waits for the next opening.
      }
    }
  };

  publishState();
  await currentProfile();
  await Promise.all(input.rejected.map(({ channel }) => settle(channel)));
  await Promise.all(
    input.channels.map(async (channel) => {
      await deliverChannel(channel);
      publishState();
      await settle(channel);
    }),
  );
  return tracker.snapshot();
}
