import fs from 'node:fs';
import path from 'node:path';
import { createDocument } from 'zod-openapi';
import { messageSchema } from '../../messages/message-schema';
import { profileSchema } from '../../shared/profile-schema';
import { identifier } from '../../shared/schema-primitives';
import { adminOperations } from './admin-operations';
import { callbackOperations } from './callback-operations';
import { codecOperations } from './codec-operations';
import { errorSchema } from './errors';
import { healthOperations } from './health-operations';
import { listingOperations } from './listing-operations';
import { messageOperations } from './message-operations';
import { pathsOf, securitySchemes, type ApiOperation } from './operation';
import { referenceOperations } from './reference-operations';
import { ackWebhook } from './webhook-operation';

/** Every route the API serves; test/api/openapi.test.ts compares it with the Express app's routes. */
export const apiOperations: ApiOperation[] = [
  ...messageOperations,
  ...listingOperations,
  ...adminOperations,
  ...callbackOperations,
  ...codecOperations,
  ...healthOperations,
  ...referenceOperations,
];

/** The nearest package.json above this file: two levels more in dist/ than in src/, so it is looked for. */
function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) throw new Error('no package.json above the OpenAPI document');
  }
}

const description = `Durable multi-tenant SMS, email and push sending (SPEC §2–§4).

Every error answers \`{"error":{"code","message","details":[{"path","issue"}]}}\` (SPEC §7): see the \`Error\` schema
and each operation's responses. Any request may also be refused before routing: 400 \`invalid_request\` for bytes
that are not valid HTTP, 431 \`headers_too_large\`.`;

type OpenApiDocument = ReturnType<typeof createDocument>;

let built: OpenApiDocument | undefined;

/** Built once per process from the zod schemas that validate the requests. */
export function openApiDocument(): OpenApiDocument {
  built ??= createDocument({
    openapi: '3.1.0',
    info: { title: 'Communication service', version: packageVersion(), description },
    // Relative: the document describes whichever host served it.
    servers: [{ url: '/' }],
    tags: [
      { name: 'Messages', description: 'The Send API (SPEC §2), behind a client API key.' },
      { name: 'Admin', description: 'Client profiles and API keys (SPEC §3), behind the admin key.' },
      { name: 'Receipts', description: 'Delivery receipts from the providers.' },
      { name: 'Codec server', description: 'Payload decryption for the Temporal Web UI.' },
      { name: 'Operations', description: 'Probes for load balancers and Kubernetes, and metrics.' },
      { name: 'Reference', description: 'This document.' },
    ],
    paths: pathsOf(apiOperations),
    webhooks: { ack: ackWebhook },
    components: {
      schemas: {
        MessageRequest: messageSchema,
        ClientProfile: profileSchema,
        Identifier: identifier,
        Error: errorSchema,
      },
      securitySchemes,
    },
  });
  return built;
}
