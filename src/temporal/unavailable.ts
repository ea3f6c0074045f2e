import { isGrpcServiceError, ServiceError } from '@temporalio/client';

/**
 * A call to Temporal that failed at the service (unreachable, deadline, overloaded), either as the raw gRPC error
 * or wrapped by the client in a ServiceError: both mean "not done, try again", never a bug of the caller.
 */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let e = err; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof ServiceError || isGrpcServiceError(e)) return true;
  }
  return false;
}
