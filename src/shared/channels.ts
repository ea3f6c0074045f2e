export const channels = ['sms', 'email', 'push'] as const;
export type Channel = (typeof channels)[number];

/** The provider behind each channel, named where support staff read what happened. */
export const providerOf: Record<Channel, string> = { sms: 'Twilio', email: 'Postmark', push: 'FCM' };

const finalStates = ['sent', 'delivered', 'failed', 'expired', 'cancelled', 'rejected'] as const;

/** SPEC §2 channel states: two in progress, then the final ones. */
export const channelStates = ['scheduled', 'sending', ...finalStates] as const;
export type ChannelState = (typeof channelStates)[number];

const finalSet: ReadonlySet<ChannelState> = new Set(finalStates);
export const isFinal = (state: ChannelState) => finalSet.has(state);
