import type { ErrorDetail } from '../shared/error-detail';

/**
 * Why a message cannot be accepted, in the domain's words. The Send API answers each with its SPEC §7 status;
 * the Kafka bridge dead-letters the record with the kind as its reason.
 */
export type AcceptanceErrorKind = 'unknown-client' | 'idempotency-conflict' | 'not-deliverable';

export class AcceptanceError extends Error {
  constructor(
    readonly kind: AcceptanceErrorKind,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AcceptanceError';
  }
}
