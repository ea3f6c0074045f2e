import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request } from 'express';
import { playFault, type FaultPlans } from './faults';
import { providerAnswer, type SandboxInbox } from './inbox';

export interface FcmApiOptions {
  /** The OAuth access token the sandbox accepts, as Google's token endpoint would have issued it. */
  accessToken: string;
}

const grpcStatus: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** FCM's error body: Google's `error` envelope with the FCM-specific code in `details`. */
const fcmError = (status: number, message: string, errorCode?: string) => ({
  error: {
    code: status,
    message,
    status: grpcStatus[status] ?? 'UNKNOWN',
    ...(errorCode ? { details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] } : {}),
  },
});

const defaultFaultError = (status: number) =>
  fcmError(
    status,
    'Injected fault',
    status === 429 ? 'QUOTA_EXCEEDED' : status === 503 ? 'UNAVAILABLE' : status >= 500 ? 'INTERNAL' : undefined,
  );

/** Tokens whose prefix picks FCM's well-known refusals, like Twilio's magic numbers. */
const magicTokens: [prefix: string, status: number, message: string, errorCode: string][] = [
  ['unregistered', 404, 'Requested entity was not found.', 'UNREGISTERED'],
  ['invalid', 400, 'The registration token is not a valid FCM registration token', 'INVALID_ARGUMENT'],
  ['mismatch', 403, 'SenderId mismatch', 'SENDER_ID_MISMATCH'],
];

interface SendBody {
  message?: { token?: unknown; topic?: unknown; condition?: unknown; notification?: unknown; data?: unknown };
  validate_only?: boolean;
}

const dataIsStrings = (data: unknown) =>
  data === undefined ||
  (typeof data === 'object' && data !== null && Object.values(data).every((v) => typeof v === 'string'));

/** FCM HTTP v1 `messages:send` as firebase-admin's `send()` calls it: JSON, OAuth bearer token. */
export function fcmApi(inbox: SandboxInbox, faults: FaultPlans, options: FcmApiOptions): express.Router {
  const router = express.Router();
  const expected = Buffer.from(`Bearer ${options.accessToken}`);
  const authorized = (req: Request) => {
    const given = Buffer.from(req.header('authorization') ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const recipients = (req: Request) => {
    const token = (req.body as SendBody | undefined)?.message?.token;
    return typeof token === 'string' ? [token] : [];
  };
  const answer = providerAnswer(inbox, {
    channel: 'push',
    provider: 'fcm',
    recipients,
    credentialHeader: 'authorization',
  });

  // A route regex because `messages:send` is not a path parameter.
  router.post(/^\/v1\/projects\/([^/]+)\/messages:send$/, express.json({ limit: '1mb' }), async (req, res) => {
    const projectId = (req.params as Record<string, string>)[0];
    const fault = await playFault(faults, 'push', recipients(req), res, defaultFaultError);
    if (fault) return answer(req, res, fault.status, fault.body);
    if (!authorized(req)) {
      return answer(req, res, 401, fcmError(401, 'Request had invalid authentication credentials.'));
    }
    const message = (req.body as SendBody | undefined)?.message;
    const targets = [message?.token, message?.topic, message?.condition].filter((t) => t !== undefined);
    if (!message || targets.length !== 1) {
      return answer(
        req,
        res,
        400,
        fcmError(400, 'Exactly one of token, topic or condition is required', 'INVALID_ARGUMENT'),
      );
    }
    if (!dataIsStrings(message.data)) {
      return answer(req, res, 400, fcmError(400, 'data values must be strings', 'INVALID_ARGUMENT'));
    }
    const token = message.token;
    if (typeof token === 'string') {
      const magic = magicTokens.find(([prefix]) => token.startsWith(prefix));
      if (magic) return answer(req, res, magic[1], fcmError(magic[1], magic[2], magic[3]));
    }
    const name = `projects/${projectId}/messages/${randomBytes(8).readBigUInt64BE().toString()}`;
    return answer(req, res, 200, { name }, name);
  });
  return router;
}
