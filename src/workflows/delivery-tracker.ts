import type { Channel, ChannelState } from '../shared/channels';
import type { ChannelStatus, DeliverMessageInput, MessageStatus } from '../shared/message';
import { messageWorkflowId } from '../shared/temporal-names';
import { overallState } from './overall-state';

/** The workflow's in-memory record of each channel; `now` is the workflow's deterministic clock. */
export class DeliveryTracker {
  private readonly statuses = new Map<Channel, ChannelStatus>();

  constructor(
    private readonly input: DeliverMessageInput,
    private readonly now: () => string,
  ) {
    for (const channel of input.channels) this.transition(channel, 'scheduled');
    for (const { channel, reason } of input.rejected) this.transition(channel, 'rejected', { lastError: reason });
  }

  transition(
    channel: Channel,
    state: ChannelState,
    changes: Partial<Pick<ChannelStatus, 'attempts' | 'providerMessageId' | 'lastError' | 'notBefore' | 'window'>> = {},
  ): ChannelStatus {
    const at = this.now();
    const previous = this.statuses.get(channel) ?? { channel, state, attempts: 0, updatedAt: at, history: [] };
    const next: ChannelStatus = {
      ...previous,
      ...changes,
      state,
      updatedAt: at,
      // A re-plan that keeps the state updates the fields; the history lists changes of state only.
      history:
        previous.history.length > 0 && previous.state === state
          ? previous.history
          : [...previous.history, { state, at, ...(changes.lastError ? { note: changes.lastError } : {}) }],
    };
    this.statuses.set(channel, next);
    return next;
  }

  get(channel: Channel): ChannelStatus | undefined {
    return this.statuses.get(channel);
  }

  /** Some channel is still `scheduled`: waiting for its window, or not yet planned. */
  anyWaiting(): boolean {
    return [...this.statuses.values()].some((c) => c.state === 'scheduled');
  }

  snapshot(): MessageStatus {
    const channels = [...this.statuses.values()];
    return {
      clientId: this.input.clientId,
      messageId: this.input.messageId,
      workflowId: messageWorkflowId(this.input.clientId, this.input.messageId),
      state: overallState(channels.map((c) => c.state)),
      acceptedAt: this.input.acceptedAt,
      channels,
    };
  }
}
