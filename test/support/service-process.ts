import { startProcess } from '../../scripts/load/child-process';
import { serviceCommand } from '../../scripts/load/service-process';
import { testEnv } from './harness';

export { counterOf, metricSum } from '../../scripts/load/metrics';

export type ServiceKind = 'api' | 'worker' | 'bridge';

export interface ServiceProcess {
  /** The HTTP address of the API, or of the health server of a worker or a bridge. */
  url: string;
  pid: number;
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Resident memory now, from /proc. */
  rssBytes(): number;
  alive(): boolean;
  /** The tail of what it wrote. */
  output(): string;
}

/** A part of the service as its own process, started as production starts it, so a test can SIGKILL it like a crashed container. */
export async function spawnService(
  kind: ServiceKind,
  env: NodeJS.ProcessEnv,
  logFile?: string,
): Promise<ServiceProcess> {
  const child = await startProcess({
    name: `the ${kind}`,
    logFile,
    ...serviceCommand(kind),
    // Info at least: readiness is read from the log.
    env: { ...process.env, ...testEnv, ...env, LOG_LEVEL: 'info' },
  });
  return { ...child, url: child.captured ?? '' };
}
