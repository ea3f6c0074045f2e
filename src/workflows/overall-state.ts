import { isFinal, type ChannelState } from '../shared/channels';

/**
 * One word for the whole message, for the DeliveryStatus search attribute and the status API:
 * the earliest unfinished state while any channel is in progress, the shared outcome when all agree,
 * and `partial` when some channels went out and others did not.
 */
export function overallState(states: ChannelState[]): string {
  if (states.includes('sending')) return 'sending';
  if (states.includes('scheduled')) return 'scheduled';
  const unique = [...new Set(states)];
  if (unique.length === 1) return unique[0] ?? 'rejected';
  const succeeded = states.filter((s) => s === 'sent' || s === 'delivered');
  if (succeeded.length === states.length) return 'sent';
  if (succeeded.length > 0) return 'partial';
  return states.every(isFinal) ? 'failed' : 'sending';
}
