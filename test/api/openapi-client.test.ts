import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { openApiDocument } from '../../src/api/openapi/document';

/**
 * What an integrator does with /openapi.json: generate a typed client (openapi-typescript, the generator behind
 * openapi-fetch) and program against it. Code that sends a valid message and reads the answers compiles; each
 * mistake our schemas forbid is marked `@ts-expect-error`, so a generated type too loose to catch it fails the
 * compile with "Unused '@ts-expect-error' directive".
 */
const integratorCode = `
import type { components, paths } from './api';

type Send = paths['/v1/messages']['post'];
type Message = Send['requestBody']['content']['application/json'];
type Accepted = Send['responses'][202]['content']['application/json'];
type Status = paths['/v1/messages/{messageId}']['get']['responses'][200]['content']['application/json'];
type ErrorBody = components['schemas']['Error'];
type Listing = paths['/v1/messages']['get'];

export const message: Message = {
  messageId: 'order-1234-shipped',
  channels: ['email', 'sms'],
  recipient: { email: 'dana@example.com', phone: '+15551230000' },
  content: { email: { subject: 'Shipped', text: 'On its way' }, sms: { body: 'Shipped' } },
  metadata: { orderId: '1234' },
};
export const describe = (accepted: Accepted, status: Status, error: ErrorBody) =>
  [accepted.workflowId, accepted.channels.map((c) => c.channel), status.channels[0]?.state, error.error.code,
    error.error.requestId, error.error.details.map((d) => d.path)];
export const query: Listing['parameters']['query'] = { state: 'sent', limit: 50 };

// @ts-expect-error a recipient is required
export const noRecipient: Message = { content: { sms: { body: 'x' } } };
// @ts-expect-error channels are sms, email or push
export const fax: Message = { channels: ['fax'], recipient: { phone: '+15551230000' }, content: {} };
// @ts-expect-error an error code outside SPEC §7's list
export const code: ErrorBody['error']['code'] = 'teapot';
`;

describe('a client generated from /openapi.json', () => {
  it('openapi-typescript generates types that accept a valid call and reject what the schemas forbid', async function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-client-'));
    const document = JSON.parse(JSON.stringify(openApiDocument())) as Parameters<typeof openapiTS>[0];
    // With its default (true), a property with a default is generated as required, in request bodies too
    // (`priority` would have to be sent): README "API reference" gives the same flag for the CLI.
    fs.writeFileSync(path.join(dir, 'api.ts'), astToString(await openapiTS(document, { defaultNonNullable: false })));
    fs.writeFileSync(path.join(dir, 'integrator.ts'), integratorCode);
    const program = ts.createProgram([path.join(dir, 'integrator.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${path.basename(d.file?.fileName ?? '')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    assert.deepEqual(problems, []);
  });
});
