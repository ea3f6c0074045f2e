import type { Channel } from '../shared/channels';
import type { AcceptedChannel, PlannedChannel, RejectedChannel } from '../shared/message';
import type { ClientProfile } from '../shared/profile-schema';
import { planChannel } from '../windows/channel-plan';
import { locationFacts } from '../shared/location-facts';
import { AcceptanceError } from './acceptance-error';
import { selectChannels } from './channel-selection';
import type { MessageRequest } from './message-schema';

/** What the `202` says of a message: kept with the workflow and its records so a repeat gets the same answer. */
export interface Acceptance {
  messageId: string;
  workflowId: string;
  clientId: string;
  channels: AcceptedChannel[];
}

export interface AcceptancePlan {
  acceptedAt: string;
  /** The channels the workflow delivers, each with the plan its first pass follows. */
  accepted: PlannedChannel[];
  rejected: RejectedChannel[];
  acceptance: Acceptance;
}

/**
 * Plans every channel with the same pure code the workflow uses, at one instant: which are accepted (and wait
 * or go now), which are rejected (not enabled, or `outside: reject`), which have already expired.
 */
export function planAcceptance(
  ids: Omit<Acceptance, 'channels'>,
  request: MessageRequest,
  profile: ClientProfile,
  supportedChannels: readonly Channel[],
  now: number,
): AcceptancePlan {
  assertKnownCategory(request.category, profile);
  const acceptedAt = new Date(now).toISOString();
  const selection = selectChannels(request, profile, supportedChannels);
  const planned = selection.channels.map((channel) => ({
    channel,
    plan: planChannel({
      profile,
      channel,
      recipientTimezone: request.recipient.timezone,
      recipient: locationFacts(request.recipient),
      priority: request.priority,
      category: request.category,
      expiresAt: request.expiresAt,
      acceptedAt,
      now,
    }),
  }));
  // `outside: reject` refuses a channel at acceptance, like a channel that is not enabled.
  const rejected = [
    ...selection.rejected,
    ...planned.flatMap(({ channel, plan }) => (plan.action === 'reject' ? [{ channel, reason: plan.reason }] : [])),
  ];
  const accepted = planned.filter(({ plan }) => plan.action !== 'reject');
  const channels = [
    ...accepted.map(({ channel, plan }) =>
      plan.action === 'expire'
        ? { channel, state: 'expired', reason: plan.reason }
        : { channel, state: 'scheduled', notBefore: plan.action === 'wait' ? plan.notBefore : acceptedAt },
    ),
    ...rejected.map(({ channel, reason }) => ({ channel, state: 'rejected', reason })),
  ];
  return { acceptedAt, accepted, rejected, acceptance: { ...ids, channels } };
}

/**
 * A category no channel of the profile defines is a typo or a profile not yet updated, not a licence to skip the
 * rules written for the intended one: refused (issue 18), like a message no channel can deliver.
 */
function assertKnownCategory(category: string | undefined, profile: ClientProfile): void {
  if (category === undefined || category === 'transactional') return;
  const defined = new Set(Object.values(profile.channels).flatMap((c) => Object.keys(c?.categories ?? {})));
  if (defined.has(category)) return;
  const known = ['transactional', ...[...defined].sort()].join(', ');
  throw new AcceptanceError('not-deliverable', `unknown category ${category}`, [
    { path: 'category', issue: `is not defined by the client's profile (defined: ${known})` },
  ]);
}

/** A message none of whose channels can still go out is refused (422), each channel with its reason. */
export function assertDeliverable({ accepted, rejected }: AcceptancePlan): void {
  if (accepted.some(({ plan }) => plan.action !== 'expire')) return;
  throw new AcceptanceError('not-deliverable', 'no channel of this message can be delivered', [
    ...rejected.map((r) => ({ path: `channels.${r.channel}`, issue: r.reason })),
    ...accepted.map(({ channel, plan }) => ({
      path: `channels.${channel}`,
      issue: plan.action === 'expire' ? plan.reason : '',
    })),
  ]);
}
