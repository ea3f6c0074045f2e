import type { DeliverMessageInput } from '../shared/message';
import type { DeliveryTracker } from './delivery-tracker';
import type { AcceptancePlans } from './plans';
import type { ProfileSource } from './profile-source';
import type { Bookkeeping } from './proxies';
import type { Receipts } from './receipts';
import type { StatePublisher } from './state';

/** What one run of `deliverMessage` shares between its channels and its handlers. */
export interface MessageRun {
  readonly input: DeliverMessageInput;
  readonly tracker: DeliveryTracker;
  readonly profiles: ProfileSource;
  readonly plans: AcceptancePlans;
  readonly receipts: Receipts;
  readonly state: StatePublisher;
  readonly bookkeeping: () => Bookkeeping;
  /** Set by the `cancel` update; every channel not yet handed to a provider ends `cancelled`. */
  cancelRequested: boolean;
}
