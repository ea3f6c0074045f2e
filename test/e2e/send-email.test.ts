import assert from 'node:assert/strict';
import { ClientIdKey } from '../../src/shared/search-attributes';
import { pointPostmarkWebhookAt } from '../../scripts/sandbox-webhook';
import { harness, sandboxUrl, testEnv } from '../support/harness';
import { call, eventually } from '../support/http';
import { createEmailClient, emailMessage, uniqueId } from '../support/clients';
import { acceptedBySandbox } from '../support/sandbox';

describe('sending an email end to end on the local stack', () => {
  it('goes from the Send API through Temporal and the postmark SDK to the sandbox, and reports sent', async () => {
    const { temporal } = await harness();
    const { clientId, apiKey } = await createEmailClient();
    const to = `${uniqueId('dana')}@example.com`;
    const messageId = uniqueId('order-shipped');

    const accepted = await call('POST', '/v1/messages/email', { key: apiKey, body: emailMessage(to, messageId) });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    assert.equal(accepted.body.workflowId, `msg:${clientId}:${messageId}`);
    assert.deepEqual(
      accepted.body.channels.map((c: { channel: string; state: string }) => [c.channel, c.state]),
      [['email', 'scheduled']],
    );
    assert.equal(accepted.body.statusUrl, `/v1/messages/${messageId}`);

    const [received] = await acceptedBySandbox({ channel: 'email', to });
    assert.ok(received);
    assert.equal(received.request.path, '/email');
    assert.equal(received.request.headers['x-postmark-server-token'], '[redacted]');
    assert.deepEqual(received.request.body, {
      From: 'noreply@acme.example',
      To: to,
      Subject: 'Shipped',
      TextBody: 'Your order shipped',
      HtmlBody: '<p>Your order shipped</p>',
      MessageStream: 'outbound',
      Metadata: { clientId, messageId },
    });

    const status = await eventually(async () => {
      const response = await call('GET', `/v1/messages/${messageId}`, { key: apiKey });
      return response.body?.channels?.[0]?.state === 'delivered' ? response : undefined;
    }, 'the status API to show delivered');
    const [email] = status.body.channels;
    assert.equal(status.status, 200);
    assert.equal(status.body.state, 'delivered');
    assert.equal(email.providerMessageId, received.providerMessageId);
    assert.equal(email.attempts, 1);
    assert.deepEqual(
      email.history.map((h: { state: string }) => h.state),
      ['scheduled', 'sending', 'sent', 'delivered'],
    );

    const description = await eventually(async () => {
      const d = await temporal.workflow.getHandle(accepted.body.workflowId).describe();
      return d.status.name === 'COMPLETED' ? d : undefined;
    }, 'the workflow to complete');
    assert.equal(description.type, 'deliverMessage');
    assert.equal(description.typedSearchAttributes.get(ClientIdKey), clientId);
  });

  it('fails the channel after one attempt when Postmark reports an inactive recipient', async () => {
    const { apiKey } = await createEmailClient();
    const to = `${uniqueId('inactive')}@example.com`;
    const messageId = uniqueId('bounce');
    assert.equal(
      (await call('POST', '/v1/messages/email', { key: apiKey, body: emailMessage(to, messageId) })).status,
      202,
    );

    const status = await eventually(async () => {
      const response = await call('GET', `/v1/messages/${messageId}`, { key: apiKey });
      return response.body?.channels?.[0]?.state === 'failed' ? response : undefined;
    }, 'the channel to fail');
    const [email] = status.body.channels;
    assert.equal(email.attempts, 1);
    assert.match(email.lastError, /406/);
  });

  it('a Postmark bounce webhook moves the channel from sent to failed', async () => {
    const { apiKey } = await createEmailClient();
    const messageId = uniqueId('bounce');
    await call('POST', '/v1/messages/email', {
      key: apiKey,
      body: emailMessage(`${uniqueId('bounce')}@example.com`, messageId),
    });
    const status = await eventually(async () => {
      const response = await call('GET', `/v1/messages/${messageId}`, { key: apiKey });
      return response.body?.state === 'failed' ? response : undefined;
    }, 'the bounce to fail the channel');
    assert.deepEqual(
      status.body.channels[0].history.map((h: { state: string }) => h.state),
      ['scheduled', 'sending', 'sent', 'failed'],
    );
    assert.match(status.body.channels[0].lastError, /HardBounce/);
  });

  it('a Postmark webhook without the configured credentials is refused with 401 and changes nothing', async () => {
    const { api } = await harness();
    // Postmark's own webhook stays quiet for this test, so only the requests below can change the channel.
    await fetch(`${sandboxUrl}/sandbox/postmark/webhook`, { method: 'DELETE' });
    try {
      const { clientId, apiKey } = await createEmailClient();
      const to = `${uniqueId('unverified')}@example.com`;
      const messageId = uniqueId('unverified');
      await call('POST', '/v1/messages/email', { key: apiKey, body: emailMessage(to, messageId) });
      const [received] = await acceptedBySandbox({ to });
      const event = (recordType: string) => ({
        RecordType: recordType,
        MessageID: received!.providerMessageId,
        Type: 'HardBounce',
        Metadata: { clientId, messageId },
      });
      const post = (body: unknown, authorization?: string) =>
        fetch(`${api.url}/v1/callbacks/postmark`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify(body),
        });
      const basic = (user: string, password: string) =>
        `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

      assert.equal((await post(event('Bounce'))).status, 401);
      assert.equal((await post(event('Bounce'), basic('postmark-webhook', 'wrong-password'))).status, 401);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal((await call('GET', `/v1/messages/${messageId}`, { key: apiKey })).body.state, 'sent');

      const genuine = await post(
        event('Delivery'),
        basic(testEnv.POSTMARK_WEBHOOK_USER!, testEnv.POSTMARK_WEBHOOK_PASSWORD!),
      );
      assert.equal(genuine.status, 204);
      await eventually(async () => {
        const response = await call('GET', `/v1/messages/${messageId}`, { key: apiKey });
        return response.body?.state === 'delivered' ? true : undefined;
      }, 'the verified delivery');
    } finally {
      await pointPostmarkWebhookAt(`${api.url}/v1/callbacks/postmark`, testEnv);
    }
  });
});
