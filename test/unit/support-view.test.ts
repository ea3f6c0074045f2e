import assert from 'node:assert/strict';
import type { DeliverMessageInput, MessageStatus } from '../../src/shared/message';
import { currentDetails, startDetails, startSummary } from '../../src/workflows/support-view';

const input: DeliverMessageInput = {
  clientId: 'acme',
  messageId: 'order-17',
  channels: ['sms', 'email'],
  rejected: [{ channel: 'push', reason: 'push is not enabled for this client' }],
  recipient: { phone: '+15551234567', email: 'dana@example.com', timezone: 'Asia/Jerusalem' },
  content: { sms: { body: 'code 991' }, email: { subject: 'Hello Dana', text: 'secret text' } },
  priority: 'normal',
  acceptedAt: '2026-11-26T10:00:00.000Z',
  requestHash: 'h',
  acceptance: [],
  source: { topic: 'channels.messages', partition: 2, offset: '41' },
};

const status: MessageStatus = {
  clientId: 'acme',
  messageId: 'order-17',
  workflowId: 'msg:acme:order-17',
  state: 'scheduled',
  acceptedAt: input.acceptedAt,
  channels: [
    {
      channel: 'sms',
      state: 'scheduled',
      notBefore: '2026-11-26T16:00:00.000Z',
      window: {
        zone: 'Asia/Jerusalem',
        clock: 'recipient',
        rule: 'rule 1: mon–fri 09:00–18:00',
        explanation: 'opens Thu 18:00',
      },
      attempts: 0,
      updatedAt: input.acceptedAt,
      history: [],
    },
    {
      channel: 'email',
      state: 'failed',
      attempts: 12,
      lastError: 'Postmark 500',
      updatedAt: input.acceptedAt,
      history: [],
    },
  ],
};

describe('support view texts', () => {
  const texts = [startSummary(input), startDetails(input), currentDetails(status)];

  it('name the client, the message, the channels and why each waits or ended', () => {
    assert.equal(texts[0], 'acme · order-17 · sms + email');
    assert.match(texts[1]!, /Kafka channels\.messages\[2\]@41/);
    assert.match(texts[1]!, /\*\*push\*\* rejected at acceptance: push is not enabled/);
    assert.match(texts[2]!, /\*\*sms\*\* scheduled until 2026-11-26T16:00:00.000Z: opens Thu 18:00/);
    assert.match(texts[2]!, /\*\*email\*\* failed: Postmark 500/);
  });

  it('carry no recipient and no content', () => {
    for (const text of texts)
      for (const secret of ['+15551234567', 'dana@example.com', 'code 991', 'Hello Dana', 'secret text'])
        assert.ok(!text.includes(secret), `${secret} in ${text}`);
  });
});
