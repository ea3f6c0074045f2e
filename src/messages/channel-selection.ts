import type { ClientProfile } from '../shared/profile-schema';
import { channels as allChannels, type Channel } from '../shared/channels';
import type { RejectedChannel } from '../shared/message';
import type { MessageRequest } from './message-schema';

export interface ChannelSelection {
  channels: Channel[];
  rejected: RejectedChannel[];
}

const addressMissing = (channel: Channel, request: MessageRequest): string | undefined => {
  const { recipient } = request;
  if (channel === 'sms' && recipient.phone === undefined) return 'recipient.phone is missing';
  if (channel === 'email' && recipient.email === undefined) return 'recipient.email is missing';
  if (channel === 'push' && recipient.pushTokens === undefined) return 'recipient.pushTokens is missing';
  return undefined;
};

/**
 * SPEC §2: requested ∩ enabled (all enabled when none are requested), each refusal with its reason.
 * `supported` lists the channels this deployment has a provider for.
 */
export function selectChannels(
  request: MessageRequest,
  profile: ClientProfile,
  supported: readonly Channel[],
): ChannelSelection {
  const enabled = allChannels.filter((c) => profile.channels[c]?.enabled === true);
  const requested = request.channels ?? enabled;
  const selection: ChannelSelection = { channels: [], rejected: [] };
  for (const channel of requested) {
    const reason = !enabled.includes(channel)
      ? `channel ${channel} is not enabled for client ${profile.clientId}`
      : !supported.includes(channel)
        ? `no provider is configured for ${channel} in this deployment`
        : (addressMissing(channel, request) ??
          (request.content[channel] === undefined ? `content.${channel} is missing` : undefined));
    if (reason === undefined) selection.channels.push(channel);
    else selection.rejected.push({ channel, reason });
  }
  return selection;
}
