import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { healthRoutes, type ReadinessChecks } from './health-routes';

export interface ListeningServer {
  server: Server;
  /** Where it listens; port 0 picked a free port, and this says which. */
  url: string;
  /** Stops accepting, closes idle keep-alive connections at once, resolves when the last request is done. */
  close: () => Promise<void>;
}

/**
 * Every HTTP server of the service (API, worker and bridge health) listens and stops the same way. No host: every
 * address, IPv6 included, as a bare `listen(port)` does.
 */
export async function listen(app: express.Express, port: number, host?: string): Promise<ListeningServer> {
  const server: Server = await new Promise((resolve, reject) => {
    const done = (err?: Error) => (err ? reject(err) : resolve(s));
    const s = host === undefined ? app.listen(port, done) : app.listen(port, host, done);
  });
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/**
 * The HTTP port of a process that serves no API (workers, bridges): health probes, plus whatever routes the
 * process adds (the bridge's `/metrics`).
 */
export async function startHealthServer(
  port: number,
  checks: { ready: ReadinessChecks; live?: ReadinessChecks },
  routes: (app: express.Express) => void = () => undefined,
): Promise<ListeningServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(checks.ready, checks.live));
  routes(app);
  return listen(app, port);
}
