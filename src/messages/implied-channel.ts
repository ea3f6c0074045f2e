import type { Channel } from '../shared/channels';
import type { MessageRequest } from './message-schema';

/**
 * A per-channel endpoint or topic implies its channel: the request may omit `channels` or name that channel alone.
 * Returns the request with the channel made explicit, or the issue with `channels` when it names others.
 */
export function withImpliedChannel(
  request: MessageRequest,
  impliedChannel: Channel | undefined,
): { ok: true; request: MessageRequest } | { ok: false; issue: string } {
  if (!impliedChannel) return { ok: true, request };
  if (request.channels && request.channels.join() !== impliedChannel) {
    return { ok: false, issue: `must be ["${impliedChannel}"] or absent` };
  }
  return { ok: true, request: { ...request, channels: [impliedChannel] } };
}
