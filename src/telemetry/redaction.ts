import type { Context } from '@opentelemetry/api';
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { maskEmail, maskPhone } from '../logging/logger';

// E.164 as SPEC §2 requires it, and any address: what a provider's error text or a URL may quote.
const phonePattern = /\+[1-9]\d{6,14}/g;
const emailPattern = /[^\s@"'<>()[\],;:/?=&]+@[^\s@"'<>()[\],;:/?=&]+\.[A-Za-z]{2,}/g;

/** A recipient quoted in free text (an exception message, a status), masked as the logs mask it. */
export const maskAddresses = (text: string) =>
  text.replace(emailPattern, (email) => maskEmail(email)).replace(phonePattern, (phone) => maskPhone(phone));

// Query strings are the client's and the provider SDK's to fill (`?To=`, `?email=`): URLs are kept without them.
const withoutQuery = (value: string) => value.replace(/\?.*$/s, '');
const urlKeys = new Set(['http.url', 'http.target', 'url.full', 'url.path']);

function redactedValue(key: string, value: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof value === 'string') return maskAddresses(urlKeys.has(key) ? withoutQuery(value) : value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? maskAddresses(v) : v)) as AttributeValue;
  // Objects are not OTLP attribute values; the workflow sink copies whatever it is given (memo, search attributes).
  return value === undefined || typeof value === 'object' ? undefined : value;
}

export function redactedAttributes(attributes: Attributes): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'url.query' || key === 'http.request.body' || key.startsWith('http.request.header.')) continue;
    const redacted = redactedValue(key, value);
    if (redacted !== undefined) kept[key] = redacted;
  }
  return kept;
}

/** The span as it is exported: attributes, events and status without an address, a query string or an object. */
export const redactedSpan = (span: ReadableSpan): ReadableSpan => ({
  name: span.name,
  kind: span.kind,
  spanContext: () => span.spanContext(),
  parentSpanId: span.parentSpanId,
  startTime: span.startTime,
  endTime: span.endTime,
  status: span.status.message ? { ...span.status, message: maskAddresses(span.status.message) } : span.status,
  attributes: redactedAttributes(span.attributes),
  links: span.links,
  events: span.events.map((event) => ({
    ...event,
    attributes: event.attributes && redactedAttributes(event.attributes),
  })),
  duration: span.duration,
  ended: span.ended,
  resource: span.resource,
  instrumentationLibrary: span.instrumentationLibrary,
  droppedAttributesCount: span.droppedAttributesCount,
  droppedEventsCount: span.droppedEventsCount,
  droppedLinksCount: span.droppedLinksCount,
});

/**
 * Every finished span passes here before the exporter's batch, the workflows' spans (from the worker's sink)
 * included: whatever an instrumentation or an exception recorded, no recipient leaves the process.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.next.onEnd(redactedSpan(span));
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
