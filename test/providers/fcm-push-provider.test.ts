import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { generate } from 'selfsigned';
import { FcmPushProvider, type FcmSettings } from '../../src/providers/fcm/fcm-push-provider';
import { testEnv } from '../support/harness';
import { clearFaults, planFault } from '../support/faults';
import { providerError } from '../support/provider-error';
import { sandboxMessages } from '../support/sandbox';

const token = () => `adapter${randomBytes(6).toString('hex')}:APA91b${randomBytes(20).toString('hex')}`;

const sandboxSettings = (): FcmSettings => ({
  projectId: testEnv.FCM_PROJECT_ID!,
  accessToken: testEnv.FCM_ACCESS_TOKEN!,
  apiUrl: testEnv.FCM_API_URL!,
  caPem: fs.readFileSync(testEnv.FCM_CA_FILE!, 'utf8'),
});

describe('the FCM adapter against the sandbox, over real HTTPS', () => {
  const provider = new FcmPushProvider(sandboxSettings());

  afterEach(async () => {
    await clearFaults();
  });

  it("returns the message name FCM assigned, sent with the SDK's bearer token", async () => {
    const to = token();
    const accepted = await provider.send({ token: to, body: 'Hi' });
    const [received] = await sandboxMessages({ channel: 'push', to });
    assert.equal(accepted.providerMessageId, received?.providerMessageId);
    assert.equal(received?.response.status, 200);
  });

  it('a wrong access token is 401 at FCM, and retried (it is our configuration, not the message)', async () => {
    const wrong = new FcmPushProvider({ ...sandboxSettings(), accessToken: 'not-the-token' });
    const to = token();
    const err = await providerError(wrong.send({ token: to, body: 'Hi' }));
    assert.equal(err.details.permanent, false);
    assert.equal((await sandboxMessages({ channel: 'push', to }))[0]?.response.status, 401);
  });

  it('QUOTA_EXCEEDED (429) is transient, with the SDK code', async () => {
    await planFault({ channel: 'push', status: 429, count: 1 });
    const err = await providerError(provider.send({ token: token(), body: 'Hi' }));
    assert.equal(err.details.permanent, false);
    assert.equal(err.details.code, 'messaging/message-rate-exceeded');
  });

  it('INVALID_ARGUMENT and SENDER_ID_MISMATCH are permanent', async () => {
    for (const [prefix, code] of [
      ['invalid', 'messaging/invalid-argument'],
      ['mismatch', 'messaging/mismatched-credential'],
    ]) {
      const err = await providerError(provider.send({ token: `${prefix}-${token()}`, body: 'Hi' }));
      assert.deepEqual([err.details.permanent, err.details.code], [true, code]);
    }
  });

  it('a certificate from another authority is refused: TLS is verified, not switched off', async () => {
    const stranger = await generate([{ name: 'commonName', value: 'stranger' }], { keyType: 'ec', curve: 'P-256' });
    const untrusting = new FcmPushProvider({ ...sandboxSettings(), caPem: stranger.cert });
    const to = token();
    const err = await providerError(untrusting.send({ token: to, body: 'Hi' }));
    assert.equal(err.details.permanent, false);
    assert.deepEqual(await sandboxMessages({ channel: 'push', to }), []);
  });
});
