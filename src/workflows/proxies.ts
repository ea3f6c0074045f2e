import { patched, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { providerOf, type Channel } from '../shared/channels';
import type { DeliverMessageInput } from '../shared/message';
import { providerTaskQueue } from '../shared/temporal-names';
import { BOOKKEEPING, PLANNING, PROVIDER_CALL, REMOTE_BOOKKEEPING, WEBHOOK } from './activity-options';

export const localBookkeeping = proxyLocalActivities<Activities>(BOOKKEEPING);
const remoteBookkeeping = proxyActivities<Activities>(REMOTE_BOOKKEEPING);
export const webhooks = proxyActivities<Activities>(WEBHOOK);
export const planning = proxyLocalActivities<Activities>(PLANNING);

/** Each channel's calls go to its own task queue, where the server paces them for its provider. */
export const provider = (channel: Channel) =>
  proxyActivities<Activities>({
    ...PROVIDER_CALL,
    taskQueue: providerTaskQueue(workflowInfo().taskQueue, channel),
    summary: `${channel} to ${providerOf[channel]}`,
  });

/** Histories written before the change used regular activities; they must still replay. */
const LOCAL_BOOKKEEPING_PATCH = 'local-bookkeeping';

export type Bookkeeping = typeof localBookkeeping | typeof remoteBookkeeping;

/**
 * Which proxy a bookkeeping step uses. Versioned by the input rather than by `patched()` alone, which would cost
 * every message a marker and a search attribute update: a message accepted with `prepared` was never run by the
 * code before it. Inputs without it ask `patched()` lazily at each step, so its marker stays where the histories
 * recorded since the patch have it.
 */
export function bookkeepingFor({ prepared }: DeliverMessageInput): () => Bookkeeping {
  return () => (prepared !== undefined || patched(LOCAL_BOOKKEEPING_PATCH) ? localBookkeeping : remoteBookkeeping);
}
