import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import express, { type Router } from 'express';
import type { Logger } from '../../logging/logger';
import type { ServiceMetrics } from '../../metrics/service-metrics';
import type { Receipt } from '../../shared/message';
import {
  postmarkCallbackPath,
  verifyPostmarkWebhook,
  type PostmarkWebhookCredentials,
} from '../../providers/postmark/delivery-webhook';
import { ReceiptRejected, type VerifiedCallback } from '../../providers/receipts';
import { twilioCallbackPath, verifyTwilioStatusCallback } from '../../providers/twilio/status-callback';
import { receiptSignal } from '../../workflows/definitions';
import { providerOf } from '../../shared/channels';
import { badRequest, forbidden, unauthorized, type HttpError } from '../http-error';
import { requestIdOf } from '../request-context';

export interface CallbackDeps {
  temporal: Client;
  /** Twilio signs the URL it called; behind a proxy that is the public URL, not this server's address. */
  publicBaseUrl?: string;
  twilioAuthToken?: string;
  postmarkWebhook?: PostmarkWebhookCredentials;
  logger: Logger;
  metrics: Pick<ServiceMetrics, 'receipt'>;
}

/** A vendor's refusal as an HTTP answer: unverified gets the status that vendor's scheme calls for, foreign 400. */
function verified(unverified: (message: string) => HttpError, verify: () => VerifiedCallback): VerifiedCallback {
  try {
    return verify();
  } catch (err) {
    if (!(err instanceof ReceiptRejected)) throw err;
    throw err.reason === 'unverified' ? unverified(err.message) : badRequest(err.message);
  }
}

/** Delivery receipts from providers. Only verified ones reach a workflow; the rest are refused and change nothing. */
export function callbackRoutes(deps: CallbackDeps): Router {
  const router = express.Router();

  const signal = async (res: express.Response, workflowId: string, receipt: Receipt) => {
    res.locals.workflowId = workflowId;
    deps.metrics.receipt(providerOf[receipt.channel].toLowerCase(), receipt.outcome);
    try {
      await deps.temporal.workflow.getHandle(workflowId).signal(receiptSignal, receipt);
    } catch (err) {
      // A receipt after the workflow settled (it stopped waiting) is too late to matter.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  };

  router.post(twilioCallbackPath, express.urlencoded({ extended: false, limit: '64kb' }), async (req, res) => {
    const params = (req.body ?? {}) as Record<string, string>;
    const base = deps.publicBaseUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
    const { workflowId, receipt } = verified(forbidden, () =>
      verifyTwilioStatusCallback(deps.twilioAuthToken, {
        url: `${base}${req.originalUrl}`,
        query: req.query,
        signature: req.header('x-twilio-signature'),
        params,
      }),
    );
    if (receipt) {
      await signal(res, workflowId, receipt);
      deps.logger.info({ workflowId, requestId: requestIdOf(res), status: params.MessageStatus }, 'Twilio receipt');
    }
    res.status(204).end();
  });

  router.post(postmarkCallbackPath, express.json({ limit: '256kb' }), async (req, res) => {
    const { workflowId, receipt } = verified(unauthorized, () =>
      verifyPostmarkWebhook(deps.postmarkWebhook, req.header('authorization'), req.body),
    );
    if (receipt) await signal(res, workflowId, receipt);
    res.status(204).end();
  });

  return router;
}
