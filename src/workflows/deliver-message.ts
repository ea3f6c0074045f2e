import { condition, setHandler } from '@temporalio/workflow';
import type { DeliverMessageInput, MessageStatus } from '../shared/message';
import { cancelUpdate, profileChangedSignal, receiptSignal, statusQuery } from './definitions';
import { deliverChannel } from './deliver-channel';
import { DeliveryTracker } from './delivery-tracker';
import type { MessageRun } from './message-run';
import { AcceptancePlans } from './plans';
import { ProfileSource } from './profile-source';
import { bookkeepingFor } from './proxies';
import { Receipts } from './receipts';
import { settle } from './settle';
import { StatePublisher } from './state';

/**
 * One message, every channel side by side: each is planned against the client's profile, waits durably for its
 * window, goes to its provider, perhaps awaits a receipt, and settles (record, ack, webhook) in a final state.
 */
export async function deliverMessage(input: DeliverMessageInput): Promise<MessageStatus> {
  const tracker = new DeliveryTracker(input, () => new Date().toISOString());
  const bookkeeping = bookkeepingFor(input);
  const state = new StatePublisher(tracker);
  const run: MessageRun = {
    input,
    tracker,
    profiles: new ProfileSource(input, bookkeeping),
    plans: new AcceptancePlans(input),
    receipts: new Receipts(tracker, state),
    state,
    bookkeeping,
    cancelRequested: false,
  };

  setHandler(statusQuery, () => tracker.snapshot());
  setHandler(profileChangedSignal, () => run.profiles.changed());
  setHandler(receiptSignal, (receipt) => run.receipts.keep(receipt));
  setHandler(cancelUpdate, async () => {
    run.cancelRequested = true;
    // Channels already handed to a provider finish; waiting ones end `cancelled` before the answer.
    await condition(() => !tracker.anyWaiting());
    return tracker.snapshot();
  });

  state.publish();
  await run.profiles.current();
  await Promise.all(input.rejected.map(({ channel }) => settle(run, channel)));
  await Promise.all(
    input.channels.map(async (channel) => {
      await deliverChannel(run, channel);
      state.publish();
      await settle(run, channel);
    }),
  );
  return tracker.snapshot();
}
