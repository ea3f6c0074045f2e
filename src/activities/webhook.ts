import { ApplicationFailure } from '@temporalio/activity';
import type { Ack } from '../acks/ack';
import { postWebhook, WebhookError } from '../acks/webhook';
import { errorTypes } from '../shared/temporal-names';
import type { ActivityDeps } from './deps';

/** POSTs the ack to the client's webhook, reading URL and secret at send time (never from history). */
export const deliverWebhookActivity =
  (deps: Pick<ActivityDeps, 'findProfile' | 'metrics'>) =>
  async (ack: Ack): Promise<void> => {
    const webhook = (await deps.findProfile(ack.clientId))?.webhook;
    if (!webhook) return;
    try {
      await postWebhook(webhook, ack);
      deps.metrics.webhookDelivered('ok');
    } catch (err) {
      const permanent = err instanceof WebhookError && err.permanent;
      deps.metrics.webhookDelivered(permanent ? 'permanent' : 'retryable');
      throw ApplicationFailure.create({
        message: (err as Error).message,
        type: permanent ? errorTypes.permanentWebhookError : errorTypes.webhookError,
        nonRetryable: permanent,
      });
    }
  };
