import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logging/logger';
import type { ServiceMetrics } from '../metrics/service-metrics';

/** A caller's id is kept when it could not break a log line or a header: visible ASCII, no quotes, ≤ 128. */
const saneRequestId = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Probes and scrapes every few seconds: worth a line only when debugging. */
const quietPaths = /^\/(health\/|metrics$)/;

/**
 * The pattern, not the path, so metrics have one series per route and logs never hold a path's identifiers;
 * `unmatched` for what no route took (404s, refused before routing).
 */
const routeOf = (req: Request) => {
  const route = req.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : 'unmatched';
};

export const requestIdOf = (res: Response): string | undefined => res.locals.requestId as string | undefined;

/**
 * Every request: an id (the caller's `X-Request-Id` when sane, else a new UUID) in `res.locals.requestId`, the
 * response header and error bodies; when it ends, one access-log line and the HTTP metrics. Routes put the
 * client and the message they served in `res.locals` (`clientId`, `messageId`, `workflowId`), never an address.
 */
export function requestContext(logger: Logger, metrics: ServiceMetrics): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const requestId = given !== undefined && saneRequestId.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = performance.now();
    res.once('close', () => {
      const durationMs = performance.now() - started;
      const route = routeOf(req);
      // A response cut off before its headers went out is logged as 499, nginx's "client closed the request".
      const status = res.headersSent ? res.statusCode : 499;
      metrics.httpRequest(req.method, route, status, durationMs / 1000);
      const { clientId, messageId, workflowId } = res.locals as Record<string, string | undefined>;
      logger[quietPaths.test(req.path) ? 'debug' : 'info'](
        {
          requestId,
          method: req.method,
          route,
          status,
          durationMs: Math.round(durationMs),
          clientId,
          messageId,
          workflowId,
        },
        'request',
      );
    });
    next();
  };
}
