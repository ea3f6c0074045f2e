import { context, propagation, ROOT_CONTEXT, type TextMapGetter } from '@opentelemetry/api';

type RecordHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

const recordHeaderGetter: TextMapGetter<RecordHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const value = headers[key];
    return Array.isArray(value) ? value.map(String) : value === undefined ? undefined : String(value);
  },
};

/**
 * Runs `fn` in the trace of the record's `traceparent` (and `tracestate`) header, so the workflow it starts
 * joins the producer's trace; without the header (or with tracing off: the API's no-op propagator) it runs as is.
 */
export const inRecordTrace = <T>(headers: RecordHeaders | undefined, fn: () => Promise<T>): Promise<T> =>
  headers ? context.with(propagation.extract(ROOT_CONTEXT, headers, recordHeaderGetter), fn) : fn();
