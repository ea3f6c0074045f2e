import type { Receipt } from '../shared/message';

/**
 * A provider callback refused before it reaches a workflow: `unverified` when nothing proves the provider sent
 * it, `foreign` when it verifies but is not about a message this service sent. The message is the client's answer.
 */
export class ReceiptRejected extends Error {
  constructor(
    readonly reason: 'unverified' | 'foreign',
    message: string,
  ) {
    super(message);
    this.name = 'ReceiptRejected';
  }
}

/** A callback that passed its provider's check: the workflow it belongs to and, for a final status, the receipt. */
export interface VerifiedCallback {
  workflowId: string;
  /** Absent for progress reports (queued, sending, other record types): they tell the workflow nothing. */
  receipt?: Receipt;
}
