import { z } from 'zod';
import type * as TracingSdk from './tracing-sdk';
import type { TracedRole, Tracing } from './tracing-sdk';

/**
 * Off unless `OTEL_TRACES_EXPORTER=otlp`: the standard variable, with our default (none) rather than the SDK's
 * (otlp), so a deployment that sets no OTEL_* variable sends nothing anywhere. `OTEL_SDK_DISABLED=true` wins.
 */
const tracingSettings = z.object({
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none'], { error: 'must be otlp or none' }).default('none'),
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).optional(),
});

let active: Tracing | undefined;

/** The process's tracing, if it was turned on: what the Temporal interceptors and the workflow sink use. */
export const activeTracing = (): Tracing | undefined => active;

/** Whether OTEL_* ask for traces; a wrong value stops the process at start, naming the variable. */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  const parsed = tracingSettings.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid tracing configuration: ${issues.join('; ')}`);
  }
  return parsed.data.OTEL_TRACES_EXPORTER === 'otlp' && parsed.data.OTEL_SDK_DISABLED !== 'true';
}

/**
 * Registers the tracer provider and the http/undici instrumentation when OTEL_* ask for it; otherwise touches
 * nothing (the API stays its no-op self). Must run before anything loads `http`, `https` or an SDK using them.
 */
export function startTracing(role: TracedRole, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (active || !tracingRequested(env)) return active;
  // Required here, not imported: with tracing off the SDK is never loaded (≈100 ms and 30 MB of RSS at start).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('./tracing-sdk') as typeof TracingSdk;
  active = sdk.createTracing(role);
  return active;
}

/**
 * Before a process exits: the spans still in the batch go out (up to OTEL_BSP_SCHEDULE_DELAY of them), within 5 s,
 * so an unreachable collector never holds up a shutdown the orchestrator is timing.
 */
export async function flushTracing(): Promise<void> {
  if (!active) return;
  await Promise.race([active.shutdown().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5_000))]);
}
