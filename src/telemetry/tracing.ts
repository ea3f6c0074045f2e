import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  detectResourcesSync,
  envDetectorSync,
  hostDetectorSync,
  processDetectorSync,
  Resource,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { z } from 'zod';
import { RedactingSpanProcessor } from './redaction';

/** The process a span comes from: its default `service.name` is `communication-<role>`. */
export type TracedRole = 'api' | 'worker' | 'bridge';

/**
 * Off unless `OTEL_TRACES_EXPORTER=otlp`: the standard variable, with our default (none) rather than the SDK's
 * (otlp), so a deployment that sets no OTEL_* variable sends nothing anywhere. `OTEL_SDK_DISABLED=true` wins.
 */
const tracingSettings = z.object({
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none'], { error: 'must be otlp or none' }).default('none'),
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).optional(),
});

export interface Tracing {
  /** Where every finished span goes, the workflows' too: redaction first, then the OTLP batch. */
  processor: SpanProcessor;
  resource: Resource;
  shutdown(): Promise<void>;
}

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

function httpInstrumentations() {
  return [
    new HttpInstrumentation({
      // Probes and scrapes are not messages: a trace per kubelet probe would drown the ones that are.
      ignoreIncomingRequestHook: (request) => /^\/(health|metrics)(\/|\?|$)/.test(request.url ?? ''),
      // Outgoing calls only inside a trace (an activity's provider call, a webhook): the SDKs' background
      // requests (token refreshes at start) and the exporter's own posts start none.
      requireParentforOutgoingSpans: true,
    }),
    new UndiciInstrumentation({ requireParentforSpans: true }),
  ];
}

/**
 * Registers the tracer provider and the http/undici instrumentation when OTEL_* ask for it; otherwise touches
 * nothing (the API stays its no-op self). Must run before anything loads `http`, `https` or an SDK using them.
 */
export function startTracing(role: TracedRole, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (active || !tracingRequested(env)) return active;
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (the env detector) override the role's default name.
  const resource = Resource.default()
    .merge(new Resource({ 'service.name': `communication-${role}` }))
    .merge(detectResourcesSync({ detectors: [hostDetectorSync, processDetectorSync, envDetectorSync] }));
  // OTEL_EXPORTER_OTLP_ENDPOINT / _TRACES_ENDPOINT / _HEADERS / _TIMEOUT and OTEL_BSP_* are read by these.
  const processor = new RedactingSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter()));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // W3C trace context only: baggage would carry whatever a producer put in it into Temporal's history.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const unregister = registerInstrumentations({ tracerProvider: provider, instrumentations: httpInstrumentations() });
  active = {
    processor,
    resource,
    shutdown: async () => {
      unregister();
      await provider.shutdown();
    },
  };
  return active;
}
