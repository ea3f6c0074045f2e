import { z } from 'zod';
import { json, open, type ApiOperation } from './operation';

export const documentPath = '/openapi.json';
export const docsPath = '/docs';

const tags = ['Reference'];

export const referenceOperations: ApiOperation[] = [
  {
    method: 'get',
    path: documentPath,
    operation: {
      operationId: 'getOpenApiDocument',
      tags,
      summary: 'This document (OpenAPI 3.1)',
      security: open,
      responses: { 200: json('The document.', z.looseObject({ openapi: z.string(), info: z.looseObject({}) })) },
    },
  },
  {
    method: 'get',
    path: docsPath,
    operation: {
      operationId: 'getApiReference',
      tags,
      summary: 'This document as a reference page (Swagger UI, served from this server only)',
      security: open,
      responses: { 200: { description: 'The page.', content: { 'text/html': { schema: z.string() } } } },
    },
  },
];
