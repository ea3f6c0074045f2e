import { randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type Request } from 'express';
import { z } from 'zod';
import { playFault, type FaultPlans } from './faults';
import { providerAnswer, type SandboxInbox } from './inbox';

/** Postmark's documented error codes the sandbox can answer with. */
const postmarkErrors = {
  missingToken: { status: 401, ErrorCode: 10, Message: 'Request does not contain a valid Server token.' },
  inactiveRecipient: {
    status: 422,
    ErrorCode: 406,
    Message: 'You tried to send to recipient(s) that have been marked as inactive.',
  },
} as const;

const emailPattern = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

// Postmark takes comma-separated lists, each entry optionally `Name <address>`.
const parseAddressList = (value: unknown): string[] =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => /<([^>]+)>/.exec(part)?.[1]?.trim() ?? part)
    : [];

interface EmailBody {
  From?: unknown;
  To?: unknown;
  Cc?: unknown;
  Bcc?: unknown;
  TextBody?: unknown;
  HtmlBody?: unknown;
}

/** Mirrors Postmark's 422 / ErrorCode 300 answers for the request shapes the SDK can produce. */
function invalidEmailRequest(body: EmailBody): string | undefined {
  const from = parseAddressList(body.From);
  if (from.length !== 1 || !emailPattern.test(from[0] ?? '')) {
    return `Invalid 'From' address: '${typeof body.From === 'string' ? body.From : ''}'.`;
  }
  const recipients = [body.To, body.Cc, body.Bcc].flatMap(parseAddressList);
  if (recipients.length === 0) return 'Zero recipients specified';
  if (recipients.length > 50) return 'Maximum of 50 recipients allowed.';
  const bad = recipients.find((address) => !emailPattern.test(address));
  if (bad !== undefined) return `Error parsing 'To': Illegal email address '${bad}'. It must contain the '@' symbol.`;
  if (typeof body.TextBody !== 'string' && typeof body.HtmlBody !== 'string') {
    return 'Provide either email TextBody or HtmlBody or both.';
  }
  return undefined;
}

export interface PostmarkApiOptions {
  serverTokens: string[];
}

interface WebhookTarget {
  url: string;
  username: string;
  password: string;
}

/**
 * Like a Postmark server's Delivery and Bounce webhooks: JSON POSTs protected by the basic-auth credentials
 * set with the webhook. A recipient whose address starts with `bounce` is accepted, then hard-bounces.
 */
function sendDeliveryWebhook(
  target: WebhookTarget,
  email: EmailBody & { Metadata?: unknown; MessageStream?: unknown },
  messageId: string,
) {
  const recipient = parseAddressList(email.To)[0] ?? '';
  const common = {
    MessageID: messageId,
    Metadata: email.Metadata ?? {},
    MessageStream: email.MessageStream ?? 'outbound',
    ServerID: 1,
  };
  const event = recipient.toLowerCase().startsWith('bounce')
    ? {
        RecordType: 'Bounce',
        ID: Date.now(),
        Type: 'HardBounce',
        TypeCode: 1,
        Name: 'Hard bounce',
        Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
        Email: recipient,
        BouncedAt: new Date().toISOString(),
        ...common,
      }
    : {
        RecordType: 'Delivery',
        Recipient: recipient,
        DeliveredAt: new Date().toISOString(),
        Details: 'Test delivery',
        Tag: '',
        ...common,
      };
  setTimeout(() => {
    fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${target.username}:${target.password}`).toString('base64')}`,
      },
      body: JSON.stringify(event),
    }).catch((err: unknown) => console.warn(`Postmark webhook to ${target.url} failed: ${(err as Error).message}`));
  }, 200);
}

const webhookSchema = z.strictObject({ url: z.url(), username: z.string().min(1), password: z.string().min(1) });

/** The slice of the Postmark HTTP API that the `postmark` SDK's ServerClient.sendEmail uses. */
export function postmarkApi(inbox: SandboxInbox, faults: FaultPlans, options: PostmarkApiOptions): express.Router {
  const router = express.Router();
  let webhook: WebhookTarget | undefined;
  router.put('/sandbox/postmark/webhook', express.json(), (req, res) => {
    const parsed = webhookSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      return;
    }
    webhook = parsed.data;
    res.status(204).end();
  });
  router.delete('/sandbox/postmark/webhook', (_req, res) => {
    webhook = undefined;
    res.status(204).end();
  });
  const tokens = options.serverTokens.map((t) => Buffer.from(t));
  const tokenIsValid = (given: string | undefined) =>
    given !== undefined && tokens.some((t) => t.length === given.length && timingSafeEqual(t, Buffer.from(given)));

  const recipients = (req: Request) => {
    const email = (req.body ?? {}) as EmailBody;
    return [email.To, email.Cc, email.Bcc].flatMap(parseAddressList);
  };
  const answer = providerAnswer(inbox, {
    channel: 'email',
    provider: 'postmark',
    recipients,
    credentialHeader: 'x-postmark-server-token',
  });

  router.post('/email', express.json({ limit: '10mb' }), async (req, res) => {
    const fault = await playFault(faults, 'email', recipients(req), res, (status) => ({
      ErrorCode: status === 429 ? 429 : 500,
      Message: 'Injected fault',
    }));
    if (fault) return answer(req, res, fault.status, fault.body);
    if (!tokenIsValid(req.header('X-Postmark-Server-Token'))) {
      const { status, ...error } = postmarkErrors.missingToken;
      return answer(req, res, status, error);
    }
    const body = (req.body ?? {}) as EmailBody;
    const invalid = invalidEmailRequest(body);
    if (invalid !== undefined) return answer(req, res, 422, { ErrorCode: 300, Message: invalid });
    const to = parseAddressList(body.To);
    // Like Postmark's own sandbox-mode convention: a recipient whose local part starts "inactive" has hard-bounced.
    if (to.some((address) => address.toLowerCase().startsWith('inactive'))) {
      const { status, ...error } = postmarkErrors.inactiveRecipient;
      return answer(req, res, status, error);
    }
    const messageId = randomUUID();
    if (webhook) sendDeliveryWebhook(webhook, body, messageId);
    return answer(
      req,
      res,
      200,
      { To: body.To, SubmittedAt: new Date().toISOString(), MessageID: messageId, ErrorCode: 0, Message: 'OK' },
      messageId,
    );
  });

  return router;
}
