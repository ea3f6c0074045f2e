import assert from 'node:assert/strict';
import type { ClientProfile } from '../../src/shared/profile-schema';
import { selectChannels } from '../../src/messages/channel-selection';
import { messageSchema } from '../../src/messages/message-schema';

const profile = (channels: ClientProfile['channels']): ClientProfile => ({
  clientId: 'acme',
  name: 'Acme',
  timezone: 'Asia/Jerusalem',
  windowClock: 'client',
  allowUrgentBypass: false,
  channels,
});

const everything = messageSchema.parse({
  recipient: { phone: '+972501234567', email: 'dana@example.com', pushTokens: ['a'.repeat(30)] },
  content: { sms: { body: 'hi' }, email: { subject: 's', text: 't' }, push: { title: 't' } },
});

const allEnabled = profile({
  sms: { enabled: true, from: '+15550001111' },
  email: { enabled: true, from: 'noreply@acme.example', messageStream: 'outbound' },
  push: { enabled: true },
});

describe('channel selection (requested ∩ enabled)', () => {
  it('with no channels requested, every enabled and supported channel is selected', () => {
    const selection = selectChannels(everything, allEnabled, ['sms', 'email', 'push']);
    assert.deepEqual(selection, { channels: ['sms', 'email', 'push'], rejected: [] });
  });

  it('a requested channel the client has not enabled is rejected with a reason', () => {
    const emailOnly = profile({
      email: { enabled: true, from: 'a@acme.example', messageStream: 'outbound' },
      sms: { enabled: false },
    });
    const selection = selectChannels({ ...everything, channels: ['sms', 'email'] }, emailOnly, [
      'sms',
      'email',
      'push',
    ]);
    assert.deepEqual(selection.channels, ['email']);
    assert.equal(selection.rejected.length, 1);
    assert.equal(selection.rejected[0]?.channel, 'sms');
    assert.match(selection.rejected[0]?.reason ?? '', /not enabled/);
  });

  it('a channel without a provider in this deployment is rejected with a reason', () => {
    const selection = selectChannels(everything, allEnabled, ['email']);
    assert.deepEqual(selection.channels, ['email']);
    assert.deepEqual(
      selection.rejected.map((r) => [r.channel, /no provider/.test(r.reason)]),
      [
        ['sms', true],
        ['push', true],
      ],
    );
  });

  it('a channel whose address is missing is rejected, naming the field', () => {
    const noPhone = { ...everything, recipient: { email: 'dana@example.com' } };
    const selection = selectChannels({ ...noPhone, channels: ['sms', 'email'] }, allEnabled, ['sms', 'email']);
    assert.deepEqual(selection.channels, ['email']);
    assert.deepEqual(selection.rejected, [{ channel: 'sms', reason: 'recipient.phone is missing' }]);
  });

  it('a channel whose content is missing is rejected, naming the field', () => {
    const noEmailContent = { ...everything, content: { sms: { body: 'hi' } } };
    const selection = selectChannels({ ...noEmailContent, channels: ['email'] }, allEnabled, ['email']);
    assert.deepEqual(selection, { channels: [], rejected: [{ channel: 'email', reason: 'content.email is missing' }] });
  });
});
