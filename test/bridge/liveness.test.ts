import assert from 'node:assert/strict';
import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import { startBridge, type RunningBridge } from '../../src/kafka-bridge/main';
import { ensureTopics } from '../../src/kafka/kafka-client';
import { harness, testEnv } from '../support/harness';
import { eventually } from '../support/http';
import { bridgeEnv, bridgeTopics, testKafka } from '../support/kafka';

/**
 * An assignment strategy no bridge speaks. A group whose members share no strategy refuses a new member with
 * INCONSISTENT_GROUP_PROTOCOL, which kafkajs does not retry: the one real way to see its consumer stop for good.
 */
const foreignStrategy: PartitionAssigner = () => ({
  name: 'not-the-bridges',
  version: 1,
  assign: ({ members }) =>
    Promise.resolve(
      members.map((m) => ({
        memberId: m.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: {},
          userData: Buffer.alloc(0),
        }),
      })),
    ),
  protocol: ({ topics }) => ({
    name: 'not-the-bridges',
    metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
  }),
});

describe('bridge liveness', () => {
  it('fails once kafkajs gives its consumer up for good, and only then', async function () {
    this.timeout(120_000);
    await harness();
    const topics = bridgeTopics();
    const kafka = testKafka();
    await ensureTopics(kafka.admin(), [topics.messages, topics.sms, topics.email, topics.push, topics.dlq]);
    const squatter = kafka.consumer({ groupId: topics.groupId, partitionAssigners: [foreignStrategy] });
    let bridge: RunningBridge | undefined;
    try {
      const joined = new Promise((resolve) => squatter.on(squatter.events.GROUP_JOIN, resolve));
      await squatter.connect();
      await squatter.subscribe({ topics: [topics.messages] });
      await squatter.run({ eachMessage: () => Promise.resolve() });
      await joined;

      bridge = await startBridge({ ...testEnv, ...bridgeEnv(topics) });
      const live = await eventually(
        async () => {
          const response = await fetch(`${bridge!.url}/health/live`);
          return response.status === 503
            ? ((await response.json()) as { checks: { consumer: { error: string } } })
            : undefined;
        },
        'liveness to fail',
        60_000,
      );
      assert.match(live.checks.consumer.error, /consumer stopped for good: .*protocol/i);
      assert.equal((await fetch(`${bridge.url}/health/ready`)).status, 503);
    } finally {
      await bridge?.stop();
      await squatter.disconnect();
    }
  });

  it('stays live while the bridge works, ready or not', async function () {
    this.timeout(60_000);
    await harness();
    const bridge = await startBridge({ ...testEnv, ...bridgeEnv(bridgeTopics()) });
    try {
      const response = await fetch(`${bridge.url}/health/live`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ok', checks: { consumer: { status: 'ok' } } });
    } finally {
      await bridge.stop();
    }
  });
});
