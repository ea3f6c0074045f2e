import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import express from 'express';
import { replanWaitingMessages } from '../messages/replan-waiting';
import type { Logger } from '../logging/logger';
import { metricsRoute } from '../metrics/metrics-route';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { requestContext } from './request-context';
import { requireClient, requireToken } from './auth';
import { errorMiddleware, notFoundHandler } from './error-middleware';
import { badRequest, HttpError } from './http-error';
import { clientRateLimit } from './rate-limit';
import { adminRoutes, type AdminRoutesDeps } from './routes/admin';
import { callbackRoutes } from './routes/callbacks';
import { codecRoutes, type CodecRoutesDeps } from './routes/codec';
import { healthRoutes, type ReadinessChecks } from '../health/health-routes';
import { listen } from '../health/health-server';
import { messageRoutes, type MessageRoutesDeps } from './routes/messages';
import { listingRoutes, type ListingRoutesDeps } from './routes/listings';
import { openApiRoutes } from './openapi/openapi-routes';

export interface ApiDeps
  extends
    MessageRoutesDeps,
    Pick<AdminRoutesDeps, 'profiles' | 'apiKeys'>,
    Pick<ListingRoutesDeps, 'listDeliveryRecords'> {
  clientForApiKey: (apiKey: string) => Promise<string | undefined>;
  /** Drops what this process caches of a client (see `cachedLookups`). */
  forgetClient: (clientId: string) => void;
  adminApiKey: string;
  rateLimitPerMinute: number;
  publicBaseUrl?: string;
  twilioAuthToken?: string;
  postmarkWebhook?: { user: string; password: string };
  readiness: ReadinessChecks;
  /** Set when payloads are encrypted and codec access (a token, or loopback locally) is configured. */
  codecServer?: Omit<CodecRoutesDeps, 'maxRequestBytes'>;
  logger: Logger;
  metrics: ServiceMetrics;
}

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestContext(deps.logger, deps.metrics));
  app.use(healthRoutes(deps.readiness));
  app.use(openApiRoutes());
  app.get('/metrics', metricsRoute(deps.metrics.registry));
  app.use('/v1/admin', requireToken(deps.adminApiKey, 'admin key'));
  if (deps.codecServer) app.use(codecRoutes({ ...deps.codecServer, maxRequestBytes: deps.maxRequestBytes }));
  app.use(
    adminRoutes({
      profiles: deps.profiles,
      apiKeys: deps.apiKeys,
      maxRequestBytes: deps.maxRequestBytes,
      forgetClient: deps.forgetClient,
      onProfileChanged: (clientId) => {
        replanWaitingMessages(deps.temporal, clientId, deps.logger).catch((err: unknown) =>
          deps.logger.error({ err, clientId }, 're-planning after a profile change failed'),
        );
      },
    }),
  );
  app.use(
    callbackRoutes({
      temporal: deps.temporal,
      publicBaseUrl: deps.publicBaseUrl,
      twilioAuthToken: deps.twilioAuthToken,
      postmarkWebhook: deps.postmarkWebhook,
      logger: deps.logger,
      metrics: deps.metrics,
    }),
  );
  app.use('/v1/messages', requireClient(deps.clientForApiKey), clientRateLimit(deps.rateLimitPerMinute));
  app.use(messageRoutes(deps));
  app.use(listingRoutes(deps));
  app.use(notFoundHandler);
  app.use(errorMiddleware(deps.logger));
  return app;
}

export interface ApiServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Requests Node's HTTP parser refuses (bad header bytes, smuggling framing, oversized headers) never reach
 * Express: answer them in the same error shape, then close, instead of Node's bare 400.
 */
function answerMalformedRequest(err: Error & { code?: string }, socket: Duplex): void {
  // An answer already under way on this socket (say a 401 before the body was read) is the answer.
  const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (!socket.writable || answering || (err.code === 'ECONNRESET' && !socket.readable)) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const error = tooLarge
    ? new HttpError(431, 'headers_too_large', 'request headers are too large')
    : badRequest('the request is not valid HTTP');
  // Its headers were never parsed, so a caller's X-Request-Id is unknown: the id is always a new one.
  const requestId = randomUUID();
  const body = JSON.stringify(error.toBody(requestId));
  socket.end(
    `HTTP/1.1 ${error.status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

/** Port 0 picks a free port (tests); the returned URL says which. */
export async function startApiServer(deps: ApiDeps, port: number, host = '0.0.0.0'): Promise<ApiServer> {
  const listening = await listen(createApp(deps), port, host);
  listening.server.on('clientError', answerMalformedRequest);
  return { url: listening.url, stop: () => listening.close() };
}
