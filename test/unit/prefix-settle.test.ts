import assert from 'node:assert/strict';
import { settleInPrefixOrder } from '../../src/kafka-bridge/prefix-settle';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('settleInPrefixOrder (the bridge’s commit rule within a partition)', () => {
  it('works on several records at once but reports them done strictly in order', async () => {
    const records = Array.from({ length: 40 }, (_, i) => i);
    let inFlight = 0;
    let mostInFlight = 0;
    const reported: number[] = [];
    const settledSoFar = new Set<number>();
    await settleInPrefixOrder(records, {
      inFlight: 8,
      keepGoing: () => true,
      settle: async (record) => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        // Later records often finish first.
        await pause((record * 7) % 11);
        inFlight--;
        settledSoFar.add(record);
      },
      settledPrefix: (record) => {
        for (let earlier = 0; earlier <= record; earlier++) assert.ok(settledSoFar.has(earlier), `${earlier} settled`);
        reported.push(record);
      },
    });
    assert.equal(mostInFlight, 8);
    assert.deepEqual(reported, records);
  });

  it('never reports past a failed record, takes no new one, waits for the other lanes, and rethrows', async () => {
    const reported: number[] = [];
    const finished: number[] = [];
    await assert.rejects(
      settleInPrefixOrder([0, 1, 2, 3, 4, 5], {
        inFlight: 3,
        keepGoing: () => true,
        settle: async (record) => {
          if (record === 2) throw new Error('Temporal unreachable');
          await pause(record === 1 ? 20 : 1);
          finished.push(record);
        },
        settledPrefix: (record) => {
          reported.push(record);
        },
      }),
      /Temporal unreachable/,
    );
    assert.deepEqual(reported, [0, 1]);
    assert.ok(finished.includes(1), 'the slow lane finished before the failure was rethrown');
    assert.deepEqual(finished.sort(), [0, 1], 'no record after the failed one was taken');
  });

  it('takes no new record once told to stop', async () => {
    let running = true;
    const taken: number[] = [];
    await settleInPrefixOrder([0, 1, 2, 3, 4, 5, 6, 7], {
      inFlight: 2,
      keepGoing: () => running,
      settle: async (record) => {
        taken.push(record);
        if (record === 2) running = false;
        await pause(1);
      },
      settledPrefix: () => undefined,
    });
    assert.deepEqual(taken.sort(), [0, 1, 2]);
  });
});
