import { z } from 'zod';
import { messageSchema } from '../../messages/message-schema';
import { channels, type Channel } from '../../shared/channels';
import { identifier } from '../../shared/schema-primitives';
import { errors } from './errors';
import { json, requires, type ApiOperation } from './operation';
import { acceptanceSchema, messageStatusSchema } from './response-schemas';

const security = requires('clientApiKey');
const messageId = z.object({ messageId: identifier });

const send = (channel?: Channel): ApiOperation => ({
  method: 'post',
  path: channel ? `/v1/messages/${channel}` : '/v1/messages',
  operation: {
    operationId: channel ? `send${channel[0]!.toUpperCase()}${channel.slice(1)}` : 'sendMessage',
    tags: ['Messages'],
    summary: channel ? `Send by ${channel} only` : 'Send a message on one or more channels',
    description: channel
      ? `The same body as \`POST /v1/messages\`; \`channels\` may be omitted or must be exactly \`["${channel}"]\`.`
      : 'Without `channels`, every channel the profile enables and the recipient can receive is used.',
    security,
    requestBody: { required: true, content: { 'application/json': { schema: messageSchema } } },
    responses: {
      202: json('Accepted: one workflow per message, each channel planned.', acceptanceSchema),
      ...errors(400, 401, 403, 404, 409, 413, 415, 422, 429, 503),
    },
  },
});

export const messageOperations: ApiOperation[] = [
  send(),
  ...channels.map(send),
  {
    method: 'get',
    path: '/v1/messages/{messageId}',
    operation: {
      operationId: 'getMessage',
      tags: ['Messages'],
      summary: "A message's status, channel by channel",
      security,
      requestParams: { path: messageId },
      responses: { 200: json('The current status.', messageStatusSchema), ...errors(400, 401, 404, 429, 503) },
    },
  },
  {
    method: 'delete',
    path: '/v1/messages/{messageId}',
    operation: {
      operationId: 'cancelMessage',
      tags: ['Messages'],
      summary: 'Cancel the channels still waiting',
      description: 'Channels already with a provider finish; a finished message is answered unchanged.',
      security,
      requestParams: { path: messageId },
      responses: { 200: json('The status after cancelling.', messageStatusSchema), ...errors(400, 401, 404, 429, 503) },
    },
  },
];
