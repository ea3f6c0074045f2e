import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { healthRoutes, type ReadinessChecks } from './health-routes';

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The HTTP port of a process that serves no API (workers, bridges): health probes, plus whatever routes the
 * process adds (the bridge's `/metrics`). Port 0 picks a free port; the URL says which.
 */
export async function startHealthServer(
  port: number,
  checks: { ready: ReadinessChecks; live?: ReadinessChecks },
  routes: (app: express.Express) => void = () => undefined,
): Promise<HealthServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(checks.ready, checks.live));
  routes(app);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
