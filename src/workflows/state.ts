import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { DeliveryStatusKey } from '../shared/search-attributes';
import type { DeliveryTracker } from './delivery-tracker';
import { currentDetails } from './support-view';

/** The state support staff filter on (a search attribute) and read on the workflow's page (current details). */
export class StatePublisher {
  // Each upsert is a history event: only a change of the overall state is worth one.
  private published = 'scheduled';

  constructor(private readonly tracker: DeliveryTracker) {}

  publish(): void {
    const snapshot = this.tracker.snapshot();
    if (snapshot.state !== this.published) {
      upsertSearchAttributes([{ key: DeliveryStatusKey, value: snapshot.state }]);
      this.published = snapshot.state;
    }
    setCurrentDetails(currentDetails(snapshot));
  }
}
