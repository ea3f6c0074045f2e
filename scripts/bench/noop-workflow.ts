import { proxyActivities } from '@temporalio/workflow';

export interface NoopActivities {
  noop(): Promise<void>;
}

// The same start-to-close timeout as the service's bookkeeping activities, so the ceiling schedules alike.
const { noop } = proxyActivities<NoopActivities>({ startToCloseTimeout: '15s' });

/** The least a workflow can do and still exercise what ours does: one workflow task, one activity, completion. */
export async function benchNoop(): Promise<void> {
  await noop();
}
