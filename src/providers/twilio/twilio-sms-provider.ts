import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { captureRetryAfter, reportRetryAfter } from '../shared/retry-after';
import { ProviderError, type ProviderAcceptance, type SmsMessage, type SmsProvider } from '../types';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** Unset in production (the SDK's own hosts); the sandbox's URL locally. */
  apiUrl?: string;
  timeoutMs?: number;
}

/**
 * Twilio error codes that no retry can fix: invalid or unroutable number, unsubscribed recipient, landline,
 * missing parameters, region not enabled.
 * https://www.twilio.com/docs/api/errors
 */
const permanentCodes = new Set([
  21211, 21408, 21602, 21603, 21604, 21606, 21610, 21612, 21614, 21617, 30003, 30005, 30006,
]);

/** Sees every response before the SDK turns it into a result or an exception: the place Retry-After is still visible. */
class HeaderAwareRequestClient extends twilio.RequestClient {
  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const response = await super.request<TData>(opts);
    const headers = response.headers as Record<string, string | undefined> | undefined;
    reportRetryAfter(headers?.['retry-after']);
    return response;
  }
}

interface TwilioErrorShape {
  status?: number;
  code?: number;
  message?: string;
}

function classify(err: unknown, retryAfterMs: number | undefined): ProviderError {
  const { status, code, message } = (err ?? {}) as TwilioErrorShape;
  if (typeof status === 'number' && status > 0) {
    const transient = status === 401 || status === 408 || status === 429 || status >= 500;
    const permanent = !transient && (code === undefined || permanentCodes.has(code) || status < 500);
    return new ProviderError(`Twilio ${status} error ${code ?? '-'}: ${message ?? ''}`, {
      channel: 'sms',
      provider: 'twilio',
      permanent,
      status,
      code,
      retryAfterMs,
    });
  }
  return new ProviderError(`Twilio request failed: ${String((err as Error)?.message ?? err)}`, {
    channel: 'sms',
    provider: 'twilio',
    permanent: false,
    retryAfterMs,
  });
}

export class TwilioSmsProvider implements SmsProvider {
  readonly channel = 'sms';
  readonly name = 'twilio';
  private readonly client: twilio.Twilio;

  constructor(settings: TwilioSettings) {
    this.client = twilio(settings.accountSid, settings.authToken, {
      httpClient: new HeaderAwareRequestClient({ timeout: settings.timeoutMs ?? 20_000 }),
    });
    if (settings.apiUrl !== undefined) this.client.api.baseUrl = settings.apiUrl;
  }

  async send(message: SmsMessage): Promise<ProviderAcceptance> {
    const { result, error, retryAfterMs } = await captureRetryAfter(() =>
      this.client.messages.create({
        to: message.to,
        from: message.from,
        body: message.body,
        ...(message.statusCallback ? { statusCallback: message.statusCallback } : {}),
      }),
    );
    if (!result) throw classify(error, retryAfterMs);
    return { providerMessageId: result.sid, acceptedAt: (result.dateCreated ?? new Date()).toISOString() };
  }
}
