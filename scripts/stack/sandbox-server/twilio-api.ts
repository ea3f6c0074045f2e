import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request } from 'express';
import twilio from 'twilio';
import { playFault, type FaultPlans } from './faults';
import { providerAnswer, type SandboxInbox } from './inbox';

export interface TwilioApiOptions {
  accountSid: string;
  authToken: string;
}

const moreInfo = (code: number) => `https://www.twilio.com/docs/errors/${code}`;
const twilioError = (status: number, code: number, message: string) => ({
  code,
  message,
  more_info: moreInfo(code),
  status,
});

/** Twilio's documented magic numbers for test credentials: each `To` gets its well-known failure. */
const magicNumbers: Record<string, { code: number; message: string }> = {
  '+15005550001': { code: 21211, message: "The 'To' number +15005550001 is not a valid phone number." },
  '+15005550002': { code: 21612, message: "The 'To' phone number is not currently reachable via SMS." },
  '+15005550003': { code: 21408, message: 'Permission to send an SMS has not been enabled for the region.' },
  '+15005550004': { code: 21610, message: 'Attempt to send to unsubscribed recipient' },
  '+15005550009': { code: 21614, message: "'To' number is not a valid mobile number" },
};

const e164 = /^\+[1-9]\d{6,14}$/;

interface MessageForm {
  To?: string;
  From?: string;
  MessagingServiceSid?: string;
  Body?: string;
  StatusCallback?: string;
}

/**
 * Like Twilio, report the message's fate to its StatusCallback URL: a form POST signed with the account's
 * auth token (X-Twilio-Signature, HMAC-SHA1 over the URL and the sorted parameters).
 */
function sendStatusCallback(
  url: string,
  options: TwilioApiOptions,
  message: { sid: string; to: string; from: string },
) {
  const params = {
    AccountSid: options.accountSid,
    ApiVersion: '2010-04-01',
    MessageSid: message.sid,
    SmsSid: message.sid,
    MessageStatus: 'delivered',
    SmsStatus: 'delivered',
    To: message.to,
    From: message.from,
  };
  setTimeout(() => {
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(options.authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    }).catch((err: unknown) => console.warn(`status callback to ${url} failed: ${(err as Error).message}`));
  }, 200);
}

/** The Messages resource of the Twilio REST API as `twilio` (the Node SDK) calls it: form-encoded, Basic auth. */
export function twilioApi(inbox: SandboxInbox, faults: FaultPlans, options: TwilioApiOptions): express.Router {
  const router = express.Router();
  const expected = Buffer.from(`Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`);
  const authorized = (req: Request) => {
    const given = Buffer.from(req.header('authorization') ?? '');
    return (
      given.length === expected.length &&
      timingSafeEqual(given, expected) &&
      req.params.accountSid === options.accountSid
    );
  };

  const recipients = (req: Request) => {
    const form = (req.body ?? {}) as MessageForm;
    return form.To ? [form.To] : [];
  };
  const answer = providerAnswer(inbox, {
    channel: 'sms',
    provider: 'twilio',
    recipients,
    credentialHeader: 'authorization',
  });

  router.post(
    '/2010-04-01/Accounts/:accountSid/Messages.json',
    express.urlencoded({ extended: false }),
    async (req, res) => {
      const fault = await playFault(faults, 'sms', recipients(req), res, (status) =>
        twilioError(status, status === 429 ? 20429 : 20500, 'Injected fault'),
      );
      if (fault) return answer(req, res, fault.status, fault.body);
      if (!authorized(req)) return answer(req, res, 401, twilioError(401, 20003, 'Authenticate'));
      const form = (req.body ?? {}) as MessageForm;
      if (!form.To) return answer(req, res, 400, twilioError(400, 21604, "A 'To' phone number is required."));
      if (!form.From && !form.MessagingServiceSid) {
        return answer(req, res, 400, twilioError(400, 21603, "A 'From' phone number is required."));
      }
      if (!form.Body) return answer(req, res, 400, twilioError(400, 21602, 'Message body is required.'));
      const magic = magicNumbers[form.To];
      if (magic) return answer(req, res, 400, twilioError(400, magic.code, magic.message));
      if (!e164.test(form.To))
        return answer(
          req,
          res,
          400,
          twilioError(400, 21211, `The 'To' number ${form.To} is not a valid phone number.`),
        );

      const sid = `SM${randomBytes(16).toString('hex')}`;
      // A handset that never reports back (numbers ending 0000): Twilio's status stays `sent`, no callback.
      if (form.StatusCallback && !form.To.endsWith('0000'))
        sendStatusCallback(form.StatusCallback, options, { sid, to: form.To, from: form.From ?? '' });
      const now = new Date().toUTCString();
      return answer(
        req,
        res,
        201,
        {
          sid,
          account_sid: options.accountSid,
          to: form.To,
          from: form.From ?? null,
          messaging_service_sid: form.MessagingServiceSid ?? null,
          body: form.Body,
          status: 'queued',
          num_segments: String(Math.ceil(form.Body.length / 160)),
          num_media: '0',
          direction: 'outbound-api',
          api_version: '2010-04-01',
          price: null,
          price_unit: 'USD',
          error_code: null,
          error_message: null,
          date_created: now,
          date_updated: now,
          date_sent: null,
          uri: `/2010-04-01/Accounts/${options.accountSid}/Messages/${sid}.json`,
          subresource_uris: { media: `/2010-04-01/Accounts/${options.accountSid}/Messages/${sid}/Media.json` },
        },
        sid,
      );
    },
  );
  return router;
}
