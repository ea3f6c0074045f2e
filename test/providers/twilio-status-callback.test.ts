import assert from 'node:assert/strict';
import twilio from 'twilio';
import { ReceiptRejected } from '../../src/providers/receipts';
import {
  twilioCallbackPath,
  twilioStatusCallbackUrl,
  verifyTwilioStatusCallback,
  type TwilioStatusCallback,
} from '../../src/providers/twilio/status-callback';

const authToken = 'account-auth-token';
const workflowId = 'msg:acme:order-17';
const url = twilioStatusCallbackUrl('https://comm.example', workflowId);
const delivered = { MessageSid: 'SM0123', MessageStatus: 'delivered', To: '+15551230000' };

/** A callback as Twilio sends it: the form signed with the account's token over the URL it calls. */
const signed = (params: Record<string, string>, over = url, token = authToken): TwilioStatusCallback => ({
  url: over,
  query: Object.fromEntries(new URL(over).searchParams),
  signature: twilio.getExpectedTwilioSignature(token, over, params),
  params,
});

const rejection = (reason: ReceiptRejected['reason'], message: RegExp) => (err: unknown) =>
  err instanceof ReceiptRejected && err.reason === reason && message.test(err.message);

describe("Twilio's status callbacks, verified and read", () => {
  it('asks for a callback on the route path, the workflow ID encoded in the query', () => {
    assert.equal(url, `https://comm.example${twilioCallbackPath}?workflowId=msg%3Aacme%3Aorder-17`);
    assert.equal(new URL(url).searchParams.get('workflowId'), workflowId);
  });

  it("accepts a callback signed with the account's token and reads a delivered receipt", () => {
    assert.deepEqual(verifyTwilioStatusCallback(authToken, signed(delivered)), {
      workflowId,
      receipt: { channel: 'sms', providerMessageId: 'SM0123', outcome: 'delivered' },
    });
  });

  it('reads undelivered and failed as a failed receipt naming the status and the error code', () => {
    const undelivered = { MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30003' };
    const failed = { MessageSid: 'SM2', MessageStatus: 'failed' };
    assert.deepEqual(verifyTwilioStatusCallback(authToken, signed(undelivered)).receipt, {
      channel: 'sms',
      providerMessageId: 'SM1',
      outcome: 'failed',
      error: 'Twilio undelivered 30003',
    });
    assert.deepEqual(verifyTwilioStatusCallback(authToken, signed(failed)).receipt, {
      channel: 'sms',
      providerMessageId: 'SM2',
      outcome: 'failed',
      error: 'Twilio failed',
    });
  });

  it('gives no receipt for progress (queued, sending, sent) or a status it does not know', () => {
    for (const MessageStatus of ['queued', 'sending', 'sent', 'read', '', 'constructor', 'toString']) {
      assert.deepEqual(verifyTwilioStatusCallback(authToken, signed({ MessageSid: 'SM3', MessageStatus })), {
        workflowId,
      });
    }
  });

  it('refuses as unverified: no signature, a forged one, the wrong token, no token configured', () => {
    const forgeries: [string | undefined, TwilioStatusCallback][] = [
      [authToken, { ...signed(delivered), signature: undefined }],
      [authToken, { ...signed(delivered), signature: 'bm90IGEgc2lnbmF0dXJl' }],
      [authToken, signed(delivered, url, 'another-accounts-token')],
      [undefined, signed(delivered)],
    ];
    for (const [token, callback] of forgeries) {
      assert.throws(
        () => verifyTwilioStatusCallback(token, callback),
        rejection('unverified', /^the Twilio signature does not verify$/),
      );
    }
  });

  it('refuses as unverified a genuine signature over other parameters or another workflow ID', () => {
    const genuine = signed(delivered);
    const failedInstead = { ...genuine, params: { ...delivered, MessageStatus: 'failed' } };
    const otherUrl = twilioStatusCallbackUrl('https://comm.example', 'msg:acme:someone-else');
    const otherWorkflow = { ...genuine, url: otherUrl, query: { workflowId: 'msg:acme:someone-else' } };
    for (const callback of [failedInstead, otherWorkflow]) {
      assert.throws(() => verifyTwilioStatusCallback(authToken, callback), rejection('unverified', /signature/));
    }
  });

  it('refuses as foreign a verified callback without a message workflow ID or a MessageSid', () => {
    const plain = 'https://comm.example/v1/callbacks/twilio';
    const foreign = [
      signed(delivered, twilioStatusCallbackUrl('https://comm.example', 'cron:nightly')),
      signed(delivered, plain),
      { ...signed(delivered, `${plain}?workflowId=a&workflowId=b`), query: { workflowId: ['a', 'b'] } },
      signed({ MessageStatus: 'delivered' }),
    ];
    for (const callback of foreign) {
      assert.throws(
        () => verifyTwilioStatusCallback(authToken, callback),
        rejection('foreign', /^not a status callback of this service$/),
      );
    }
  });
});
