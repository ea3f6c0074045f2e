import { condition } from '@temporalio/workflow';
import { providerOf, type Channel } from '../shared/channels';
import type { Receipt } from '../shared/message';
import type { DeliveryTracker } from './delivery-tracker';
import type { StatePublisher } from './state';

/** So that a flood of stray receipts cannot grow the workflow's state without limit. */
const KEPT_AT_MOST = 50;

/** Providers' delivery receipts, signalled to the workflow, and the channels that wait for them. */
export class Receipts {
  // Kept until matched: a receipt can overtake the completion of the send that caused it.
  private readonly kept: Receipt[] = [];

  constructor(
    private readonly tracker: DeliveryTracker,
    private readonly state: StatePublisher,
  ) {}

  keep(receipt: Receipt): void {
    if (this.kept.length < KEPT_AT_MOST) this.kept.push(receipt);
  }

  /** After `sent`, wait a while for the provider's receipt; without one in time the channel stays `sent`. */
  async awaitReceipt(channel: Channel, providerMessageId: string, waitMs: number): Promise<void> {
    this.state.publish();
    const matching = () => this.kept.find((r) => r.channel === channel && r.providerMessageId === providerMessageId);
    const summary = `${channel} awaits ${providerOf[channel]}'s receipt for ${providerMessageId}`;
    if (!(await condition(() => matching() !== undefined, waitMs, { summary }))) return;
    const receipt = matching();
    if (receipt?.outcome === 'delivered') this.tracker.transition(channel, 'delivered');
    else
      this.tracker.transition(channel, 'failed', {
        lastError: receipt?.error ?? 'the provider reported the message undelivered',
      });
  }
}
