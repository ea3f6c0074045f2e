import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';

/**
 * `GET /metrics`: the process's registry, then what `more` adds (the Temporal SDK's worker metrics), as one
 * Prometheus text exposition. The two never share a name (the SDK's are `temporal_*`), so joining is valid.
 * When `more` fails, the process's own metrics still go out, with a comment that says what is missing.
 */
export const metricsRoute =
  (registry: Registry, more: () => Promise<string> = () => Promise.resolve('')): RequestHandler =>
  async (_req, res) => {
    const [own, extra] = await Promise.all([
      registry.metrics(),
      more().catch((err: unknown) => `# Temporal SDK metrics unavailable: ${(err as Error).message}\n`),
    ]);
    res.type(registry.contentType).send(extra ? `${own}\n${extra}` : own);
  };
