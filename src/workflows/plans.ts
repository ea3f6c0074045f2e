import type { Channel } from '../shared/channels';
import type { DeliverMessageInput } from '../shared/message';
import type { ChannelPlan } from '../shared/plan';
import type { ClientProfile } from '../shared/profile-schema';
import { locationFacts } from '../shared/location-facts';
import { planning } from './proxies';

/** Each channel's plan from acceptance, good for its first pass while the profile is still acceptance's. */
export class AcceptancePlans {
  private readonly plans: Map<Channel, ChannelPlan>;

  constructor({ prepared }: DeliverMessageInput) {
    this.plans = new Map(prepared?.plans.map(({ channel, plan }) => [channel, plan]));
  }

  /** The plan for a first pass against acceptance's profile; any later pass, or another profile, plans anew. */
  take(channel: Channel, profileFromAcceptance: boolean): ChannelPlan | undefined {
    const plan = profileFromAcceptance ? this.plans.get(channel) : undefined;
    this.plans.delete(channel);
    return plan;
  }
}

/**
 * Plans a channel against the profile now, in a local activity whose result the history keeps. Not async, like
 * `sendOn`: the caller awaits the activity's own promise.
 */
export function planWindow(
  input: DeliverMessageInput,
  channel: Channel,
  profile: ClientProfile,
  afterWindowClosed: boolean,
): Promise<ChannelPlan> {
  return planning.planChannel.executeWithOptions({ summary: `${channel} window` }, [
    {
      profile,
      channel,
      recipientTimezone: input.recipient.timezone,
      recipient: locationFacts(input.recipient),
      priority: input.priority,
      expiresAt: input.expiresAt,
      acceptedAt: input.acceptedAt,
      now: Date.now(),
      // Only when set, so the input of every other plan stays what recorded histories hold.
      ...(input.category ? { category: input.category } : {}),
      ...(afterWindowClosed ? { afterWindowClosed } : {}),
    },
  ]);
}
