import { ApplicationFailure } from '@temporalio/activity';
import type { Ack } from '../acks/ack';
import { redactProfile } from '../clients/profiles';
import type { MessageKey } from '../deliveries/records';
import type { ChannelStatus } from '../shared/message';
import type { ChannelPlan } from '../shared/plan';
import type { ClientProfile } from '../shared/profile-schema';
import { errorTypes } from '../shared/temporal-names';
import { planChannel, type PlanInput } from '../windows/channel-plan';
import type { ActivityDeps } from './deps';

/**
 * The workflow's own steps around the sends, on the workflow's queue: its profile, its plan, its record and ack.
 * `recordDelivery` and `publishAck` stay for histories recorded before the two were one step.
 */
export const bookkeepingActivities = (
  deps: Pick<ActivityDeps, 'findProfile' | 'writeDeliveryRecord' | 'publishAck' | 'metrics'>,
) => {
  const record = async (message: MessageKey, status: ChannelStatus) => {
    await deps.writeDeliveryRecord(message, status);
    deps.metrics.channelSettled(message.clientId, message.acceptedAt, status);
  };
  const publishAck = async (ack: Ack) => {
    try {
      await deps.publishAck(ack);
    } catch (err) {
      deps.metrics.ackPublished('error');
      throw err;
    }
    deps.metrics.ackPublished('ok');
  };
  return {
    loadClientProfile: async (clientId: string): Promise<ClientProfile> => {
      const profile = await deps.findProfile(clientId);
      if (!profile) {
        throw ApplicationFailure.create({
          message: `client ${clientId} has no profile`,
          type: errorTypes.clientNotFound,
          nonRetryable: true,
        });
      }
      // Workflow history is readable by support staff: the webhook secret stays in the database.
      return redactProfile(profile);
    },

    publishAck,

    recordDelivery: record,

    /**
     * The record first: a retry after a failed publish writes the same record again, which changes nothing (and
     * counts the outcome again: outcome counters are at-least-once, like the acks).
     */
    recordAndPublishAck: async (message: MessageKey, status: ChannelStatus, ack: Ack): Promise<void> => {
      await record(message, status);
      await publishAck(ack);
    },

    planChannel: (input: PlanInput): Promise<ChannelPlan> => Promise.resolve(planChannel(input)),
  };
};
