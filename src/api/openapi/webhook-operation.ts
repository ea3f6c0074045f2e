import { z } from 'zod';
import { eventIdHeader, signatureHeader, timestampHeader } from '../../acks/webhook';
import type { ZodOpenApiPathItemObject } from 'zod-openapi';
import { ackSchema } from './response-schemas';

/** SPEC §4, as src/acks/webhook.ts sends it: what a client's webhook receiver must accept. */
export const ackWebhook: ZodOpenApiPathItemObject = {
  post: {
    operationId: 'ack',
    summary: "A channel of a message reached a final state (sent to the profile's `webhook.url`)",
    description:
      'At least once: drop repeats by the event ID. Verify the signature before trusting the body, and refuse ' +
      'timestamps older than you tolerate.',
    requestParams: {
      header: z.object({
        [signatureHeader]: z.string().meta({
          description: "`sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` with the profile's `webhook.secret`.",
        }),
        [timestampHeader]: z.string().meta({ description: 'Unix seconds when this POST was signed.' }),
        [eventIdHeader]: z.string().meta({ description: '`<workflowId>:<channel>:<state>`: stable across repeats.' }),
      }),
    },
    requestBody: { required: true, content: { 'application/json': { schema: ackSchema } } },
    responses: {
      '2XX': { description: 'Received; not sent again.' },
      '408': { description: 'Sent again later.' },
      '429': { description: 'Sent again later.' },
      '5XX': { description: 'Sent again later (as is a POST with no answer in 10 s).' },
      default: { description: 'Any other answer is final: the ack is not sent again.' },
    },
  },
};
