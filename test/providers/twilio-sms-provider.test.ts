import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { TwilioSmsProvider } from '../../src/providers/twilio/twilio-sms-provider';
import { sandboxTwilioSid, sandboxUrl, testEnv } from '../support/harness';
import { planFault } from '../support/faults';
import { providerError } from '../support/provider-error';
import { sandboxMessages } from '../support/sandbox';

/** A valid number of its own per send, so faults and sandbox filters by recipient never touch another test's. */
const uniquePhone = () => `+1555${String(randomInt(10_000_000)).padStart(7, '0')}`;
/** The sandbox posts no status callback for a number ending 0000 (a handset that never reports back). */
const silentPhone = () => `${uniquePhone().slice(0, -4)}0000`;

const sms = (to: string, statusCallback?: string) => ({
  from: '+15550001111',
  to,
  body: 'Your order shipped',
  statusCallback,
});

describe('the Twilio adapter against the sandbox, over real HTTP', () => {
  const provider = new TwilioSmsProvider({
    accountSid: sandboxTwilioSid,
    authToken: testEnv.TWILIO_AUTH_TOKEN!,
    apiUrl: sandboxUrl,
  });

  it("sends the SDK's form to the account's Messages resource and returns the SID Twilio assigned", async () => {
    const to = silentPhone();
    const accepted = await provider.send(sms(to, 'https://api.example/v1/callbacks/twilio?workflowId=msg%3Aa%3Ab'));
    const [received, ...others] = await sandboxMessages({ channel: 'sms', to });
    assert.ok(received && others.length === 0);
    assert.equal(received.response.status, 201);
    assert.equal(accepted.providerMessageId, received.providerMessageId);
    assert.match(accepted.providerMessageId, /^SM[0-9a-f]{32}$/);
    assert.ok(!Number.isNaN(Date.parse(accepted.acceptedAt)));
    assert.equal(received.request.method, 'POST');
    assert.equal(received.request.path, `/2010-04-01/Accounts/${sandboxTwilioSid}/Messages.json`);
    assert.match(String(received.request.headers['content-type']), /application\/x-www-form-urlencoded/);
    // The sandbox keeps credentials out of its inbox; the 201 says the SDK's Basic auth matched the account.
    assert.equal(received.request.headers.authorization, '[redacted]');
    assert.deepEqual(received.request.body, {
      To: to,
      From: '+15550001111',
      Body: 'Your order shipped',
      StatusCallback: 'https://api.example/v1/callbacks/twilio?workflowId=msg%3Aa%3Ab',
    });
  });

  it('asks for no status callback when the message has none', async () => {
    const to = uniquePhone();
    await provider.send(sms(to));
    const [received] = await sandboxMessages({ channel: 'sms', to });
    assert.deepEqual(received?.request.body, { To: to, From: '+15550001111', Body: 'Your order shipped' });
  });

  for (const [to, code] of [
    ['+15005550001', 21211],
    ['+15005550002', 21612],
    ['+15005550003', 21408],
    ['+15005550004', 21610],
    ['+15005550009', 21614],
  ] as const) {
    it(`classifies ${code} (Twilio's magic number ${to}) as permanent, with status and code`, async () => {
      const err = await providerError(provider.send(sms(to)));
      assert.deepEqual(
        [err.details.permanent, err.details.status, err.details.code, err.details.provider, err.details.channel],
        [true, 400, code, 'twilio', 'sms'],
      );
      assert.match(err.message, new RegExp(`^Twilio 400 error ${code}: `));
    });
  }

  it('classifies a missing body (21602) as permanent', async () => {
    const err = await providerError(provider.send({ ...sms(uniquePhone()), body: '' }));
    assert.deepEqual([err.details.permanent, err.details.code], [true, 21602]);
  });

  it('classifies 429 as transient and carries its Retry-After (seconds) to the next attempt', async () => {
    const to = uniquePhone();
    await planFault({ channel: 'sms', to, status: 429, retryAfter: 2 });
    const err = await providerError(provider.send(sms(to)));
    assert.deepEqual(
      [err.details.permanent, err.details.status, err.details.code, err.details.retryAfterMs],
      [false, 429, 20429, 2_000],
    );
  });

  for (const status of [500, 503]) {
    it(`classifies ${status} as transient, with its Retry-After when there is one`, async () => {
      const [withHeader, without] = [uniquePhone(), uniquePhone()];
      await planFault({ channel: 'sms', to: withHeader, status, retryAfter: 7 });
      await planFault({ channel: 'sms', to: without, status });
      const [a, b] = await Promise.all([
        providerError(provider.send(sms(withHeader))),
        providerError(provider.send(sms(without))),
      ]);
      assert.deepEqual([a.details.permanent, a.details.status, a.details.retryAfterMs], [false, status, 7_000]);
      // Calls in flight together: the other call's Retry-After never leaks into this one.
      assert.deepEqual([b.details.permanent, b.details.status, b.details.retryAfterMs], [false, status, undefined]);
    });
  }

  it('classifies a rejected auth token (401) as transient: it is our configuration, not the message', async () => {
    const wrong = new TwilioSmsProvider({ accountSid: sandboxTwilioSid, authToken: 'wrong', apiUrl: sandboxUrl });
    const to = uniquePhone();
    const err = await providerError(wrong.send(sms(to)));
    assert.deepEqual([err.details.permanent, err.details.status, err.details.code], [false, 401, 20003]);
    assert.equal((await sandboxMessages({ channel: 'sms', to }))[0]?.response.status, 401);
  });

  it('classifies a refused connection as transient', async () => {
    const nowhere = new TwilioSmsProvider({
      accountSid: sandboxTwilioSid,
      authToken: 't',
      apiUrl: 'http://127.0.0.1:9',
      timeoutMs: 2_000,
    });
    const err = await providerError(nowhere.send(sms(uniquePhone())));
    assert.deepEqual([err.details.permanent, err.details.status], [false, undefined]);
    assert.match(err.message, /^Twilio request failed: /);
  });
});
