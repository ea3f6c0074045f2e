import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The SDKs turn error responses into exceptions without their headers, so a provider's Retry-After would be
 * lost. Each adapter runs its SDK call inside `captureRetryAfter`; the adapter's HTTP hook (a fetch wrapper
 * or a request client) reports the header to the call it belongs to, even with many calls in flight.
 */
const current = new AsyncLocalStorage<{ retryAfterMs?: number }>();

export async function captureRetryAfter<T>(
  call: () => Promise<T>,
): Promise<{ result?: T; error?: unknown; retryAfterMs?: number }> {
  const store: { retryAfterMs?: number } = {};
  return current.run(store, async () => {
    try {
      return { result: await call(), retryAfterMs: store.retryAfterMs };
    } catch (error) {
      return { error, retryAfterMs: store.retryAfterMs };
    }
  });
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function reportRetryAfter(header: string | null | undefined): void {
  const store = current.getStore();
  const ms = parseRetryAfter(header);
  if (store && ms !== undefined) store.retryAfterMs = ms;
}
