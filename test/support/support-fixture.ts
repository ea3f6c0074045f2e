import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createClient, smsChannel, uniqueId } from './clients';
import { call } from './http';
import { finalStatus } from './messages';

const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** Twilio's magic number for an invalid `To`: the sandbox refuses it for good, quoting the number. */
const invalidPhone = '+15005550001';

export interface SupportFixture {
  clientId: string;
  /** One message per state support staff meet: delivered, failed, and waiting for its window. */
  messages: Record<'delivered' | 'failed' | 'scheduled', { messageId: string; phone: string; body: string }>;
  workflowId: (messageId: string) => string;
}

/**
 * A client whose SMS window opens in twelve hours and which lets urgent messages through: urgent messages
 * go now (one delivered, one refused by the provider), a normal one waits.
 */
export async function supportFixture(): Promise<SupportFixture> {
  const opensAt = Math.ceil((Date.now() + 12 * 3_600_000) / 60_000) * 60_000;
  const { clientId, apiKey } = await createClient('support', {
    timezone: 'UTC',
    allowUrgentBypass: true,
    channels: {
      sms: {
        ...smsChannel.sms,
        window: { rules: [{ days: everyDay, from: hhmm(opensAt), to: hhmm(opensAt + 3_600_000) }] },
      },
    },
  });
  const phone = () => `+1779${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
  const message = (priority: 'urgent' | 'normal', to: string) => ({
    messageId: uniqueId(priority),
    phone: to,
    body: `Your code is ${randomBytes(3).toString('hex')}`,
    priority,
  });
  const messages = {
    delivered: message('urgent', phone()),
    failed: message('urgent', invalidPhone),
    scheduled: message('normal', phone()),
  };
  for (const { messageId, phone: to, body, priority } of Object.values(messages)) {
    const accepted = await call('POST', '/v1/messages/sms', {
      key: apiKey,
      body: { messageId, priority, recipient: { phone: to }, content: { sms: { body } } },
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
  }
  assert.equal((await finalStatus(apiKey, messages.delivered.messageId)).state, 'delivered');
  assert.equal((await finalStatus(apiKey, messages.failed.messageId)).state, 'failed');
  return { clientId, messages, workflowId: (messageId) => `msg:${clientId}:${messageId}` };
}
