import type { ErrorDetail } from '../shared/error-detail';

export type { ErrorDetail };

/** SPEC §7 error body: `{ error: { code, message, details: [{ path, issue }] } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  /** With the request's id when there is one, so a caller's report names the access-log line to look for. */
  toBody(requestId?: string) {
    return {
      error: { code: this.code, message: this.message, details: this.details, ...(requestId ? { requestId } : {}) },
    };
  }
}

export const badRequest = (message: string, details: ErrorDetail[] = []) =>
  new HttpError(400, 'invalid_request', message, details);
export const unauthorized = (message = 'missing or invalid API key') =>
  new HttpError(401, 'unauthorized', message, [], { 'WWW-Authenticate': 'Bearer' });
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const conflict = (message: string) => new HttpError(409, 'idempotency_conflict', message);
export const unprocessable = (message: string, details: ErrorDetail[] = []) =>
  new HttpError(422, 'not_deliverable', message, details);
/**
 * A dependency did not answer: nothing was started, or what was is found again by the retry's messageId. A few
 * seconds is what a restarting server or a failover takes.
 */
const unavailable = (dependency: string, what: string) =>
  new HttpError(503, `${dependency}_unavailable`, `${what} is unreachable; retry with the same messageId`, [], {
    'Retry-After': '5',
  });
export const temporalUnavailable = () => unavailable('temporal', 'the workflow service (Temporal)');
export const databaseUnavailable = () => unavailable('mongodb', 'the client database (MongoDB)');
