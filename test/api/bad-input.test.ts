import assert from 'node:assert/strict';
import { call } from '../support/http';
import { assertErrorShape, assertNoWorkflow, type ErrorBody } from '../support/errors';
import { createEmailClient, emailMessage, uniqueId } from '../support/clients';

describe('bad input on POST /v1/messages/email', () => {
  let client: Awaited<ReturnType<typeof createEmailClient>>;
  before(async () => {
    client = await createEmailClient();
  });

  const cases: {
    name: string;
    status: number;
    code: string;
    send: (messageId: string) => Parameters<typeof call>[2];
    path?: string;
  }[] = [
    {
      name: 'malformed JSON is 400',
      status: 400,
      code: 'invalid_request',
      send: (messageId) => ({ body: `{"messageId":"${messageId}","recipient":{"email":"a@example.com"},` }),
    },
    {
      name: 'a JSON array instead of an object is 400',
      status: 400,
      code: 'invalid_request',
      send: () => ({ body: '[1,2,3]' }),
    },
    {
      name: 'a missing recipient is 400 and names the field',
      status: 400,
      code: 'invalid_request',
      path: 'recipient',
      send: (messageId) => ({ body: { messageId, content: { email: { subject: 's', text: 't' } } } }),
    },
    {
      name: 'missing email content is 400 and names the field',
      status: 400,
      code: 'invalid_request',
      path: 'content.email',
      send: (messageId) => ({
        body: { messageId, recipient: { email: 'a@example.com' }, content: { email: { subject: 's' } } },
      }),
    },
    {
      name: 'a bad email address is 400 and names the field',
      status: 400,
      code: 'invalid_request',
      path: 'recipient.email',
      send: (messageId) => ({ body: { ...emailMessage('not-an-address', messageId) } }),
    },
    {
      name: 'a wrong type is 400',
      status: 400,
      code: 'invalid_request',
      path: 'priority',
      send: (messageId) => ({ body: { ...emailMessage('a@example.com', messageId), priority: 7 } }),
    },
    {
      name: 'an unknown field is 400',
      status: 400,
      code: 'invalid_request',
      send: (messageId) => ({ body: { ...emailMessage('a@example.com', messageId), recipent: {} } }),
    },
    {
      name: 'a recipient without an email address is 422: nothing deliverable',
      status: 422,
      code: 'not_deliverable',
      path: 'channels.email',
      send: (messageId) => ({
        body: { messageId, recipient: { phone: '+972501234567' }, content: { email: { subject: 's', text: 't' } } },
      }),
    },
    {
      name: 'a body over the size limit is 413',
      status: 413,
      code: 'payload_too_large',
      send: (messageId) => ({
        body: emailMessage('a@example.com', messageId),
        // Built below with padding that pushes it past MAX_REQUEST_BYTES.
      }),
    },
  ];

  for (const testCase of cases) {
    it(`${testCase.name}, and starts no workflow`, async () => {
      const messageId = uniqueId('bad');
      const options = testCase.send(messageId) ?? {};
      if (testCase.status === 413) {
        const huge = {
          ...(options.body as object),
          metadata: { pad: 'x'.repeat(1000) },
          padding: 'x'.repeat(Number(300 * 1024)),
        };
        options.body = JSON.stringify(huge);
      }
      const response = await call<ErrorBody>('POST', '/v1/messages/email', { key: client.apiKey, ...options });
      assert.equal(response.status, testCase.status, JSON.stringify(response.body));
      assertErrorShape(response.body, testCase.code);
      if (testCase.path)
        assert.ok(
          response.body.error.details.some((d) => d.path === testCase.path),
          JSON.stringify(response.body),
        );
      await assertNoWorkflow(client.clientId, messageId);
    });
  }

  it('an unknown message is 404 on the status API', async () => {
    const response = await call<ErrorBody>('GET', `/v1/messages/${uniqueId('nothing')}`, { key: client.apiKey });
    assert.equal(response.status, 404);
    assertErrorShape(response.body, 'not_found');
  });
});
