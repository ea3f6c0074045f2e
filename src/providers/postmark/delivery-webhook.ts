import { timingSafeEqual } from 'node:crypto';
import { messageWorkflowId } from '../../shared/temporal-names';
import { ReceiptRejected, verifiedCallback, type VerifiedCallback } from '../receipts';

/** The API's route for Postmark's Delivery and Bounce webhooks (set per Postmark server, not per message). */
export const postmarkCallbackPath = '/v1/callbacks/postmark';

/** The basic-auth credentials configured on the Postmark webhook; Postmark signs nothing else. */
export interface PostmarkWebhookCredentials {
  user: string;
  password: string;
}

interface PostmarkWebhook {
  RecordType?: string;
  MessageID?: string;
  Metadata?: { clientId?: string; messageId?: string };
  Type?: string;
  Description?: string;
}

function basicAuthMatches(header: string | undefined, expected: PostmarkWebhookCredentials | undefined) {
  if (!expected) return false;
  const want = Buffer.from(`Basic ${Buffer.from(`${expected.user}:${expected.password}`).toString('base64')}`);
  const got = Buffer.from(header ?? '');
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * Checks the credentials before reading the event. The workflow is found from the `Metadata` the email was sent
 * with (clientId, messageId): Postmark echoes it back on every webhook of that message.
 */
export function verifyPostmarkWebhook(
  credentials: PostmarkWebhookCredentials | undefined,
  authorization: string | undefined,
  body: unknown,
): VerifiedCallback {
  if (!basicAuthMatches(authorization, credentials)) {
    throw new ReceiptRejected('unverified', 'the Postmark webhook credentials do not match');
  }
  const event = (body ?? {}) as PostmarkWebhook;
  const { clientId, messageId } = event.Metadata ?? {};
  if (!clientId || !messageId || !event.MessageID) {
    throw new ReceiptRejected('foreign', 'not a webhook for a message of this service');
  }
  return verifiedCallback(messageWorkflowId(clientId, messageId), {
    channel: 'email',
    providerMessageId: event.MessageID,
    outcome: event.RecordType === 'Delivery' ? 'delivered' : event.RecordType === 'Bounce' ? 'failed' : undefined,
    error: `Postmark ${event.Type ?? 'bounce'}: ${event.Description ?? ''}`.trim(),
  });
}
