import type { ClientInterceptors } from '@temporalio/client';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { Tracing } from './tracing-sdk';

/** The workflow start (and signal, query, describe) as a span of the caller's trace, its context in headers. */
export const clientInterceptors = (): ClientInterceptors => ({
  workflow: [new OpenTelemetryWorkflowClientInterceptor()],
});

/** A span per activity attempt, a child of the workflow's schedule span: the provider SDK's HTTP call is under it. */
export const activityInterceptors = (): ActivityInterceptorsFactory[] => [
  (ctx) => ({
    inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
    outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
  }),
];

// The sink copies the WorkflowInfo it is given into every workflow span: memo, search attributes and the last
// failure's text included. Only these identify a run without saying anything about the message.
const spanInfoKeys = ['workflowId', 'runId', 'workflowType', 'taskQueue', 'namespace', 'attempt'] as const;

/** Where the workflows' spans leave the sandbox: into the process's span processor (redaction, then OTLP). */
export function workflowSpanSink(tracing: Tracing): InjectedSinks<OpenTelemetrySinks>['exporter'] {
  const sink = makeWorkflowExporter(tracing.processor, tracing.resource);
  return {
    export: {
      ...sink.export,
      fn: (info, spans) => {
        const kept = Object.fromEntries(spanInfoKeys.map((key) => [key, info[key]]));
        return sink.export.fn(kept as unknown as WorkflowInfo, spans);
      },
    },
  };
}
