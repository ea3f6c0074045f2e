import assert from 'node:assert/strict';
import twilio from 'twilio';
import type { Ack } from '../../src/acks/ack';
import { harness, testEnv } from '../support/harness';
import { call, eventually } from '../support/http';
import { finalStatus } from '../support/messages';
import { createSmsClient, uniqueId } from '../support/clients';
import { clearFaults, planFault } from '../support/faults';
import { collectTopic } from '../support/kafka';
import { acceptedBySandbox, sandboxMessages } from '../support/sandbox';

let phoneCounter = 0;
/** A distinct valid number per test, so sandbox filters by recipient never mix tests. */
const uniquePhone = () => `+1555${String(Date.now() % 1_000_000).padStart(6, '0')}${phoneCounter++ % 10}`;

const smsMessage = (phone: string, messageId: string) => ({
  messageId,
  recipient: { phone },
  content: { sms: { body: 'Your order shipped' } },
});

describe('SMS through the twilio SDK to the sandbox', () => {
  afterEach(async () => {
    await clearFaults();
  });

  it("sends the SDK's form-encoded request, reports sent with Twilio's SID, and acknowledges on channels.acks", async function () {
    this.timeout(90_000);
    const acks = await collectTopic<Ack>('channels.acks');
    try {
      const { clientId, apiKey } = await createSmsClient();
      const phone = uniquePhone();
      const messageId = uniqueId('sms');
      const accepted = await call('POST', '/v1/messages/sms', { key: apiKey, body: smsMessage(phone, messageId) });
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));

      const [received] = await acceptedBySandbox({ channel: 'sms', to: phone });
      assert.equal(received!.provider, 'twilio');
      assert.match(received!.request.path, /^\/2010-04-01\/Accounts\/AC0{32}\/Messages\.json$/);
      assert.match(String(received!.request.headers['content-type']), /application\/x-www-form-urlencoded/);
      const { api } = await harness();
      assert.deepEqual(received!.request.body, {
        To: phone,
        From: '+15550001111',
        Body: 'Your order shipped',
        StatusCallback: `${api.url}/v1/callbacks/twilio?workflowId=${encodeURIComponent(`msg:${clientId}:${messageId}`)}`,
      });

      // The sandbox sends Twilio's signed status callback; the verified receipt moves sent to delivered.
      const status = await finalStatus(apiKey, messageId);
      assert.equal(status.state, 'delivered');
      assert.deepEqual(
        status.channels[0].history.map((h: { state: string }) => h.state),
        ['scheduled', 'sending', 'sent', 'delivered'],
      );
      assert.equal(status.channels[0].providerMessageId, received!.providerMessageId);
      assert.match(status.channels[0].providerMessageId, /^SM[0-9a-f]{32}$/);
      const ack = await eventually(
        () => Promise.resolve(acks.values.find((a) => a.messageId === messageId)),
        'the ack',
        60_000,
      );
      assert.deepEqual([ack.clientId, ack.channel, ack.state], [clientId, 'sms', 'delivered']);
    } finally {
      await acks.stop();
    }
  });

  it('two 503s then success: sent after 3 attempts', async function () {
    this.timeout(90_000);
    const { apiKey } = await createSmsClient();
    const phone = uniquePhone();
    const messageId = uniqueId('flaky');
    await planFault({ channel: 'sms', status: 503, count: 2 });
    await call('POST', '/v1/messages/sms', { key: apiKey, body: smsMessage(phone, messageId) });
    const status = await finalStatus(apiKey, messageId);
    assert.equal(status.state, 'delivered');
    assert.equal(status.channels[0].attempts, 3);
    const statuses = (await sandboxMessages({ channel: 'sms', to: phone })).map((m) => m.response.status);
    assert.deepEqual(statuses, [503, 503, 201]);
  });

  it('429 with Retry-After: 2: the next attempt comes no earlier than 2 s later', async function () {
    this.timeout(90_000);
    const { apiKey } = await createSmsClient();
    const phone = uniquePhone();
    const messageId = uniqueId('throttled');
    await planFault({ channel: 'sms', status: 429, retryAfter: 2, count: 1 });
    await call('POST', '/v1/messages/sms', { key: apiKey, body: smsMessage(phone, messageId) });
    assert.equal((await finalStatus(apiKey, messageId)).state, 'delivered');
    const [throttled, accepted] = await sandboxMessages({ channel: 'sms', to: phone });
    assert.equal(throttled!.response.status, 429);
    assert.equal(accepted!.response.status, 201);
    const gap = Date.parse(accepted!.receivedAt) - Date.parse(throttled!.receivedAt);
    assert.ok(gap >= 2_000, `the retry came ${gap} ms after the 429`);
  });

  it("a permanent error (21211 invalid number) fails after one attempt with the provider's code", async function () {
    this.timeout(60_000);
    const { apiKey } = await createSmsClient();
    const messageId = uniqueId('invalid');
    // Twilio's magic test number for "not a valid phone number".
    await call('POST', '/v1/messages/sms', { key: apiKey, body: smsMessage('+15005550001', messageId) });
    const status = await finalStatus(apiKey, messageId);
    assert.equal(status.state, 'failed');
    assert.equal(status.channels[0].attempts, 1);
    assert.match(status.channels[0].lastError, /21211/);
  });

  it('a forged Twilio status callback is refused with 403 and changes nothing; a genuine one delivers', async function () {
    this.timeout(60_000);
    const { clientId, apiKey } = await createSmsClient();
    const messageId = uniqueId('forged');
    // The sandbox sends no callback for numbers ending 0000, so only the requests below can change the channel.
    const phone = `${uniquePhone().slice(0, 10)}0000`;
    await call('POST', '/v1/messages/sms', { key: apiKey, body: smsMessage(phone, messageId) });
    const [received] = await acceptedBySandbox({ channel: 'sms', to: phone });
    const { api } = await harness();
    const url = `${api.url}/v1/callbacks/twilio?workflowId=${encodeURIComponent(`msg:${clientId}:${messageId}`)}`;
    const post = (params: Record<string, string>, signature: string | undefined) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(signature ? { 'x-twilio-signature': signature } : {}),
        },
        body: new URLSearchParams(params).toString(),
      });
    const undelivered = { MessageSid: received!.providerMessageId!, MessageStatus: 'undelivered', ErrorCode: '30003' };
    for (const signature of [
      undefined,
      'bm90IGEgc2lnbmF0dXJl',
      twilio.getExpectedTwilioSignature('wrong-token', url, undelivered),
    ]) {
      const response = await post(undelivered, signature);
      assert.equal(response.status, 403);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'forbidden');
    }
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await call('GET', `/v1/messages/${messageId}`, { key: apiKey })).body.state, 'sent');

    const delivered = { MessageSid: received!.providerMessageId!, MessageStatus: 'delivered' };
    const genuine = await post(
      delivered,
      twilio.getExpectedTwilioSignature(testEnv.TWILIO_AUTH_TOKEN!, url, delivered),
    );
    assert.equal(genuine.status, 204);
    assert.equal((await finalStatus(apiKey, messageId)).state, 'delivered');
  });
});
