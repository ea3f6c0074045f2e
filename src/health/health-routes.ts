import express, { type Router } from 'express';

export type ReadinessChecks = Record<string, () => Promise<void>>;

const withTimeout = (check: () => Promise<void>, ms: number): Promise<void> =>
  Promise.race([
    check(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref()),
  ]);

/** Live: the process answers. Ready: every dependency answers (SPEC §8: Temporal, MongoDB, Kafka). */
export function healthRoutes(checks: ReadinessChecks): Router {
  const router = express.Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    const results: Record<string, { status: 'ok' | 'down'; error?: string }> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check, 2_000);
          results[name] = { status: 'ok' };
        } catch (err) {
          results[name] = { status: 'down', error: (err as Error).message };
        }
      }),
    );
    const ready = Object.values(results).every((r) => r.status === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: results });
  });
  return router;
}
