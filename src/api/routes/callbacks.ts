import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import twilio from 'twilio';
import type { Logger } from '../../logging/logger';
import type { Receipt } from '../../shared/message';
import { messageWorkflowId } from '../../shared/temporal-names';
import { receiptSignal } from '../../workflows/definitions';
import { badRequest, forbidden, unauthorized } from '../http-error';

export interface CallbackDeps {
  temporal: Client;
  /** Twilio signs the URL it called; behind a proxy that is the public URL, not this server's address. */
  publicBaseUrl?: string;
  twilioAuthToken?: string;
  /** The basic-auth credentials configured on the Postmark webhook; Postmark signs nothing else. */
  postmarkWebhook?: { user: string; password: string };
  logger: Logger;
}

interface PostmarkWebhook {
  RecordType?: string;
  MessageID?: string;
  Metadata?: { clientId?: string; messageId?: string };
  Type?: string;
  Description?: string;
}

function basicAuthMatches(header: string | undefined, expected: { user: string; password: string } | undefined) {
  if (!expected) return false;
  const want = Buffer.from(`Basic ${Buffer.from(`${expected.user}:${expected.password}`).toString('base64')}`);
  const got = Buffer.from(header ?? '');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Twilio's final message statuses; queued, sending and sent are progress and change nothing here. */
const twilioOutcomes: Record<string, Receipt['outcome']> = {
  delivered: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
};

/** Delivery receipts from providers. Only verified ones reach a workflow; the rest get 403 and change nothing. */
export function callbackRoutes(deps: CallbackDeps): Router {
  const router = express.Router();

  const signal = async (workflowId: string, receipt: Receipt) => {
    try {
      await deps.temporal.workflow.getHandle(workflowId).signal(receiptSignal, receipt);
    } catch (err) {
      // A receipt after the workflow settled (it stopped waiting) is too late to matter.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  };

  router.post('/v1/callbacks/twilio', express.urlencoded({ extended: false, limit: '64kb' }), async (req, res) => {
    const params = (req.body ?? {}) as Record<string, string>;
    const base = deps.publicBaseUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
    const signature = req.header('x-twilio-signature');
    const valid =
      deps.twilioAuthToken !== undefined &&
      signature !== undefined &&
      twilio.validateRequest(deps.twilioAuthToken, signature, `${base}${req.originalUrl}`, params);
    if (!valid) throw forbidden('the Twilio signature does not verify');

    const workflowId = typeof req.query.workflowId === 'string' ? req.query.workflowId : '';
    if (!workflowId.startsWith('msg:') || !params.MessageSid) throw badRequest('not a status callback of this service');
    const outcome = twilioOutcomes[params.MessageStatus ?? ''];
    if (outcome) {
      await signal(workflowId, {
        channel: 'sms',
        providerMessageId: params.MessageSid,
        outcome,
        ...(outcome === 'failed' ? { error: `Twilio ${params.MessageStatus} ${params.ErrorCode ?? ''}`.trim() } : {}),
      });
      deps.logger.info({ workflowId, status: params.MessageStatus }, 'Twilio receipt');
    }
    res.status(204).end();
  });

  router.post('/v1/callbacks/postmark', express.json({ limit: '256kb' }), async (req, res) => {
    if (!basicAuthMatches(req.header('authorization'), deps.postmarkWebhook)) {
      throw unauthorized('the Postmark webhook credentials do not match');
    }
    const event = (req.body ?? {}) as PostmarkWebhook;
    const { clientId, messageId } = event.Metadata ?? {};
    if (!clientId || !messageId || !event.MessageID) throw badRequest('not a webhook for a message of this service');
    const outcome =
      event.RecordType === 'Delivery' ? 'delivered' : event.RecordType === 'Bounce' ? 'failed' : undefined;
    if (outcome) {
      await signal(messageWorkflowId(clientId, messageId), {
        channel: 'email',
        providerMessageId: event.MessageID,
        outcome,
        ...(outcome === 'failed'
          ? { error: `Postmark ${event.Type ?? 'bounce'}: ${event.Description ?? ''}`.trim() }
          : {}),
      });
    }
    res.status(204).end();
  });

  return router;
}
