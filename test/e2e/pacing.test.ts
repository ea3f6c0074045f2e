import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { useOwnService } from '../support/harness';
import { call, eventually } from '../support/http';
import { createSmsClient, uniqueId } from '../support/clients';
import { sandboxMessages } from '../support/sandbox';

const RATE = 4;
const COUNT = 24;
/** Arrival times are the sandbox's clock at request parsing: allow for the HTTP hop's jitter. */
const clockSlackMs = 50;

describe('pacing: a burst on the SMS queue keeps to its rate limit', () => {
  // A deployment of its own, so its SMS queue carries only this test's limit and traffic.
  const service = useOwnService({
    TEMPORAL_TASK_QUEUE: `pacing-${randomBytes(4).toString('hex')}`,
    SMS_RATE_PER_SECOND: String(RATE),
  });

  it(`${COUNT} SMS at ${RATE}/s reach the sandbox spread over at least (${COUNT} - burst) / ${RATE} seconds`, async function () {
    this.timeout(120_000);
    const { apiKey } = await createSmsClient();
    const prefix = `+1666${String(Date.now() % 100_000).padStart(5, '0')}`;
    const phones = Array.from({ length: COUNT }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
    await Promise.all(
      phones.map((phone) =>
        call('POST', '/v1/messages/sms', {
          baseUrl: service().api.url,
          key: apiKey,
          body: { messageId: uniqueId('paced'), recipient: { phone }, content: { sms: { body: 'paced' } } },
        }).then((r) => assert.equal(r.status, 202, JSON.stringify(r.body))),
      ),
    );
    const arrivals = await eventually(
      async () => {
        const times = (await Promise.all(phones.map((to) => sandboxMessages({ channel: 'sms', to }))))
          .flat()
          .map((m) => Date.parse(m.receivedAt))
          .sort((a, b) => a - b);
        return times.length === COUNT ? times : undefined;
      },
      `all ${COUNT} SMS at the sandbox`,
      90_000,
    );
    // A token bucket of rate R and capacity B lets at most B + R·t calls through in any t seconds, so call
    // i + k comes at least (k − B) / R seconds after call i. Temporal's limiter allows about one second's burst.
    const burst = RATE;
    for (let i = 0; i < COUNT; i++) {
      for (let k = burst + 1; i + k < COUNT; k++) {
        const gapMs = arrivals[i + k]! - arrivals[i]!;
        assert.ok(
          gapMs >= ((k - burst) / RATE) * 1000 - clockSlackMs,
          `calls ${i} and ${i + k} came ${gapMs} ms apart; at ${RATE}/s they need ${((k - burst) / RATE) * 1000} ms`,
        );
      }
    }
  });
});
