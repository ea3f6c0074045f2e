import type { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject, ZodOpenApiResponseObject } from 'zod-openapi';

/**
 * One route of the API as the document describes it. Each routes module has a list of these beside the schemas
 * it validates with; a new route is one more entry (test/api/openapi.test.ts fails on a route without one).
 */
export interface ApiOperation {
  method: 'get' | 'put' | 'post' | 'delete';
  /** In OpenAPI form: `{clientId}` where Express has `:clientId`. */
  path: string;
  operation: ZodOpenApiOperationObject;
}

export const securitySchemes = {
  clientApiKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'A client API key, `csk_<keyId>_<secret>`, issued by `POST /v1/admin/clients/{clientId}/keys`.',
  },
  adminApiKey: { type: 'http', scheme: 'bearer', description: "The operators' key (`ADMIN_API_KEY`)." },
  codecToken: {
    type: 'http',
    scheme: 'bearer',
    description: '`CODEC_SERVER_TOKEN`, added by the sign-in proxy in front of the Temporal Web UI.',
  },
  postmarkBasic: {
    type: 'http',
    scheme: 'basic',
    description: 'The credentials set on the Postmark webhook (`POSTMARK_WEBHOOK_USER`, `POSTMARK_WEBHOOK_PASSWORD`).',
  },
  twilioSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Twilio-Signature',
    description: "HMAC-SHA1 of the called URL and the form with the account's auth token (`TWILIO_AUTH_TOKEN`).",
  },
} as const;

export const requires = (scheme: keyof typeof securitySchemes) => [{ [scheme]: [] }];
/** Health, the document and its page: callers without credentials (probes, integrators). */
export const open: ZodOpenApiOperationObject['security'] = [];

export const json = (description: string, schema: z.ZodType): ZodOpenApiResponseObject => ({
  description,
  content: { 'application/json': { schema } },
});
export const noContent: ZodOpenApiResponseObject = { description: 'Done; no body.' };

export function pathsOf(operations: ApiOperation[]): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const { method, path, operation } of operations) {
    const item = (paths[path] ??= {});
    if (item[method]) throw new Error(`${method.toUpperCase()} ${path} is declared twice`);
    item[method] = operation;
  }
  return paths;
}
