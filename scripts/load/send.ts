import { sleep } from './async';

/** Runs `fn` over the items with at most `concurrency` in flight, results in item order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
  onDone?: (done: number) => void,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return results;
}

/**
 * Starts item i at `i / perSecond` seconds, whether earlier calls have answered or not (an open loop: a slow
 * service meets the same arrivals instead of slowing the client down). `maxInFlight` only guards against a
 * runaway; every start it delays counts as late.
 */
export async function mapAtRate<T, R>(
  items: readonly T[],
  perSecond: number,
  fn: (item: T, index: number) => Promise<R>,
  maxInFlight = 500,
): Promise<{ results: R[]; lateStarts: number; elapsedMs: number }> {
  const results: R[] = new Array<R>(items.length);
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  let lateStarts = 0;
  for (let index = 0; index < items.length; index++) {
    const due = started + (index * 1_000) / perSecond;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    if (Date.now() - due > 100) lateStarts++;
    const call: Promise<void> = fn(items[index]!, index).then((result) => {
      results[index] = result;
      inFlight.delete(call);
    });
    inFlight.add(call);
  }
  await Promise.all(inFlight);
  return { results, lateStarts, elapsedMs: Date.now() - started };
}

/** What the Send API answered; status 0 when no answer came (the network lost the request, or it timed out). */
export interface Answer {
  status: number;
  sentAt: number;
  answeredAt: number;
  error?: string;
}

export type Channel = 'email' | 'sms';

/** One Send API call. A lost request is recorded, not thrown, as a client would see it. */
export async function postMessage(
  apiUrl: string,
  apiKey: string,
  channel: Channel,
  body: unknown,
  timeoutMs = 60_000,
): Promise<Answer> {
  const sentAt = Date.now();
  try {
    const response = await fetch(`${apiUrl}/v1/messages/${channel}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return {
      status: response.status,
      sentAt,
      answeredAt: Date.now(),
      ...(response.status === 202 ? {} : { error: text.slice(0, 300) }),
    };
  } catch (err) {
    return { status: 0, sentAt, answeredAt: Date.now(), error: (err as Error).message };
  }
}

/** How many requests got a 202, and what the others answered (the first few, to explain a failed run). */
export function answerSummary(answers: Answer[]) {
  const accepted = answers.filter((a) => a.status === 202).length;
  const others: Record<string, number> = {};
  for (const a of answers) if (a.status !== 202) others[String(a.status)] = (others[String(a.status)] ?? 0) + 1;
  const firstErrors = answers.flatMap((a) => (a.error ? [`${a.status}: ${a.error}`] : [])).slice(0, 3);
  return { accepted, others, firstErrors };
}

export interface SendOptions {
  concurrency: number;
  channel?: Channel;
  timeoutMs?: number;
  /** Called after each answer with how many have come: lets a fault test act mid-burst. */
  onAnswer?: (answered: number) => void;
}

/**
 * Sends a batch through the Send API with `concurrency` requests in flight: the answers in message order and the
 * acceptance rate (202s per second). `apiUrl` may be a function, read at every request, for an API that is
 * restarted on another port meanwhile.
 */
export async function sendBatch(
  apiUrl: string | (() => string),
  apiKey: string,
  messages: readonly unknown[],
  options: SendOptions,
) {
  const url = typeof apiUrl === 'string' ? () => apiUrl : apiUrl;
  const started = Date.now();
  const answers = await mapConcurrent(
    messages,
    options.concurrency,
    (m) => postMessage(url(), apiKey, options.channel ?? 'email', m, options.timeoutMs),
    options.onAnswer,
  );
  const elapsedMs = Date.now() - started;
  const summary = answerSummary(answers);
  return { answers, started, elapsedMs, ...summary, acceptedPerSecond: summary.accepted / (elapsedMs / 1_000) };
}
