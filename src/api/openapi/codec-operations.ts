import { payloadsSchema } from '../routes/codec';
import { errors } from './errors';
import { json, requires, type ApiOperation } from './operation';

const codec = (operation: 'encode' | 'decode'): ApiOperation => ({
  method: 'post',
  path: `/codec/${operation}`,
  operation: {
    operationId: `codec${operation === 'encode' ? 'Encode' : 'Decode'}`,
    tags: ['Codec server'],
    summary: `${operation === 'encode' ? 'Encrypt' : 'Decrypt'} Temporal payloads for the Web UI and CLI`,
    description:
      'Mounted only when payloads are encrypted and codec access is configured: a token, or (local stack) ' +
      'callers on this machine, who send none.',
    security: [...requires('codecToken'), {}],
    requestBody: { required: true, content: { 'application/json': { schema: payloadsSchema } } },
    responses: { 200: json('The payloads, in order.', payloadsSchema), ...errors(400, 401, 403, 413, 415) },
  },
});

export const codecOperations: ApiOperation[] = [codec('encode'), codec('decode')];
