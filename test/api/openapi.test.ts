import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import fs from 'node:fs';
import type { Server } from 'node:http';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { harness, testEnv } from '../support/harness';
import { admin, call, type JsonResponse } from '../support/http';
import { emailChannel, emailMessage, smsChannel, uniqueId } from '../support/clients';

type Json = Record<string, any>;

/** The running API's own Express app: its HTTP server's request listener, seen as one request arrives. */
async function runningApp(baseUrl: string): Promise<Json> {
  let server: Server | undefined;
  const seen = (message: unknown) => {
    server ??= (message as { server: Server }).server;
  };
  diagnostics.subscribe('http.server.request.start', seen);
  try {
    await fetch(`${baseUrl}/health/live`).then((r) => r.body?.cancel());
  } finally {
    diagnostics.unsubscribe('http.server.request.start', seen);
  }
  const [app] = server?.listeners('request') ?? [];
  assert.ok(app, 'no request listener on the API server');
  return app;
}

/** `METHOD /path` of every route in an Express 5 router, routers mounted without a path walked into. */
function routesOf(router: Json): string[] {
  return (router.stack as Json[]).flatMap((layer): string[] => {
    if (layer.route) {
      const { path, methods } = layer.route as { path: unknown; methods: Record<string, boolean> };
      assert.equal(typeof path, 'string', 'a route whose path is not a string cannot be compared');
      const openApiPath = (path as string).replace(/:(\w+)/g, '{$1}');
      return Object.keys(methods).map((method) => `${method.toUpperCase()} ${openApiPath}`);
    }
    if (!Array.isArray(layer.handle?.stack)) return [];
    assert.ok(layer.slash, 'a router mounted under a path: its routes would need the prefix');
    return routesOf(layer.handle);
  });
}

const documentedRoutes = (document: Json) =>
  Object.entries(document.paths as Json).flatMap(([path, item]) =>
    Object.keys(item as Json).map((method) => `${method.toUpperCase()} ${path}`),
  );

