import type { Channel } from '../shared/channels';
import type { ChannelStatus, DeliverMessageInput, MessageStatus } from '../shared/message';

/**
 * What support staff read in the Web UI: the workflow's summary line, its details and its "current details".
 * Built from identifiers, states and window rules only: never a recipient or a message body. The UI shows
 * them through the codec server like every payload.
 */

const channelList = (channels: Channel[]) => channels.join(' + ') || 'no channel';

/** The one line the workflow list and the workflow page show, fixed at start. */
export function startSummary(input: Pick<DeliverMessageInput, 'clientId' | 'messageId' | 'channels'>): string {
  return `${input.clientId} · ${input.messageId} · ${channelList(input.channels)}`;
}

/** Fixed facts of the message at start, in the Markdown the UI renders. */
export function startDetails(input: DeliverMessageInput): string {
  const lines = [
    `**Client** ${input.clientId} · **message** ${input.messageId}`,
    `**Accepted** ${input.acceptedAt} from ${input.source ? `Kafka ${input.source.topic}[${input.source.partition}]@${input.source.offset}` : 'the Send API'}`,
    `**Priority** ${input.priority}${input.expiresAt ? ` · **expires** ${input.expiresAt}` : ''}`,
    `**Channels** ${channelList(input.channels)}`,
    ...input.rejected.map(({ channel, reason }) => `**${channel}** rejected at acceptance: ${reason}`),
  ];
  return lines.join('\n\n');
}

function channelLine(status: ChannelStatus): string {
  const head = `**${status.channel}** ${status.state}`;
  switch (status.state) {
    case 'scheduled':
      return status.notBefore
        ? `${head} until ${status.notBefore}: ${status.window?.explanation ?? 'outside its window'}`
        : `${head}: being planned`;
    case 'sending':
      return `${head}${status.window?.rule ? ` (window open by ${status.window.rule}, ${status.window.zone})` : ''}`;
    case 'sent':
    case 'delivered':
      return `${head}, provider id ${status.providerMessageId ?? 'unknown'}, ${status.attempts} attempt(s)${status.lastError ? `; ${status.lastError}` : ''}`;
    default:
      return `${head}${status.lastError ? `: ${status.lastError}` : ''}`;
  }
}

/** The live state, one paragraph per channel; kept current by the workflow as channels move. */
export function currentDetails(status: MessageStatus): string {
  return [`**${status.state}**`, ...status.channels.map(channelLine)].join('\n\n');
}
