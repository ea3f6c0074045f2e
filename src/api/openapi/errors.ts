import { z } from 'zod';
import type { ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';

/**
 * SPEC §7's codes by status, as src/api/http-error.ts, error-middleware.ts, rate-limit.ts and server.ts raise
 * them. A new `HttpError` code belongs here, or the document's answer for it is wrong.
 */
const codesByStatus = {
  400: ['invalid_request'],
  401: ['unauthorized'],
  403: ['forbidden'],
  404: ['not_found'],
  409: ['idempotency_conflict'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
  422: ['not_deliverable'],
  429: ['rate_limited'],
  431: ['headers_too_large'],
  500: ['internal'],
  503: ['temporal_unavailable', 'mongodb_unavailable'],
} as const;

export type ErrorStatus = keyof typeof codesByStatus;

const meaning: Record<ErrorStatus, string> = {
  400: 'Malformed JSON, or the input does not match the schema: `details` names each field.',
  401: 'Missing or invalid credentials.',
  403: 'Refused: the body names another client than the key, a receipt does not verify, or not a local caller.',
  404: 'No such client, message, key or route.',
  409: 'The messageId was already used with a different body.',
  413: 'The body is larger than the server accepts (`MAX_REQUEST_BYTES`).',
  415: 'The body is not UTF-8 JSON.',
  422: 'No channel of the message can be delivered: `details` gives each channel its reason.',
  429: 'More requests a minute than this API key may send.',
  431: 'The request headers are too large.',
  500: 'An unexpected failure.',
  503: 'A dependency did not answer; nothing was started: retry the same request (same messageId) later.',
};

const errorDetail = z
  .strictObject({ path: z.string().meta({ description: 'Dotted path of the field, or `(body)`.' }), issue: z.string() })
  .meta({ id: 'ErrorDetail' });

const errorBody = (codes: readonly [string, ...string[]]) =>
  z.strictObject({
    error: z.strictObject({
      code: z.enum(codes),
      message: z.string(),
      details: z.array(errorDetail),
      requestId: z
        .string()
        .meta({ description: "The request's id, as in the `X-Request-Id` response header and the access log." }),
    }),
  });

/** Every code of the service, for readers who want one schema for all errors. */
export const errorSchema = errorBody(Object.values(codesByStatus).flat() as [string, ...string[]]).meta({
  id: 'Error',
  description: 'SPEC §7 error body.',
});

const retryAfter = z.string().meta({ description: 'Seconds to wait before retrying.' });
const headersByStatus: Partial<Record<ErrorStatus, z.ZodObject>> = {
  401: z.object({ 'WWW-Authenticate': z.literal('Bearer') }),
  429: z.object({ 'Retry-After': retryAfter }),
  503: z.object({ 'Retry-After': retryAfter }),
};

/** One response component per status, so operations share them by reference. */
const responses = Object.fromEntries(
  (Object.keys(codesByStatus).map(Number) as ErrorStatus[]).map((status): [ErrorStatus, ZodOpenApiResponseObject] => [
    status,
    {
      id: `Error${status}`,
      description: `\`${codesByStatus[status].join('` or `')}\`: ${meaning[status]}`,
      headers: headersByStatus[status],
      content: { 'application/json': { schema: errorBody(codesByStatus[status]).meta({ id: `Error${status}Body` }) } },
    },
  ]),
) as Record<ErrorStatus, ZodOpenApiResponseObject>;

/** The error answers of an operation; every operation may also answer 500. */
export const errors = (...statuses: ErrorStatus[]): ZodOpenApiResponsesObject =>
  Object.fromEntries([...statuses, 500 as const].map((status) => [status, responses[status]]));
