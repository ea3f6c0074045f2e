import twilio from 'twilio';
import type { Receipt } from '../../shared/message';
import { isMessageWorkflowId } from '../../shared/temporal-names';
import { ReceiptRejected, verifiedCallback, type VerifiedCallback } from '../receipts';

/** The API's route for Twilio's status callbacks; every SMS asks for a URL on it. */
export const twilioCallbackPath = '/v1/callbacks/twilio';

/** The workflow ID rides in the callback URL; Twilio signs the whole URL, so it cannot be swapped. */
export const twilioStatusCallbackUrl = (publicBaseUrl: string, workflowId: string) =>
  `${publicBaseUrl}${twilioCallbackPath}?workflowId=${encodeURIComponent(workflowId)}`;

/**
 * Twilio's final message statuses; queued, sending and sent are progress and change nothing. A Map, so that a
 * status named like an object property (`constructor`) finds nothing.
 */
const outcomes = new Map<string, Receipt['outcome']>([
  ['delivered', 'delivered'],
  ['undelivered', 'failed'],
  ['failed', 'failed'],
]);

/** The parts of a status callback that decide whether it is genuine and what it says. */
export interface TwilioStatusCallback {
  /** The URL Twilio called, as Twilio signed it: behind a proxy, the public URL rather than this server's. */
  url: string;
  /** The URL's query as the route parsed it; `workflowId` is the one this service put there. */
  query: Record<string, unknown>;
  /** `X-Twilio-Signature`. */
  signature: string | undefined;
  /** The form body. */
  params: Record<string, string>;
}

/**
 * The signature (HMAC-SHA1 with the account's auth token over the URL and the form) is checked before anything
 * is read, so whatever an unverified request says, its answer is the same refusal.
 */
export function verifyTwilioStatusCallback(
  authToken: string | undefined,
  callback: TwilioStatusCallback,
): VerifiedCallback {
  const { url, signature, params } = callback;
  const valid =
    authToken !== undefined && signature !== undefined && twilio.validateRequest(authToken, signature, url, params);
  if (!valid) throw new ReceiptRejected('unverified', 'the Twilio signature does not verify');

  const workflowId = typeof callback.query.workflowId === 'string' ? callback.query.workflowId : '';
  if (!isMessageWorkflowId(workflowId) || !params.MessageSid) {
    throw new ReceiptRejected('foreign', 'not a status callback of this service');
  }
  return verifiedCallback(workflowId, {
    channel: 'sms',
    providerMessageId: params.MessageSid,
    outcome: outcomes.get(params.MessageStatus ?? ''),
    error: `Twilio ${params.MessageStatus} ${params.ErrorCode ?? ''}`.trim(),
  });
}
