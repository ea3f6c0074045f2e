import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, maskEmail, maskPhone, maskToken } from '../../src/logging/logger';

describe('recipient masking and secret redaction in logs', () => {
  it('masks email addresses to the first letter and the domain', () => {
    assert.equal(maskEmail('dana@example.com'), 'd***@example.com');
  });

  it('masks phone numbers to the prefix and the last three digits', () => {
    assert.equal(maskPhone('+972501234567'), '+97250****567');
    assert.equal(maskPhone('+12345'), '***');
  });

  it('masks device tokens to their last six characters', () => {
    assert.equal(maskToken('dGhpcyBpcyBhIHRva2Vu:APA91bHun4MxP5egoKMwt2KZFBaFUH'), '***FBaFUH');
  });
});

describe('the service logger', () => {
  it('never writes an authorization header, an apiKey, a secret or a server token', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', 'test', sink);
    logger.info(
      {
        req: { headers: { authorization: 'Bearer csk_secret_1' } },
        key: { apiKey: 'csk_secret_2' },
        webhook: { secret: 'csk_secret_3' },
        postmark: { serverToken: 'csk_secret_4' },
      },
      'request',
    );
    assert.equal(lines.length, 1);
    assert.doesNotMatch(lines.join(''), /csk_secret/);
    assert.match(lines.join(''), /\[redacted\]/);
  });
});
