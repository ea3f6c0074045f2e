import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, parseEncryptionKeys, UnknownKeyError } from '../../src/codec/encryption-codec';

const key = (id: string) => ({ id, key: randomBytes(32) });
const payload = (value: unknown) => defaultPayloadConverter.toPayload(value);

describe('the payload encryption codec', () => {
  const secret = { recipient: { phone: '+972501234567' }, content: { sms: { body: 'Your code is 123456' } } };

  it('round-trips a payload, and the ciphertext holds no plaintext', async () => {
    const codec = new EncryptionCodec([key('k1')]);
    const [sealed] = await codec.encode([payload(secret)]);
    assert.ok(!Buffer.from(sealed!.data!).toString('latin1').includes('+972501234567'));
    assert.equal(Buffer.from(sealed!.metadata!['encryption-key-id']!).toString(), 'k1');
    const [opened] = await codec.decode([sealed!]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(opened!), secret);
  });

  it('decodes what an old key wrote after a new key became current', async () => {
    const k1 = key('k1');
    const k2 = key('k2');
    const [old] = await new EncryptionCodec([k1]).encode([payload(secret)]);
    const rotated = new EncryptionCodec([k2, k1]);
    const [fresh] = await rotated.encode([payload(secret)]);
    assert.equal(Buffer.from(fresh!.metadata!['encryption-key-id']!).toString(), 'k2');
    for (const sealed of [old!, fresh!]) {
      const [opened] = await rotated.decode([sealed]);
      assert.deepEqual(defaultPayloadConverter.fromPayload(opened!), secret);
    }
  });

  it('refuses a payload under a key it does not have, and a tampered one', async () => {
    const [sealed] = await new EncryptionCodec([key('k1')]).encode([payload(secret)]);
    await assert.rejects(new EncryptionCodec([key('k9')]).decode([sealed!]), UnknownKeyError);
    const k = key('k1');
    const [mine] = await new EncryptionCodec([k]).encode([payload(secret)]);
    const data = Buffer.from(mine!.data!);
    data[20] = data[20]! ^ 1;
    await assert.rejects(new EncryptionCodec([k]).decode([{ ...mine!, data }]));
  });

  it('leaves unencrypted payloads alone, so history from before encryption still reads', async () => {
    const plain = payload({ hello: 'world' });
    const [same] = await new EncryptionCodec([key('k1')]).decode([plain]);
    assert.equal(same, plain);
  });

  it('reads keys as id:base64, current first, and refuses a short key', () => {
    const k = randomBytes(32).toString('base64');
    assert.deepEqual(
      parseEncryptionKeys(`k2:${k}, k1:${k}`).map((x) => x.id),
      ['k2', 'k1'],
    );
    assert.throws(() => parseEncryptionKeys(`k1:${randomBytes(16).toString('base64')}`));
  });
});
