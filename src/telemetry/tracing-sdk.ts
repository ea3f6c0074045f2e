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
import { RedactingSpanProcessor } from './redaction';

/** The process a span comes from: its default `service.name` is `communication-<role>`. */
export type TracedRole = 'api' | 'worker' | 'bridge';

export interface Tracing {
  /** Where every finished span goes, the workflows' too: redaction first, then the OTLP batch. */
  processor: SpanProcessor;
  resource: Resource;
  shutdown(): Promise<void>;
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

/** The tracer provider, registered globally, and the http/undici instrumentation, enabled. */
export function createTracing(role: TracedRole): Tracing {
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
  return {
    processor,
    resource,
    shutdown: async () => {
      unregister();
      await provider.shutdown();
    },
  };
}
