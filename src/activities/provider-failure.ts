import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import { maskAddressesIn } from '../logging/mask-text';
import { ProviderError } from '../providers/types';
import { errorTypes } from '../shared/temporal-names';

/** Details every provider failure carries to the workflow, so the status API can show attempts and the provider's code. */
export interface ProviderFailureDetails {
  attempt: number;
  provider?: string;
  status?: number;
  code?: string | number;
}

/**
 * Turns an adapter's verdict into Temporal's: permanent errors stop retries at once, transient ones retry
 * under the activity's policy, sooner or later as the provider's Retry-After asks. Providers quote recipients in
 * their messages; the message is masked here, before it reaches history, the delivery record and the acks.
 */
export function toActivityFailure(err: unknown): ApplicationFailure {
  const attempt = activityInfo().attempt;
  if (!(err instanceof ProviderError)) {
    return ApplicationFailure.create({
      message: maskAddressesIn(String((err as Error)?.message ?? err)),
      details: [{ attempt }],
    });
  }
  const { permanent, provider, status, code, retryAfterMs } = err.details;
  const details: ProviderFailureDetails = { attempt, provider, status, code };
  return ApplicationFailure.create({
    message: maskAddressesIn(err.message),
    type: permanent ? errorTypes.permanentProviderError : errorTypes.transientProviderError,
    nonRetryable: permanent,
    details: [details],
    nextRetryDelay: retryAfterMs,
  });
}

// Node's socket and undici's timeouts, axios's (Twilio) and fetch's abort (Postmark), by code or name.
const timeoutCodes = new Set([
  'ETIMEDOUT',
  'ECONNABORTED',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The provider request histogram's outcome of a failed call. */
export function providerOutcome(err: unknown, failure: ApplicationFailure): 'permanent' | 'transient' | 'timeout' {
  if (failure.nonRetryable) return 'permanent';
  const { code, name } = (err ?? {}) as { code?: unknown; name?: unknown };
  const providerCode = err instanceof ProviderError ? err.details.code : undefined;
  const timedOut =
    name === 'TimeoutError' ||
    [code, providerCode].some((c) => typeof c === 'string' && timeoutCodes.has(c)) ||
    /timed? ?out/i.test(String((err as Error)?.message));
  return timedOut ? 'timeout' : 'transient';
}
