import { z } from 'zod';
import { apiSettings, bridgeSettings, workerSettings } from '../config/settings';

const ports = z.object({
  PORT: apiSettings.PORT,
  WORKER_HTTP_PORT: workerSettings.WORKER_HTTP_PORT,
  BRIDGE_PORT: bridgeSettings.BRIDGE_PORT,
});

/**
 * The container image's HEALTHCHECK, the same for every role: a container runs one process, so whichever role's
 * health port answers is this one's, and the others do not listen. Exits 0 when that process is ready.
 */
async function probe(): Promise<boolean> {
  const settings = ports.parse(process.env);
  const answers = await Promise.allSettled(
    Object.values(settings).map((port) =>
      fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(3_000) }),
    ),
  );
  return answers.some((answer) => answer.status === 'fulfilled' && answer.value.ok);
}

probe().then(
  (ready) => process.exit(ready ? 0 : 1),
  (err: unknown) => {
    console.error(`health probe: ${(err as Error).message}`);
    process.exit(1);
  },
);
