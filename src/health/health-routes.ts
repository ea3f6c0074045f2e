import express, { type Router } from 'express';

export type ReadinessChecks = Record<string, () => Promise<void>>;

const withTimeout = (check: () => Promise<void>, ms: number): Promise<void> =>
  Promise.race([
    check(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref()),
  ]);

async function evaluate(checks: ReadinessChecks) {
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
  return { ok: Object.values(results).every((r) => r.status === 'ok'), checks: results };
}

/**
 * Ready: every dependency this process uses answers (SPEC §8, per role), so a load balancer or Kubernetes sends
 * it work. Live: the process can still do its job by itself; a failed liveness asks for a restart, so only what a
 * restart would mend belongs there (a consumer stopped for good), never a dependency that is down.
 */
export function healthRoutes(ready: ReadinessChecks, live: ReadinessChecks = {}): Router {
  const router = express.Router();
  router.get('/health/live', async (_req, res) => {
    const result = await evaluate(live);
    const body = {
      status: result.ok ? 'ok' : 'failed',
      ...(Object.keys(live).length > 0 ? { checks: result.checks } : {}),
    };
    res.status(result.ok ? 200 : 503).json(body);
  });
  router.get('/health/ready', async (_req, res) => {
    const result = await evaluate(ready);
    res.status(result.ok ? 200 : 503).json({ status: result.ok ? 'ready' : 'not_ready', checks: result.checks });
  });
  return router;
}
