import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logging/logger';
import { requestIdOf } from './request-context';
import { AcceptanceError } from '../messages/acceptance-error';
import { isDatabaseUnavailable } from '../db/unavailable';
import { isTemporalUnavailable } from '../temporal/unavailable';
import {
  badRequest,
  conflict,
  databaseUnavailable,
  HttpError,
  notFound,
  temporalUnavailable,
  unprocessable,
} from './http-error';

/** body-parser marks its own failures with `type`; they are the client's fault, never a 500. */
function fromBodyParser(err: { type?: unknown; limit?: unknown; message?: unknown }): HttpError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return badRequest('request body is not valid JSON', [{ path: '(body)', issue: String(err.message) }]);
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', `request body exceeds ${String(err.limit)} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_media_type', 'request body must be UTF-8 JSON');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return badRequest('request body could not be read');
    default:
      return undefined;
  }
}

function fromAcceptance(err: AcceptanceError): HttpError {
  switch (err.kind) {
    case 'unknown-client':
      return notFound(err.message);
    case 'idempotency-conflict':
      return conflict(err.message);
    case 'not-deliverable':
      return unprocessable(err.message, err.details);
  }
}

export const notFoundHandler: RequestHandler = (req, _res, next) =>
  next(notFound(`no route for ${req.method} ${req.path}`));

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let httpError =
      err instanceof HttpError
        ? err
        : err instanceof AcceptanceError
          ? fromAcceptance(err)
          : fromBodyParser(err as { type?: unknown });
    if (!httpError && isTemporalUnavailable(err)) httpError = temporalUnavailable();
    if (!httpError && isDatabaseUnavailable(err)) httpError = databaseUnavailable();
    if (httpError?.status === 503)
      logger.warn({ err, requestId: requestIdOf(res), method: req.method }, httpError.message);
    if (!httpError) {
      logger.error({ err, requestId: requestIdOf(res), method: req.method }, 'unhandled error');
      httpError = new HttpError(500, 'internal', 'internal error');
    }
    res
      .status(httpError.status)
      .set(httpError.headers)
      .json(httpError.toBody(requestIdOf(res)));
  };
}
