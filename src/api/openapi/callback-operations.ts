import { z } from 'zod';
import { postmarkCallbackPath } from '../../providers/postmark/delivery-webhook';
import { twilioCallbackPath } from '../../providers/twilio/status-callback';
import { errors } from './errors';
import { noContent, requires, type ApiOperation } from './operation';

/*
 * The vendors' bodies are read field by field after the credentials verify (src/providers/*): these schemas
 * say which fields matter, and leave the vendors free to send more.
 */
const twilioStatus = z.looseObject({
  MessageSid: z.string(),
  MessageStatus: z.string().meta({ description: '`delivered`, `undelivered` and `failed` settle the channel.' }),
  ErrorCode: z.string().optional(),
});
const postmarkEvent = z.looseObject({
  RecordType: z.string().meta({ description: '`Delivery` or `Bounce` settle the channel.' }),
  MessageID: z.string(),
  Metadata: z.looseObject({ clientId: z.string(), messageId: z.string() }),
  Type: z.string().optional(),
  Description: z.string().optional(),
});

const tags = ['Receipts'];
const settled = { ...noContent, description: 'Verified; the receipt reached its message (or came too late).' };

export const callbackOperations: ApiOperation[] = [
  {
    method: 'post',
    path: twilioCallbackPath,
    operation: {
      operationId: 'twilioStatusCallback',
      tags,
      summary: "Twilio's SMS status callback",
      description: 'The URL each SMS asks Twilio to call, with the workflow ID in its query (Twilio signs it).',
      security: requires('twilioSignature'),
      requestParams: { query: z.object({ workflowId: z.string() }) },
      requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: twilioStatus } } },
      responses: { 204: settled, ...errors(400, 403, 413, 503) },
    },
  },
  {
    method: 'post',
    path: postmarkCallbackPath,
    operation: {
      operationId: 'postmarkWebhook',
      tags,
      summary: "Postmark's Delivery and Bounce webhook",
      description: "Set once per Postmark server; the email's `Metadata` names the message.",
      security: requires('postmarkBasic'),
      requestBody: { required: true, content: { 'application/json': { schema: postmarkEvent } } },
      responses: { 204: settled, ...errors(400, 401, 413, 415, 503) },
    },
  },
];
