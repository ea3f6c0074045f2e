export const channels = ['sms', 'email', 'push'] as const;
export type Channel = (typeof channels)[number];

/** SPEC §2 channel states. The last five are final. */
export const channelStates = [
  'scheduled',
  'sending',
  'sent',
  'delivered',
  'failed',
  'expired',
  'cancelled',
  'rejected',
] as const;
export type ChannelState = (typeof channelStates)[number];

const finalStates: ReadonlySet<ChannelState> = new Set([
  'sent',
  'delivered',
  'failed',
  'expired',
  'cancelled',
  'rejected',
]);
export const isFinal = (state: ChannelState) => finalStates.has(state);
