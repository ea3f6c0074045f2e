import { ApplicationFailure } from '@temporalio/workflow';
import type { SendResult } from '../activities';
import type { Channel } from '../shared/channels';
import type { DeliverMessageInput } from '../shared/message';
import type { ClientProfile } from '../shared/profile-schema';
import { provider } from './proxies';

/**
 * The provider call for one channel: the sender from the profile, the content and address from the message.
 * Not async: the caller awaits the activity's own promise, so the turns between a wake-up and this command stay
 * those the recorded histories were made with (see `waitForOpening`).
 */
export function sendOn(
  channel: Channel,
  input: DeliverMessageInput,
  profile: ClientProfile,
  sendBefore: string | undefined,
): Promise<SendResult> {
  const call = { clientId: input.clientId, messageId: input.messageId, sendBefore };
  const { email, sms, push } = input.content;
  const emailSettings = profile.channels.email;
  if (channel === 'email' && email && emailSettings?.from && input.recipient.email) {
    return provider('email').sendEmail({
      ...call,
      from: emailSettings.from,
      to: input.recipient.email,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageStream: emailSettings.messageStream,
      metadata: { clientId: input.clientId, messageId: input.messageId },
    });
  }
  const smsSettings = profile.channels.sms;
  if (channel === 'sms' && sms && smsSettings?.from && input.recipient.phone) {
    return provider('sms').sendSms({ ...call, from: smsSettings.from, to: input.recipient.phone, body: sms.body });
  }
  if (channel === 'push' && push && profile.channels.push && input.recipient.pushTokens) {
    return provider('push').sendPush({ ...call, tokens: input.recipient.pushTokens, ...push });
  }
  throw ApplicationFailure.nonRetryable(`channel ${channel} cannot be sent with this profile and message`);
}

/** Push sent to some devices: tell the client which of its tokens to drop (positions in recipient.pushTokens). */
export function refusedDevices({ devices }: SendResult): string | undefined {
  if (!devices?.rejected.length) return undefined;
  const refused = devices.rejected.map(({ index, code }) => `pushTokens[${index}] ${code ?? 'refused'}`).join(', ');
  return `sent to ${devices.accepted} device(s); refused for good: ${refused}`;
}
