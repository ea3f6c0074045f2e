import assert from 'node:assert/strict';
import { call, eventually } from '../support/http';
import { createSmsClient } from '../support/clients';
import { testEnv } from '../support/harness';
import { sandboxMessages } from '../support/sandbox';

describe('provider pacing on the per-channel task queue', () => {
  it('a burst of SMS reaches the provider no faster than SMS_RATE_PER_SECOND', async function () {
    this.timeout(120_000);
    const rate = Number(testEnv.SMS_RATE_PER_SECOND);
    const count = 4 * rate;
    const { clientId, apiKey } = await createSmsClient('paced');
    const body = 'Paced message ' + clientId;
    const phones = Array.from(
      { length: count },
      (_, i) => `+1666${String(Date.now() % 100_000).padStart(5, '0')}${String(i).padStart(3, '0')}`,
    );
    await Promise.all(
      phones.map((phone) =>
        call('POST', '/v1/messages/sms', { key: apiKey, body: { recipient: { phone }, content: { sms: { body } } } }),
      ),
    );
    const arrivals = await eventually(
      async () => {
        const received = (await sandboxMessages({ channel: 'sms' })).filter(
          (m) => (m.request.body as { Body?: string }).Body === body && m.response.status === 201,
        );
        return received.length === count
          ? received.map((m) => Date.parse(m.receivedAt)).sort((a, b) => a - b)
          : undefined;
      },
      'every SMS to arrive',
      90_000,
    );
    // A token bucket of `rate` tokens refilled at `rate`/s lets at most 2·rate calls into any one second, so
    // calls i and i + 2·rate are at least a second apart, and the whole burst spans at least (count − rate)/rate s.
    const tolerance = 50;
    for (let i = 0; i + 2 * rate < count; i++) {
      const gap = arrivals[i + 2 * rate]! - arrivals[i]!;
      assert.ok(gap >= 1000 - tolerance, `calls ${i} and ${i + 2 * rate} were ${gap} ms apart`);
    }
    const span = arrivals[count - 1]! - arrivals[0]!;
    assert.ok(span >= ((count - rate) / rate) * 1000 - tolerance, `${count} calls spanned only ${span} ms`);
  });
});
