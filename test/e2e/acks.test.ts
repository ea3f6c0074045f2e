import assert from 'node:assert/strict';
import type { Ack } from '../../src/acks/ack';
import { webhookSignature } from '../../src/acks/webhook';
import { harness, testCodec } from '../support/harness';
import { historyText } from '../support/history';
import { call, eventually } from '../support/http';
import { createEmailClient, emailMessage, uniqueId } from '../support/clients';
import { collectTopic } from '../support/kafka';
import { webhookReceiver } from '../support/webhook';

describe('acknowledgments (SPEC §4) on the real stack', () => {
  it('a sent email is acknowledged on channels.acks and at the signed client webhook', async function () {
    this.timeout(120_000);
    const acks = await collectTopic<Ack>('channels.acks');
    const hook = await webhookReceiver([503]);
    const secret = 'whsec-0123456789abcdef';
    try {
      const { clientId, apiKey } = await createEmailClient({ webhook: { url: hook.url, secret } });
      const messageId = uniqueId('acked');
      const accepted = await call('POST', '/v1/messages/email', {
        key: apiKey,
        body: emailMessage(`${messageId}@example.com`, messageId),
      });
      assert.equal(accepted.status, 202);

      const ack = await eventually(
        () => Promise.resolve(acks.values.find((a) => a.messageId === messageId)),
        'the ack on channels.acks',
        60_000,
      );
      assert.deepEqual(
        { ...ack, providerMessageId: typeof ack.providerMessageId, time: typeof ack.time },
        {
          clientId,
          messageId,
          workflowId: `msg:${clientId}:${messageId}`,
          channel: 'email',
          state: 'delivered',
          providerMessageId: 'string',
          time: 'string',
          metadata: { orderId: '1234' },
        },
      );

      // The first POST got 503; the retry is what counts.
      const delivered = await eventually(() => Promise.resolve(hook.received[1]), 'the webhook retry', 60_000);
      const timestamp = String(delivered.headers['x-comm-timestamp']);
      assert.equal(delivered.headers['x-comm-signature'], webhookSignature(secret, timestamp, delivered.body));
      assert.notEqual(
        delivered.headers['x-comm-signature'],
        webhookSignature('another-secret-value', timestamp, delivered.body),
      );
      assert.equal(delivered.headers['x-comm-event-id'], `msg:${clientId}:${messageId}:email:delivered`);
      assert.deepEqual(JSON.parse(delivered.body), ack);
    } finally {
      hook.close();
      await acks.stop();
    }
  });

  it('the webhook secret never appears in workflow history', async () => {
    const { temporal } = await harness();
    const secret = 'whsec-must-not-leak-0001';
    const hook = await webhookReceiver();
    try {
      const { clientId, apiKey } = await createEmailClient({ webhook: { url: hook.url, secret } });
      const messageId = uniqueId('secret');
      await call('POST', '/v1/messages/email', { key: apiKey, body: emailMessage('x@example.com', messageId) });
      const handle = temporal.workflow.getHandle(`msg:${clientId}:${messageId}`);
      await handle.result();
      // Decoded: the secret must not be there even for staff who may read payloads.
      const history = await historyText(handle, testCodec);
      assert.match(history, /whsec|\[redacted\]/, 'the profile is in history, redacted');
      assert.ok(!history.includes(secret));
    } finally {
      hook.close();
    }
  });
});
