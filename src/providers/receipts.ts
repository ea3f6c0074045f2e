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

/**
 * What a verified callback tells the workflow: nothing without a final outcome, and the provider's reason only
 * with a failure.
 */
export function verifiedCallback(
  workflowId: string,
  status: Omit<Receipt, 'outcome' | 'error'> & { outcome: Receipt['outcome'] | undefined; error: string },
): VerifiedCallback {
  const { channel, providerMessageId, outcome, error } = status;
  if (!outcome) return { workflowId };
  return { workflowId, receipt: { channel, providerMessageId, outcome, ...(outcome === 'failed' ? { error } : {}) } };
}