describe('the OpenAPI document at /openapi.json', () => {
  let document: Json;
  let ajv: Ajv2020;

  before(async () => {
    const served = await call('GET', '/openapi.json');
    assert.equal(served.status, 200);
    document = served.body as Json;
    ajv = addFormats(new Ajv2020({ allErrors: true, strictTypes: false }));
    // The document's references point into its components; as $defs they resolve in any JSON Schema validator.
    const defs = JSON.parse(
      JSON.stringify(document.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'),
    ) as Json;
    ajv.addSchema({ $id: 'components', $defs: defs });
  });

  const validate = async (candidate: unknown) => new Validator().validate(candidate as Json);

  it('is a valid OpenAPI 3.1 document, versioned as package.json, for any host', async () => {
    const result = await validate(document);
    assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
    assert.equal(document.openapi, '3.1.0');
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    assert.equal(document.info.version, pkg.version);
    assert.deepEqual(document.servers, [{ url: '/' }]);
    assert.ok(document.webhooks.ack.post.requestBody, 'the outgoing webhook is described');
  });

  it('a broken copy is rejected by the same validator', async () => {
    const withoutVersion = structuredClone(document);
    delete withoutVersion.info.version;
    assert.equal((await validate(withoutVersion)).valid, false);
    const bodyParameter = structuredClone(document);
    bodyParameter.paths['/v1/messages/{messageId}'].get.parameters[0].in = 'body';
    assert.equal((await validate(bodyParameter)).valid, false);
  });

  it('documents exactly the routes the running API serves', async () => {
    const app = await runningApp((await harness()).api.url);
    const served = routesOf(app.router as Json).sort();
    assert.ok(served.includes('POST /v1/messages') && served.includes('GET /openapi.json'), served.join(', '));
    assert.deepEqual(documentedRoutes(document).sort(), served);
  });

  /** A real answer conforms: its status is documented for the operation, its body matches that schema. */
  function assertConforms(method: string, path: string, response: JsonResponse): void {
    const operation = document.paths[path]?.[method.toLowerCase()] as Json | undefined;
    assert.ok(operation, `${method} ${path} is not in the document`);
    let documented = operation.responses[String(response.status)] as Json | undefined;
    assert.ok(
      documented,
      `${response.status} is not documented for ${method} ${path}: ${JSON.stringify(response.body)}`,
    );
    if (documented.$ref) documented = document.components.responses[String(documented.$ref).split('/').pop()!];
    const schema = documented!.content?.['application/json']?.schema as Json | undefined;
    if (!schema) {
      assert.equal(response.body, undefined, `${method} ${path} ${response.status} has a body the document omits`);
      return;
    }
    const check = ajv.compile(
      JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', 'components#/$defs/')),
    );
    assert.ok(
      check(response.body),
      `${method} ${path} ${response.status}: ${ajv.errorsText(check.errors)}\n${JSON.stringify(response.body)}`,
    );
  }

  it('real answers of the service conform: health, admin, send, status and their errors', async function () {
    this.timeout(90_000);
    const asAdmin = (method: string, path: string, template: string, body?: unknown) =>
      admin(method, path, body).then((response) => {
        assertConforms(method, template, response);
        return response;
      });
    const asClient = (key: string | undefined, method: string, path: string, template: string, body?: unknown) =>
      call(method, path, { key, body }).then((response) => {
        assertConforms(method, template, response);
        return response;
      });

    assert.equal((await asClient(undefined, 'GET', '/health/live', '/health/live')).status, 200);
    assert.equal((await asClient(undefined, 'GET', '/health/ready', '/health/ready')).status, 200);

    const clientPath = '/v1/admin/clients/{clientId}';
    const clientId = uniqueId('openapi');
    const profile = {
      name: 'OpenAPI Ltd',
      timezone: 'UTC',
      channels: { ...emailChannel, ...smsChannel },
      webhook: { url: 'https://openapi.example/hooks', secret: 'a-webhook-secret-of-some-length' },
    };
    assert.equal((await asAdmin('PUT', `/v1/admin/clients/${clientId}`, clientPath, profile)).status, 201);
    assert.equal((await asAdmin('PUT', `/v1/admin/clients/${clientId}`, clientPath, profile)).status, 200);
    assert.equal((await asAdmin('GET', `/v1/admin/clients/${clientId}`, clientPath)).status, 200);
    assert.equal((await asAdmin('GET', '/v1/admin/clients/no%20such', clientPath)).status, 400);
    const issued = await asAdmin('POST', `/v1/admin/clients/${clientId}/keys`, `${clientPath}/keys`);
    assert.equal(issued.status, 201);
    const key = issued.body.apiKey as string;

    const sms = { recipient: { phone: '+15550002222' }, content: { sms: { body: 'Your code is 1234' } } };
    const sent = await asClient(key, 'POST', '/v1/messages/sms', '/v1/messages/sms', sms);
    assert.equal(sent.status, 202);
    const messageId = uniqueId('openapi-email');
    const email = emailMessage(`${uniqueId('dana')}@example.com`, messageId);
    assert.equal((await asClient(key, 'POST', '/v1/messages', '/v1/messages', email)).status, 202);
    const conflicting = { ...email, metadata: { orderId: 'another' } };
    assert.equal((await asClient(key, 'POST', '/v1/messages', '/v1/messages', conflicting)).status, 409);
    const invalid = { recipient: { phone: '0501234567' }, content: { sms: { body: 'x' } } };
    assert.equal((await asClient(key, 'POST', '/v1/messages', '/v1/messages', invalid)).status, 400);
    const foreign = { ...sms, clientId: 'someone-else' };
    assert.equal((await asClient(key, 'POST', '/v1/messages/sms', '/v1/messages/sms', foreign)).status, 403);
    const pushOnly = { ...sms, channels: ['push'], recipient: { pushTokens: ['openapi-device-0001:APA91b'] } };
    assert.equal((await asClient(key, 'POST', '/v1/messages', '/v1/messages', pushOnly)).status, 422);
    assert.equal((await asClient(undefined, 'POST', '/v1/messages', '/v1/messages', email)).status, 401);

    const statusPath = '/v1/messages/{messageId}';
    assert.equal((await asClient(key, 'GET', `/v1/messages/${messageId}`, statusPath)).status, 200);
    assert.equal((await asClient(key, 'DELETE', `/v1/messages/${uniqueId('none')}`, statusPath)).status, 404);
    assert.equal((await asClient(key, 'GET', `/v1/messages/${uniqueId('none')}`, statusPath)).status, 404);

    const listed = await asClient(key, 'GET', '/v1/messages?limit=1', '/v1/messages');
    assert.equal(listed.status, 200);
    assert.equal((await asClient(key, 'GET', '/v1/messages?cursor=forged', '/v1/messages')).status, 400);
    assert.equal((await asAdmin('GET', '/v1/admin/clients?limit=2', '/v1/admin/clients')).status, 200);
    assert.equal((await asAdmin('GET', `/v1/admin/clients/${clientId}/keys`, `${clientPath}/keys`)).status, 200);
    const keyPath = `${clientPath}/keys/{keyId}`;
    assert.equal(
      (await asAdmin('DELETE', `/v1/admin/clients/${clientId}/keys/${issued.body.keyId}`, keyPath)).status,
      204,
    );
    assert.equal(
      (await asAdmin('DELETE', `/v1/admin/clients/${clientId}/keys/${issued.body.keyId}`, keyPath)).status,
      404,
    );
    assert.equal((await asClient(key, 'GET', `/v1/messages/${messageId}`, statusPath)).status, 401);
    assert.equal((await asAdmin('DELETE', `/v1/admin/clients/${clientId}`, clientPath)).status, 204);
    assert.equal((await asAdmin('GET', `/v1/admin/clients/${clientId}`, clientPath)).status, 404);
  });

  it('the receipt endpoints and the codec server answer as documented', async () => {
    const twilio = await call('POST', '/v1/callbacks/twilio?workflowId=msg:a:b', {
      body: 'MessageSid=SM1&MessageStatus=delivered',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
    });
    assert.equal(twilio.status, 403);
    assertConforms('POST', '/v1/callbacks/twilio', twilio);
    const postmark = await call('POST', '/v1/callbacks/postmark', { body: { RecordType: 'Delivery' } });
    assert.equal(postmark.status, 401);
    assertConforms('POST', '/v1/callbacks/postmark', postmark);

    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: 'ImhpIg==' };
    const encoded = await call('POST', '/codec/encode', {
      key: testEnv.CODEC_SERVER_TOKEN,
      body: { payloads: [plain] },
    });
    assert.equal(encoded.status, 200);
    assertConforms('POST', '/codec/encode', encoded);
    const decoded = await call('POST', '/codec/decode', { key: testEnv.CODEC_SERVER_TOKEN, body: encoded.body });
    assert.equal(decoded.status, 200);
    assertConforms('POST', '/codec/decode', decoded);
    assert.deepEqual(decoded.body.payloads, [plain]);
  });
});
