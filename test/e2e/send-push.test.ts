import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Ack } from '../../src/acks/ack';
import { webhookSignature } from '../../src/acks/webhook';
import { call, eventually } from '../support/http';
import { createPushClient, uniqueId } from '../support/clients';
import { clearFaults, planFault } from '../support/faults';
import { collectTopic } from '../support/kafka';
import { finalStatus } from '../support/messages';
import { acceptedBySandbox, sandboxMessages } from '../support/sandbox';
import { webhookReceiver } from '../support/webhook';

/** Shaped like an FCM registration token; the prefix picks the sandbox's answer (`unregistered…` is refused). */
const deviceToken = (prefix = 'device') =>
  `${prefix}${randomBytes(6).toString('hex')}:APA91b${randomBytes(24).toString('base64url')}`;

const pushMessage = (tokens: string[], messageId: string) => ({
  messageId,
  recipient: { pushTokens: tokens },
  content: { push: { title: 'Shipped', body: 'Your order shipped', data: { orderId: '1234' } } },
});

const pushStatus = (apiKey: string, messageId: string) => finalStatus(apiKey, messageId, 60_000, ['sent', 'failed']);

describe('push through firebase-admin to the sandbox (FCM HTTP v1 over TLS)', () => {
  afterEach(async () => {
    await clearFaults();
  });

  it("sends the SDK's messages:send request, ends at sent with FCM's message name, and acknowledges on Kafka and the webhook", async function () {
    this.timeout(90_000);
    const acks = await collectTopic<Ack>('channels.acks');
    const hook = await webhookReceiver();
    const secret = 'whsec-push-0123456789';
    try {
      const { clientId, apiKey } = await createPushClient({ webhook: { url: hook.url, secret } });
      const token = deviceToken();
      const messageId = uniqueId('push');
      const accepted = await call('POST', '/v1/messages/push', { key: apiKey, body: pushMessage([token], messageId) });
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));

      const [received] = await acceptedBySandbox({ channel: 'push', to: token });
      assert.equal(received!.provider, 'fcm');
      assert.equal(received!.request.path, '/v1/projects/sandbox-project/messages:send');
      assert.equal(received!.request.headers.host, 'fcm.googleapis.com');
      assert.deepEqual(received!.request.body, {
        message: { token, notification: { title: 'Shipped', body: 'Your order shipped' }, data: { orderId: '1234' } },
      });

      const status = await pushStatus(apiKey, messageId);
      assert.equal(status.state, 'sent');
      assert.equal(status.channels[0].attempts, 1);
      assert.equal(status.channels[0].providerMessageId, received!.providerMessageId);
      assert.match(status.channels[0].providerMessageId, /^projects\/sandbox-project\/messages\/\d+$/);

      const ack = await eventually(
        () => Promise.resolve(acks.values.find((a) => a.messageId === messageId)),
        'the ack on channels.acks',
        60_000,
      );
      assert.deepEqual([ack.clientId, ack.channel, ack.state], [clientId, 'push', 'sent']);
      const delivered = await eventually(() => Promise.resolve(hook.received[0]), 'the webhook', 60_000);
      const timestamp = String(delivered.headers['x-comm-timestamp']);
      assert.equal(delivered.headers['x-comm-signature'], webhookSignature(secret, timestamp, delivered.body));
      assert.deepEqual(JSON.parse(delivered.body), ack);
    } finally {
      hook.close();
      await acks.stop();
    }
  });

  it('an unregistered token fails the channel after one attempt with the SDK code', async function () {
    this.timeout(60_000);
    const { apiKey } = await createPushClient();
    const messageId = uniqueId('unregistered');
    await call('POST', '/v1/messages/push', {
      key: apiKey,
      body: pushMessage([deviceToken('unregistered')], messageId),
    });
    const status = await pushStatus(apiKey, messageId);
    assert.equal(status.state, 'failed');
    assert.equal(status.channels[0].attempts, 1);
    assert.match(status.channels[0].lastError, /registration-token-not-registered/);
  });

  it('a retry after a transient error sends only to the devices that did not get the message yet', async function () {
    this.timeout(60_000);
    const { apiKey } = await createPushClient();
    const [first, second] = [deviceToken(), deviceToken()];
    const messageId = uniqueId('retry');
    // 500 INTERNAL is not retried inside the SDK (it retries 503 only), so the activity's retry is what runs.
    await planFault({ channel: 'push', status: 500, count: 1, to: second });
    await call('POST', '/v1/messages/push', { key: apiKey, body: pushMessage([first, second], messageId) });
    const status = await pushStatus(apiKey, messageId);
    assert.equal(status.state, 'sent');
    assert.equal(status.channels[0].attempts, 2);
    const answers = async (token: string) =>
      (await sandboxMessages({ channel: 'push', to: token })).map((m) => m.response.status);
    assert.deepEqual(await answers(first), [200], 'the first device got the message once');
    assert.deepEqual(await answers(second), [500, 200]);
  });

  it('some tokens refused for good: sent to the others, and the refused ones are named', async function () {
    this.timeout(60_000);
    const { apiKey } = await createPushClient();
    const messageId = uniqueId('partial');
    await call('POST', '/v1/messages/push', {
      key: apiKey,
      body: pushMessage([deviceToken(), deviceToken('unregistered'), deviceToken('mismatch')], messageId),
    });
    const status = await pushStatus(apiKey, messageId);
    assert.equal(status.state, 'sent');
    assert.match(status.channels[0].lastError, /sent to 1 device\(s\)/);
    assert.match(status.channels[0].lastError, /pushTokens\[1\] messaging\/registration-token-not-registered/);
    assert.match(status.channels[0].lastError, /pushTokens\[2\] messaging\/mismatched-credential/);
  });
});
