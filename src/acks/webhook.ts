import { createHmac } from 'node:crypto';
import { ackEventId, type Ack } from './ack';

export const signatureHeader = 'X-Comm-Signature';
export const timestampHeader = 'X-Comm-Timestamp';
export const eventIdHeader = 'X-Comm-Event-Id';

/**
 * `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` with the client's webhook secret. The timestamp is
 * signed too, so a receiver can refuse replays older than it tolerates.
 */
export const webhookSignature = (secret: string, timestamp: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

export class WebhookError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

/** One POST of one ack. 2xx is done; 408, 429 and 5xx or no answer may be retried; other 4xx will not change. */
export async function postWebhook(
  webhook: { url: string; secret: string },
  ack: Ack,
  now = new Date(),
  timeoutMs = 10_000,
): Promise<void> {
  const body = JSON.stringify(ack);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  let response: Response;
  try {
    response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [signatureHeader]: webhookSignature(webhook.secret, timestamp, body),
        [timestampHeader]: timestamp,
        [eventIdHeader]: ackEventId(ack),
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new WebhookError(`webhook unreachable: ${(err as Error).message}`, false);
  }
  await response.body?.cancel();
  if (response.ok) return;
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
  throw new WebhookError(`webhook answered ${response.status}`, !retryable);
}
