import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { EncryptionCodec, parseEncryptionKeys } from '../../src/codec/encryption-codec';
import type { MessageStatus } from '../../src/shared/message';
import { createSmsClient, uniqueId } from '../support/clients';
import { startApi } from '../../src/api/main';
import { harness, startService, testEnv, useOwnService } from '../support/harness';
import { encryptionKeyIds, historyText } from '../support/history';
import { call } from '../support/http';
import { acceptedBySandbox } from '../support/sandbox';

const keys = `k1:${randomBytes(32).toString('base64')}`;
const codecToken = `codec-${randomBytes(12).toString('hex')}`;
const uiOrigin = 'http://127.0.0.1:8233';

describe('payload encryption (a deployment with PAYLOAD_ENCRYPTION_KEYS)', () => {
  const service = useOwnService({
    TEMPORAL_TASK_QUEUE: `encrypted-${randomBytes(4).toString('hex')}`,
    PAYLOAD_ENCRYPTION_KEYS: keys,
    CODEC_SERVER_TOKEN: codecToken,
    CODEC_CORS_ORIGINS: uiOrigin,
  });

  it('history read without the key holds no phone number and no body; with the key the result reads', async function () {
    this.timeout(90_000);
    const { temporal } = await harness();
    const { clientId, apiKey } = await createSmsClient();
    const messageId = uniqueId('sealed');
    const phone = `+1777${String(Date.now() % 10_000_000).padStart(7, '0')}`;
    const body = `Your one-time code is ${randomBytes(4).toString('hex')}`;
    const accepted = await call('POST', '/v1/messages/sms', {
      baseUrl: service().api.url,
      key: apiKey,
      body: { messageId, recipient: { phone }, content: { sms: { body } } },
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    await acceptedBySandbox({ channel: 'sms', to: phone });

    // The harness's client has no codec: it sees what the server stores and what the Web UI shows without one.
    const raw = temporal.workflow.getHandle(`msg:${clientId}:${messageId}`);
    const withKey = new Client({
      connection: temporal.connection,
      dataConverter: { payloadCodecs: [new EncryptionCodec(parseEncryptionKeys(keys))] },
    }).workflow.getHandle(raw.workflowId);
    const result: MessageStatus = await withKey.result();
    assert.equal(result.channels[0]?.channel, 'sms');
    const history = await historyText(raw);
    assert.ok(history.includes('binary/encrypted'), 'payloads are encrypted');
    for (const secret of [phone, phone.slice(1), body]) assert.ok(!history.includes(secret), `${secret} leaked`);

    // The codec server, as the Web UI calls it: the start input, decoded for a bearer of the codec token.
    const [started] = (await raw.fetchHistory()).events ?? [];
    const [input] = started?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const b64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('base64');
    const request = {
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(input?.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
          data: b64(input?.data),
        },
      ],
    };
    const decode = (headers: Record<string, string>) =>
      fetch(`${service().api.url}/codec/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: uiOrigin, ...headers },
        body: JSON.stringify(request),
      });
    assert.equal((await decode({})).status, 401);
    assert.equal((await decode({ authorization: 'Bearer not-the-token-at-all' })).status, 401);
    const decoded = await decode({ authorization: `Bearer ${codecToken}` });
    assert.equal(decoded.status, 200);
    assert.equal(decoded.headers.get('access-control-allow-origin'), uiOrigin);
    const [plain] = ((await decoded.json()) as typeof request).payloads;
    const inputJson = Buffer.from(plain!.data, 'base64').toString();
    assert.ok(inputJson.includes(phone) && inputJson.includes(body), 'staff with the token see the content');

    const preflight = (origin: string) =>
      fetch(`${service().api.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const allowed = await preflight(uiOrigin);
    assert.equal(allowed.status, 204);
    assert.match(String(allowed.headers.get('access-control-allow-headers')), /authorization/);
    assert.equal((await preflight('http://evil.example')).headers.get('access-control-allow-origin'), null);
  });
});

describe('payload key rotation (a real deployment whose key changes while a message is in flight)', () => {
  const taskQueue = `rotation-${randomBytes(4).toString('hex')}`;
  const key1 = `k1:${randomBytes(32).toString('base64')}`;
  const key2 = `k2:${randomBytes(32).toString('base64')}`;

  it('a message accepted under key 1 is delivered by workers whose current key is key 2', async function () {
    this.timeout(90_000);
    const { temporal } = await harness();
    const { clientId, apiKey } = await createSmsClient();
    const messageId = uniqueId('rotated');
    const phone = `+1778${String(Date.now() % 10_000_000).padStart(7, '0')}`;

    // Only an API runs under key 1: the workflow's input is written with it, and no worker has run it yet.
    const before = await startApi({ ...testEnv, TEMPORAL_TASK_QUEUE: taskQueue, PAYLOAD_ENCRYPTION_KEYS: key1 });
    try {
      const accepted = await call('POST', '/v1/messages/sms', {
        baseUrl: before.url,
        key: apiKey,
        body: { messageId, recipient: { phone }, content: { sms: { body: 'rotated' } } },
      });
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    } finally {
      await before.stop();
    }

    // Key 2 becomes current; key 1 stays for decryption.
    const after = await startService({ TEMPORAL_TASK_QUEUE: taskQueue, PAYLOAD_ENCRYPTION_KEYS: `${key2},${key1}` });
    try {
      await acceptedBySandbox({ channel: 'sms', to: phone });
      const handle = new Client({
        connection: temporal.connection,
        dataConverter: { payloadCodecs: [new EncryptionCodec(parseEncryptionKeys(`${key2},${key1}`))] },
      }).workflow.getHandle(`msg:${clientId}:${messageId}`);
      const result: MessageStatus = await handle.result();
      assert.equal(result.channels[0]?.state, 'delivered');
      assert.deepEqual([...(await encryptionKeyIds(handle))].sort(), ['k1', 'k2'], 'payloads under both keys');
    } finally {
      await after.api.stop();
      await after.workers.stop();
    }
  });
});
