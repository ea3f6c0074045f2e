import { Errors, ServerClient } from 'postmark';
import { captureRetryAfter, reportRetryAfter } from '../shared/retry-after';
import { ProviderError, type EmailMessage, type EmailProvider, type ProviderAcceptance } from '../types';

export interface PostmarkSettings {
  serverToken: string;
  /** https://api.postmarkapp.com in production; the sandbox's http URL locally. */
  apiUrl: string;
  timeoutSeconds?: number;
}

/** Postmark error codes that no retry can fix: 300 invalid request, 406 inactive recipient, 422-class sender issues. */
const permanentCodes = new Set([300, 400, 401, 402, 403, 405, 406, 409, 410, 411, 412, 413]);

function classify(err: unknown, retryAfterMs: number | undefined): ProviderError {
  if (err instanceof Errors.PostmarkError) {
    const status = err.statusCode;
    // 401 means our token is wrong: retrying with backoff lets a corrected deployment still deliver.
    const transient = status === 0 || status === 401 || status === 429 || status >= 500;
    const permanent = !transient && (status === 422 ? permanentCodes.has(err.code) : status >= 400);
    return new ProviderError(`Postmark ${status || 'network'} error ${err.code}: ${err.message}`, {
      channel: 'email',
      provider: 'postmark',
      permanent,
      status,
      code: err.code,
      retryAfterMs,
    });
  }
  return new ProviderError(`Postmark request failed: ${String((err as Error)?.message ?? err)}`, {
    channel: 'email',
    provider: 'postmark',
    permanent: false,
    retryAfterMs,
  });
}

/** The SDK drops response headers from its errors; this sees them first. */
const headerAwareFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  reportRetryAfter(response.headers.get('retry-after'));
  return response;
};

export class PostmarkEmailProvider implements EmailProvider {
  readonly channel = 'email';
  readonly name = 'postmark';
  private readonly client: ServerClient;

  constructor(settings: PostmarkSettings) {
    const url = new URL(settings.apiUrl);
    this.client = new ServerClient(settings.serverToken, {
      useHttps: url.protocol === 'https:',
      requestHost: url.host,
      timeout: settings.timeoutSeconds ?? 20,
      fetch: headerAwareFetch,
    });
  }

  async send(message: EmailMessage): Promise<ProviderAcceptance> {
    const { result, error, retryAfterMs } = await captureRetryAfter(() =>
      this.client.sendEmail({
        From: message.from,
        To: message.to,
        Subject: message.subject,
        TextBody: message.text,
        HtmlBody: message.html,
        MessageStream: message.messageStream,
        Metadata: message.metadata,
      }),
    );
    if (!result) throw classify(error, retryAfterMs);
    return { providerMessageId: result.MessageID, acceptedAt: new Date(result.SubmittedAt).toISOString() };
  }
}
