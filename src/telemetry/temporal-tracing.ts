import type { ClientInterceptors } from '@temporalio/client';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import { activeTracing, type Tracing } from './tracing';

/**
 * The workflow start (and signal, query, describe) as a span of the caller's trace, its context sent in the
 * workflow's headers; none when tracing is off.
 */
export const tracingClientInterceptors = (): ClientInterceptors | undefined =>
  activeTracing() ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;

// The sink copies the WorkflowInfo it is given into every workflow span: memo, search attributes and the last
// failure's text included. Only these identify a run without saying anything about the message.
const spanInfoKeys = ['workflowId', 'runId', 'workflowType', 'taskQueue', 'namespace', 'attempt'] as const;

function workflowSpanSink(tracing: Tracing): InjectedSinks<OpenTelemetrySinks>['exporter'] {
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

/**
 * What a traced workflow sends its spans to is always there: a workflow started traced and replayed by a worker
 * with tracing off calls it too, and an unregistered sink is an error at every call.
 */
const droppedSpans: InjectedSinks<OpenTelemetrySinks>['exporter'] = { export: { fn: () => undefined } };

/**
 * Worker options of every role: an activity span per attempt (a child of the workflow's schedule span) around
 * the provider SDK's HTTP call, and the workflows' spans out through the sink. `workflowModules` is for a worker
 * that bundles at start; a prebuilt bundle has them in already.
 */
export function tracingWorkerOptions(workflowModules: string[]): {
  interceptors: WorkerInterceptors;
  sinks: InjectedSinks<OpenTelemetrySinks>;
} {
  const tracing = activeTracing();
  return {
    interceptors: {
      workflowModules,
      activity: tracing
        ? [
            (ctx) => ({
              inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
              outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
            }),
          ]
        : [],
    },
    sinks: { exporter: tracing ? workflowSpanSink(tracing) : droppedSpans },
  };
}
