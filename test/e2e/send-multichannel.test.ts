import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { MessageStatus } from '../../src/shared/message';
import { harness } from '../support/harness';
import { call } from '../support/http';
import { createClient, emailChannel, pushChannel, smsChannel, uniqueId } from '../support/clients';
import { acceptedBySandbox } from '../support/sandbox';

describe('one message on three channels (POST /v1/messages)', () => {
  it('sends SMS, email and push each through its SDK, and each channel ends on its own', async function () {
    this.timeout(120_000);
    const { temporal } = await harness();
    const { clientId, apiKey } = await createClient('multi', {
      timezone: 'UTC',
      channels: { ...smsChannel, ...emailChannel, ...pushChannel },
    });
    const messageId = uniqueId('multi');
    const phone = `+1555${String(Date.now() % 10_000_000).padStart(7, '0')}`;
    const email = `${messageId}@example.com`;
    const token = `multi${randomBytes(8).toString('hex')}:APA91b${randomBytes(20).toString('hex')}`;
    const accepted = await call('POST', '/v1/messages', {
      key: apiKey,
      body: {
        messageId,
        recipient: { phone, email, pushTokens: [token] },
        content: {
          sms: { body: 'Your order shipped' },
          email: { subject: 'Shipped', text: 'Your order shipped' },
          push: { title: 'Shipped', body: 'Your order shipped' },
        },
      },
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    assert.deepEqual(accepted.body.channels.map((c: { channel: string }) => c.channel).sort(), [
      'email',
      'push',
      'sms',
    ]);

    const [sms] = await acceptedBySandbox({ channel: 'sms', to: phone });
    const [mail] = await acceptedBySandbox({ channel: 'email', to: email });
    const [push] = await acceptedBySandbox({ channel: 'push', to: token });
    assert.deepEqual([sms!.provider, mail!.provider, push!.provider], ['twilio', 'postmark', 'fcm']);

    const result: MessageStatus = await temporal.workflow.getHandle(`msg:${clientId}:${messageId}`).result();
    const states = Object.fromEntries(result.channels.map((c) => [c.channel, c.state]));
    // SMS and email have delivery receipts; push ends at sent (SPEC §4).
    assert.deepEqual(states, { sms: 'delivered', email: 'delivered', push: 'sent' });
  });
});
