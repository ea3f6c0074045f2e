import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import type { ProviderAcceptance } from '../providers/types';
import type { Channel } from '../shared/channels';
import { errorTypes } from '../shared/temporal-names';
import type { ActivityDeps } from './deps';
import { providerOutcome, toActivityFailure } from './provider-failure';

export interface SendResult extends ProviderAcceptance {
  attempt: number;
  /** Set when the provider was asked for a delivery receipt: how long the workflow should wait for it. */
  receiptWaitMs?: number;
  /** Push only: devices that took the message and those FCM refused for good (by token position). */
  devices?: { accepted: number; rejected: { index: number; code?: string | number }[] };
}

export interface ProviderCallInput {
  clientId: string;
  messageId: string;
  /** ISO instant: no attempt starts at or after it (the window closes, or the message expires). */
  sendBefore?: string;
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
export function configured<P>(provider: P | undefined, channel: string): P {
  if (!provider)
    throw ApplicationFailure.nonRetryable(`no ${channel} provider is configured`, errorTypes.permanentProviderError);
  return provider;
}

/** Every provider call: refuse outside the window, call, log with the recipient masked, classify a failure. */
export async function providerCall(
  { logger, metrics }: Pick<ActivityDeps, 'logger' | 'metrics'>,
  input: ProviderCallInput,
  channel: Channel,
  maskedTo: string,
  send: () => Promise<ProviderAcceptance & Pick<SendResult, 'devices'>>,
  receiptWaitMs?: number,
): Promise<SendResult> {
  assertStillInWindow(input.sendBefore);
  const { attempt, workflowExecution } = activityInfo();
  const log = logger.child({
    workflowId: workflowExecution?.workflowId,
    clientId: input.clientId,
    messageId: input.messageId,
    channel,
    attempt,
  });
  const started = performance.now();
  const took = () => (performance.now() - started) / 1000;
  try {
    const accepted = await send();
    metrics.providerRequest(channel, 'ok', took());
    log.info({ to: maskedTo, providerMessageId: accepted.providerMessageId }, 'accepted by provider');
    return { ...accepted, attempt, receiptWaitMs };
  } catch (err) {
    const failure = toActivityFailure(err);
    metrics.providerRequest(channel, providerOutcome(err, failure), took());
    log.warn({ to: maskedTo, err: failure.message, retryable: !failure.nonRetryable }, 'provider call failed');
    throw failure;
  }
}
