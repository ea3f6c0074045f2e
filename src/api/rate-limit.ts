import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { HttpError } from './http-error';

/**
 * Per client key, not per IP: platform teams send from a few shared egress addresses. The count lives in this
 * process, so N API instances allow up to N × the limit; a shared store (Redis) would make it global.
 */
export function clientRateLimit(requestsPerMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: requestsPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (_req, res) => String(res.locals.clientId),
    handler: (_req, _res, next, options) => {
      const retryAfter = String(Math.ceil(options.windowMs / 1000));
      next(
        new HttpError(429, 'rate_limited', `more than ${requestsPerMinute} requests a minute for this API key`, [], {
          'Retry-After': retryAfter,
        }),
      );
    },
  });
}
