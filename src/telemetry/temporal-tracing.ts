import type { ClientInterceptors } from '@temporalio/client';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import type * as TemporalInterceptors from './temporal-interceptors';
import { activeTracing } from './tracing';

// Required only when tracing is on: the interceptors package loads the OpenTelemetry SDK (≈65 ms, 23 MB).
const interceptors = () =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./temporal-interceptors') as typeof TemporalInterceptors;

/** For the Temporal client of the API and the bridge; none when tracing is off. */
export const tracingClientInterceptors = (): ClientInterceptors | undefined =>
  activeTracing() ? interceptors().clientInterceptors() : undefined;

/**
 * What a traced workflow sends its spans to is always there: a workflow started traced and replayed by a worker
 * with tracing off calls it too, and an unregistered sink is an error at every call.
 */
const droppedSpans: InjectedSinks<OpenTelemetrySinks>['exporter'] = { export: { fn: () => undefined } };

/**
 * Worker options of every role: activity spans, and the workflows' spans out through the sink.
 * `workflowModules` is for a worker that bundles at start; a prebuilt bundle has them in already.
 */
export function tracingWorkerOptions(workflowModules: string[]): {
  interceptors: WorkerInterceptors;
  sinks: InjectedSinks<OpenTelemetrySinks>;
} {
  const tracing = activeTracing();
  return {
    interceptors: { workflowModules, activity: tracing ? interceptors().activityInterceptors() : [] },
    sinks: { exporter: tracing ? interceptors().workflowSpanSink(tracing) : droppedSpans },
  };
}
