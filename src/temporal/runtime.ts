import { createServer, type AddressInfo } from 'node:net';
import { Runtime, makeTelemetryFilterString, type LogLevel } from '@temporalio/worker';
import { createLogger } from '../logging/logger';
import { sdkLogger } from '../logging/sdk-logger';

let sdkMetricsUrl: string | undefined;

/** A port nothing listens on now: Core's exporter takes an address, not port 0, and says nothing back. */
const freeLoopbackPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

/**
 * The SDK's Runtime, once per process, before any worker: its log lines through pino (JSON like ours, at `WARN`
 * and above by default: its INFO is every webpack module and worker state change), and its worker metrics on a
 * loopback-only Prometheus exporter that the process's own `/metrics` merges in (`sdkMetrics`), so each process
 * is one scrape target.
 */
export async function installSdkRuntime(level: LogLevel = 'WARN', logLevel = process.env.LOG_LEVEL): Promise<void> {
  const bindAddress = `127.0.0.1:${await freeLoopbackPort()}`;
  Runtime.install({
    logger: sdkLogger(createLogger(logLevel ?? 'info', 'temporal-sdk'), level),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: level }), forward: {} },
      metrics: {
        // Prometheus' own conventions: seconds, `_total` counters, units in histogram names.
        prometheus: { bindAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true },
      },
    },
  });
  sdkMetricsUrl = `http://${bindAddress}/metrics`;
}

/** The SDK's worker metrics in Prometheus text, or nothing when this process installed no Runtime (the API). */
export async function sdkMetrics(): Promise<string> {
  if (!sdkMetricsUrl) return '';
  const response = await fetch(sdkMetricsUrl, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`the SDK's metrics exporter answered ${response.status}`);
  return response.text();
}
