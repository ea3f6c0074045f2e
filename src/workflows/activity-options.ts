import type { ActivityOptions, LocalActivityOptions, RetryPolicy } from '@temporalio/workflow';
import { errorTypes } from '../shared/temporal-names';

const BOOKKEEPING_TIMEOUT = '15s';
const BOOKKEEPING_RETRY: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' };

/**
 * Profile reads, record writes and acks on Kafka: short, idempotent, retried until the database or the broker
 * answers. They run as local activities: one marker event each instead of three events and a workflow task,
 * which halves a message's history and the server's work per message (docs/benchmarks.md).
 */
export const BOOKKEEPING: LocalActivityOptions = {
  startToCloseTimeout: BOOKKEEPING_TIMEOUT,
  retry: BOOKKEEPING_RETRY,
};

/** The same limits for histories written before bookkeeping went local, which ran it as regular activities. */
export const REMOTE_BOOKKEEPING: ActivityOptions = {
  startToCloseTimeout: BOOKKEEPING_TIMEOUT,
  retry: BOOKKEEPING_RETRY,
};

/**
 * Window math runs as a local activity, not in workflow code: zone rules come from Node's ICU data, which
 * can change between Node versions, and the recorded result keeps replay deterministic. It also leaves in
 * history which rule and zone set each wait, for support staff. A channel's first plan is acceptance's, made by
 * the same function and recorded in the input, so a message due now costs no planning step.
 */
export const PLANNING: LocalActivityOptions = {
  startToCloseTimeout: '5s',
  retry: { initialInterval: '100ms', maximumAttempts: 5 },
};

/**
 * Provider calls: exponential backoff from 1 s to 2 min over 12 attempts (about 15 minutes), so a provider
 * outage of several minutes is ridden out; permanent provider errors and a closed window stop at once.
 */
export const PROVIDER_CALL: ActivityOptions = {
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
export const WEBHOOK: ActivityOptions = {
  startToCloseTimeout: '15s',
  retry: {
    initialInterval: '5s',
    backoffCoefficient: 2,
    maximumInterval: '15m',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [errorTypes.permanentWebhookError],
  },
};
