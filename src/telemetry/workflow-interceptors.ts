/**
 * Bundled into the workflow code (a workflow interceptor module, not a workflow). A workflow is traced when its
 * start carried a trace context (the client interceptor's header): only then are Temporal's OpenTelemetry
 * interceptors made and used. Untraced workflows (tracing off, or started before it was on) run exactly as
 * without this module: no span, no header on their commands, no sink call.
 *
 * Deterministic: the choice depends on the start's headers, which are in the history; and the interceptors add
 * only headers to commands, which replay does not compare.
 */
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type {
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** The header Temporal's OpenTelemetry interceptors carry the context in (their TRACE_HEADER). */
const traceHeader = '_tracer-data';

// One call per workflow run, so `traced` is this run's; module variables would be shared by every workflow
// of the reused V8 context.
export const interceptors = (): WorkflowInterceptors => {
  let traced: { inbound: OpenTelemetryInboundInterceptor; outbound: OpenTelemetryOutboundInterceptor } | undefined;

  const inbound: WorkflowInboundCallsInterceptor = {
    execute: (input, next) => {
      if (input.headers[traceHeader] === undefined) return next(input);
      traced = { inbound: new OpenTelemetryInboundInterceptor(), outbound: new OpenTelemetryOutboundInterceptor() };
      return traced.inbound.execute(input, next);
    },
    // A signal of the first activation runs before `execute`: it is not traced, and needs not be.
    handleSignal: (input, next) => (traced ? traced.inbound.handleSignal(input, next) : next(input)),
    handleQuery: (input, next) => (traced ? traced.inbound.handleQuery(input, next) : next(input)),
    handleUpdate: (input, next) => (traced ? traced.inbound.handleUpdate(input, next) : next(input)),
    validateUpdate: (input, next) => (traced ? traced.inbound.validateUpdate(input, next) : next(input)),
  };

  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => (traced ? traced.outbound.scheduleActivity(input, next) : next(input)),
    scheduleLocalActivity: (input, next) => (traced ? traced.outbound.scheduleLocalActivity(input, next) : next(input)),
    startChildWorkflowExecution: (input, next) =>
      traced ? traced.outbound.startChildWorkflowExecution(input, next) : next(input),
    continueAsNew: (input, next) => (traced ? traced.outbound.continueAsNew(input, next) : next(input)),
    signalWorkflow: (input, next) => (traced ? traced.outbound.signalWorkflow(input, next) : next(input)),
    getLogAttributes: (input, next) => (traced ? traced.outbound.getLogAttributes(input, next) : next(input)),
  };

  return { inbound: [inbound], outbound: [outbound], internals: [new OpenTelemetryInternalsInterceptor()] };
};
