import assert from 'node:assert/strict';
import { derivedMessageId } from '../../src/kafka-bridge/record-source';
import { decodeRecord } from '../../src/kafka-bridge/record-decoder';

const valid = {
  clientId: 'acme',
  recipient: { email: 'dana@example.com' },
  content: { email: { subject: 'Hi', text: 'Hi' } },
};
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('Kafka record decoding', () => {
  it('accepts the Send API body with clientId, and implies the channel of a per-channel topic', () => {
    const decoded = decodeRecord(bytes(valid), 'email');
    assert.ok(decoded.ok);
    assert.equal(decoded.clientId, 'acme');
    assert.deepEqual(decoded.request.channels, ['email']);
  });

  it('names the reason of each refusal', () => {
    const cases: [Buffer | null, string][] = [
      [null, 'empty-record'],
      [Buffer.from('{"clientId":'), 'invalid-json'],
      [Buffer.from([0xff, 0xfe]), 'invalid-json'],
      [Buffer.from('{"clientId":"acme","__proto__":{"admin":true}}'), 'schema-violation'],
      [bytes([valid]), 'schema-violation'],
      [bytes({ ...valid, clientId: undefined }), 'schema-violation'],
      [bytes({ ...valid, recipient: { email: 'nope' } }), 'schema-violation'],
    ];
    for (const [value, reason] of cases) {
      const decoded = decodeRecord(value);
      assert.ok(!decoded.ok && decoded.reason === reason, `${String(value)} → ${JSON.stringify(decoded)}`);
    }
  });

  it('refuses a channel list that disagrees with the topic', () => {
    const decoded = decodeRecord(bytes({ ...valid, channels: ['sms'] }), 'email');
    assert.ok(!decoded.ok);
    assert.match(decoded.detail, /channels: must be \["email"\]/);
  });

  it('names a record without messageId by its coordinates, hashing long topic names', () => {
    assert.equal(derivedMessageId({ topic: 'channels.sms', partition: 2, offset: '41' }), 'kafka.channels.sms.2.41');
    const long = derivedMessageId({ topic: 't'.repeat(200), partition: 0, offset: '1' });
    assert.match(long, /^kafka\.[0-9a-f]{32}\.0\.1$/);
  });
});
