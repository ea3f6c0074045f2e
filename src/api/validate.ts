import type { z } from 'zod';
import { issueDetails } from '../messages/message-schema';
import { identifier } from '../shared/schema-primitives';
import { hasProtoKey, protoKeyMessage } from '../shared/json-safety';
import { badRequest } from './http-error';

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('request body must be a JSON object');
  }
  if (hasProtoKey(body)) throw badRequest(protoKeyMessage, [{ path: '(body)', issue: protoKeyMessage }]);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badRequest('request body does not match the schema', issueDetails(parsed.error));
  return parsed.data;
}

/** Query parameters come as strings (or arrays, when repeated): the schema coerces what it needs. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw badRequest('query parameters do not match the schema', issueDetails(parsed.error));
  return parsed.data;
}

/** A path parameter that becomes part of a workflow ID or a database key: same alphabet as in bodies. */
export function identifierParam(name: string, value: unknown): string {
  const parsed = identifier.safeParse(value);
  if (!parsed.success) throw badRequest(`${name} is not a valid identifier`, [{ path: name, issue: 'invalid' }]);
  return parsed.data;
}
