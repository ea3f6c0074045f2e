import { DefaultLogger, Runtime, makeTelemetryFilterString, type LogLevel } from '@temporalio/worker';

/**
 * The SDK logs every webpack module and worker state change at INFO; services and tests want warnings only.
 * The runtime can be installed once per process, so entry points call this before creating any worker.
 */
export function installSdkRuntime(level: LogLevel = 'WARN'): void {
  Runtime.install({
    logger: new DefaultLogger(level),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: level }) } },
  });
}
