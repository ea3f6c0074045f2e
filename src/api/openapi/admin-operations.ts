import { z } from 'zod';
import { profileSchema } from '../../shared/profile-schema';
import { identifier } from '../../shared/schema-primitives';
import { errors } from './errors';
import { json, noContent, requires, type ApiOperation } from './operation';
import { issuedKeySchema, profileViewSchema, savedProfileSchema } from './response-schemas';

const security = requires('adminApiKey');
const tags = ['Admin'];
const client = '/v1/admin/clients/{clientId}';
const clientId = z.object({ clientId: identifier });

export const adminOperations: ApiOperation[] = [
  {
    method: 'put',
    path: client,
    operation: {
      operationId: 'putClient',
      tags,
      summary: "Create or replace a client's profile",
      description: 'Messages still waiting are re-planned against the new profile.',
      security,
      requestParams: { path: clientId },
      requestBody: { required: true, content: { 'application/json': { schema: profileSchema } } },
      responses: {
        200: json('Replaced.', savedProfileSchema),
        201: json('Created.', savedProfileSchema),
        ...errors(400, 401, 413, 415, 503),
      },
    },
  },
  {
    method: 'get',
    path: client,
    operation: {
      operationId: 'getClient',
      tags,
      summary: "A client's profile",
      security,
      requestParams: { path: clientId },
      responses: { 200: json('The profile.', profileViewSchema), ...errors(400, 401, 404, 503) },
    },
  },
  {
    method: 'delete',
    path: client,
    operation: {
      operationId: 'deleteClient',
      tags,
      summary: "Delete a client's profile",
      security,
      requestParams: { path: clientId },
      responses: { 204: noContent, ...errors(400, 401, 404, 503) },
    },
  },
  {
    method: 'post',
    path: `${client}/keys`,
    operation: {
      operationId: 'issueApiKey',
      tags,
      summary: 'Issue an API key for a client',
      security,
      requestParams: { path: clientId },
      responses: { 201: json('The key, shown this once.', issuedKeySchema), ...errors(400, 401, 404, 503) },
    },
  },
  {
    method: 'delete',
    path: `${client}/keys/{keyId}`,
    operation: {
      operationId: 'revokeApiKey',
      tags,
      summary: 'Revoke an API key',
      security,
      requestParams: { path: clientId.extend({ keyId: z.string().meta({ description: 'From the issue answer.' }) }) },
      responses: { 204: noContent, ...errors(400, 401, 404, 503) },
    },
  },
];
