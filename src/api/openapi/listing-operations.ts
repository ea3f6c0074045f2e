import { z } from 'zod';
import { identifier } from '../../shared/schema-primitives';
import {
  apiKeyListResponse,
  clientListQuery,
  clientListResponse,
  messageListQuery,
  messageListResponse,
} from '../listing-schemas';
import { errors } from './errors';
import { json, requires, type ApiOperation } from './operation';

const paged = 'Cursor-paginated: pass `nextCursor` back as `cursor`, with the same filters, until it is null.';

export const listingOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/messages',
    operation: {
      operationId: 'listMessages',
      tags: ['Messages'],
      summary: "The key's client's messages, one item per channel, waiting ones included",
      description: paged,
      security: requires('clientApiKey'),
      requestParams: { query: messageListQuery },
      responses: { 200: json('One page.', messageListResponse), ...errors(400, 401, 429, 503) },
    },
  },
  {
    method: 'get',
    path: '/v1/admin/clients',
    operation: {
      operationId: 'listClients',
      tags: ['Admin'],
      summary: 'The clients',
      description: paged,
      security: requires('adminApiKey'),
      requestParams: { query: clientListQuery },
      responses: { 200: json('One page.', clientListResponse), ...errors(400, 401, 503) },
    },
  },
  {
    method: 'get',
    path: '/v1/admin/clients/{clientId}/keys',
    operation: {
      operationId: 'listApiKeys',
      tags: ['Admin'],
      summary: "A client's API keys: metadata only, never a secret",
      security: requires('adminApiKey'),
      requestParams: { path: z.object({ clientId: identifier }) },
      responses: { 200: json('Every key, revoked ones included.', apiKeyListResponse), ...errors(400, 401, 404, 503) },
    },
  },
];
