import { ApplicationFailure } from '@temporalio/activity';
import type { Ack } from '../acks/ack';
import { postWebhook, WebhookError } from '../acks/webhook';
import { errorTypes } from '../shared/temporal-names';
import type { ActivityDeps } from './deps';

/** POSTs the ack to the client's webhook, reading URL and secret at send time (never from history). */
export const deliverWebhookActivity =
  (deps: Pick<ActivityDeps, 'findProfile'>) =>
  async (ack: Ack): Promise<void> => {
    const webhook = (await deps.findProfile(ack.clientId))?.webhook;
    if (!webhook) return;
    try {
      await postWebhook(webhook, ack);
    } catch (err) {
      const permanent = err instanceof WebhookError && err.permanent;
      throw ApplicationFailure.create({
        message: (err as Error).message,
        type: permanent ? errorTypes.permanentWebhookError : errorTypes.webhookError,
        nonRetryable: permanent,
      });
    }
  };
