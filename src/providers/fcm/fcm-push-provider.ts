import { randomUUID } from 'node:crypto';
import https from 'node:https';
import tls from 'node:tls';
import { applicationDefault, initializeApp, type Credential } from 'firebase-admin/app';
import { getMessaging, type Messaging } from 'firebase-admin/messaging';
import { ProviderError, type ProviderAcceptance, type PushMessage, type PushProvider } from '../types';

export interface FcmSettings {
  projectId: string;
  /**
   * Unset in production: Google application default credentials (GOOGLE_APPLICATION_CREDENTIALS) and the SDK's
   * own OAuth step. Set for the sandbox, whose token is fixed.
   */
  accessToken?: string;
  /** Unset in production. The sandbox's `https://host:port`: every FCM connection goes there instead. */
  apiUrl?: string;
  /** PEM of the certificate authority that signed the sandbox's certificate for fcm.googleapis.com. */
  caPem?: string;
}

/**
 * firebase-admin's error codes (`messaging/...`) that no retry can fix: the token is unknown, malformed or
 * belongs to another sender, or the payload itself is wrong.
 */
const permanentCodes = new Set([
  'messaging/invalid-argument',
  'messaging/invalid-recipient',
  'messaging/invalid-payload',
  'messaging/invalid-data-payload-key',
  'messaging/payload-size-limit-exceeded',
  'messaging/invalid-registration-token',
  'messaging/registration-token-not-registered',
  'messaging/mismatched-credential',
  'messaging/invalid-package-name',
]);

/**
 * The SDK has FCM's host built in and no emulator: an agent that opens every connection to the sandbox
 * instead, still verifying the certificate for the name the SDK asked for.
 */
function redirectingAgent(apiUrl: string, caPem: string | undefined): https.Agent {
  const target = new URL(apiUrl);
  const agent = new https.Agent({ keepAlive: true });
  agent.createConnection = (options: tls.ConnectionOptions) =>
    tls.connect({
      ...options,
      host: target.hostname,
      port: Number(target.port || 443),
      servername: options.servername ?? options.host ?? undefined,
      ca: caPem,
    });
  return agent;
}

const fixedToken = (token: string): Credential => ({
  getAccessToken: () => Promise.resolve({ access_token: token, expires_in: 3600 }),
});

function classify(err: unknown): ProviderError {
  const code = (err as { code?: unknown } | undefined)?.code;
  const sdkCode = typeof code === 'string' ? code : undefined;
  return new ProviderError(`FCM ${sdkCode ?? 'request failed'}: ${String((err as Error)?.message ?? err)}`, {
    channel: 'push',
    provider: 'fcm',
    permanent: sdkCode !== undefined && permanentCodes.has(sdkCode),
    code: sdkCode,
  });
}

/**
 * One `send()` per token rather than `sendEach`: the batch call uses HTTP/2, which ignores `httpAgent`, and
 * per-token calls let the activity remember which tokens already have their message across retries.
 */
export class FcmPushProvider implements PushProvider {
  readonly channel = 'push';
  readonly name = 'fcm';
  private readonly messaging: Messaging;

  constructor(settings: FcmSettings) {
    const httpAgent = settings.apiUrl ? redirectingAgent(settings.apiUrl, settings.caPem) : undefined;
    // A named app per provider, so several workers in one process never share or clash over the default app.
    const app = initializeApp(
      {
        projectId: settings.projectId,
        credential: settings.accessToken ? fixedToken(settings.accessToken) : applicationDefault(httpAgent),
        httpAgent,
      },
      `push-${randomUUID()}`,
    );
    this.messaging = getMessaging(app);
  }

  async send(message: PushMessage): Promise<ProviderAcceptance> {
    try {
      const name = await this.messaging.send({
        token: message.token,
        ...(message.title !== undefined || message.body !== undefined
          ? { notification: { title: message.title, body: message.body } }
          : {}),
        ...(message.data ? { data: message.data } : {}),
      });
      return { providerMessageId: name, acceptedAt: new Date().toISOString() };
    } catch (err) {
      throw classify(err);
    }
  }
}
