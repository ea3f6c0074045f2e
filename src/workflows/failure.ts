import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { ProviderFailureDetails } from '../activities/provider-failure';

export interface Failure {
  reason: string;
  type?: string;
  attempts: number;
}

/** Reads what the activity reported about its last attempt, wherever it sits in the failure chain. */
export function failureOf(err: unknown): Failure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.[0] as ProviderFailureDetails | undefined;
    return { reason: cause.message, type: cause.type ?? undefined, attempts: details?.attempt ?? 0 };
  }
  return { reason: err instanceof Error ? err.message : String(err), attempts: 0 };
}
