import assert from 'node:assert/strict';
import type { Message } from 'kafkajs';
import type { Ack } from '../../src/acks/ack';
import { emailBatch, runPrefix, type EmailBatch } from '../../scripts/load/batches';
import { sendBatch } from '../../scripts/load/send';
import { startServer, killServer } from '../../scripts/stack';
import type { StackServer } from '../../scripts/stack/server';
import { startInstance, type RunningInstance } from '../../scripts/topology/services';
import { createEmailClient } from '../support/clients';
import { assertDeliveredExactlyOnce } from '../support/exactly-once';
import { eventually } from '../support/http';
import { collectTopic, produce, testKafka } from '../support/kafka';
import { profileParts } from '../support/profile';
import { sandbox } from '../support/sandbox';
import { restartStackServer } from '../support/stack-restart';
import { startTestTopology, type TestTopology } from '../support/topology';

const size = 1_000;

/** The batch as bridge records: each names its client and message, so a redelivered record maps to its workflow. */
const asRecords = (clientId: string, batch: EmailBatch): Message[] =>
  batch.messages.map((m) => ({ key: m.messageId, value: JSON.stringify({ clientId, ...m }) }));

const delivered = async (batch: EmailBatch) =>
  Object.keys((await sandbox.tally('email', batch.prefix)).accepted).length;
const whenDelivered = (batch: EmailBatch, count: number) =>
  eventually(async () => ((await delivered(batch)) >= count ? true : undefined), `${count} deliveries`, 300_000);

/** The broker that leads most partitions of these topics: killing it moves the most leaderships at once. */
async function busiestLeader(topics: string[]): Promise<StackServer> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const { brokers } = await admin.describeCluster();
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    const led = new Map<number, number>();
    for (const topic of metadata) for (const p of topic.partitions) led.set(p.leader, (led.get(p.leader) ?? 0) + 1);
    const [nodeId] = [...led.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const port = brokers.find((b) => b.nodeId === nodeId)!.port;
    return profileParts.brokers.find((s) => s.ports.includes(port))!;
  } finally {
    await admin.disconnect();
  }
}

describe('faults on the production profile, 1,000 messages in flight each', function () {
  this.timeout(1_200_000);
  let deployment: TestTopology;
  /** Processes a test started again in place of one it killed; stopped with the topology. */
  const replacements: RunningInstance[] = [];
  const ackTopic = `${runPrefix('acks')}.acks`;

  before(async function () {
    this.timeout(180_000);
    // No email receipts: a sent email ends `sent`, and the count is of provider acceptances.
    deployment = await startTestTopology({
      KAFKA_ACK_TOPIC: ackTopic,
      POSTMARK_WEBHOOK_USER: undefined,
      POSTMARK_WEBHOOK_PASSWORD: undefined,
    });
  });
  after(async function () {
    this.timeout(120_000);
    await Promise.allSettled(replacements.map((p) => p.stop()));
    await deployment?.topology.stop();
  });

  const instance = (name: string) =>
    [...deployment.topology.apis, ...deployment.topology.workers, ...deployment.topology.bridges].find(
      (p) => p.instance.name === name,
    )!;
  const restart = async (name: string) => {
    replacements.push(await startInstance(instance(name).instance, deployment.env, { from: 'dist', anyPort: true }));
  };
  const viaApi = async (label: string) => {
    const { clientId, apiKey } = await createEmailClient();
    const batch = emailBatch(runPrefix(label), size, 'production.example');
    const sent = sendBatch(deployment.topology.apis[0]!.url, apiKey, batch.messages, { concurrency: 20 });
    return { clientId, apiKey, batch, sent };
  };

  it('SIGKILL the broker leading most partitions of the input topic and the acks: 0 lost, 0 doubled, every ack', async () => {
    const { clientId } = await createEmailClient();
    const batch = emailBatch(runPrefix('broker-kill'), size, 'production.example');
    const acks = await collectTopic<Ack>(ackTopic);
    try {
      await produce(deployment.topics.messages, asRecords(clientId, batch));
      await whenDelivered(batch, size * 0.3);
      const broker = await busiestLeader([deployment.topics.messages, ackTopic]);
      await killServer(broker);
      const atKill = await delivered(batch);
      await assertDeliveredExactlyOnce(clientId, batch, {
        summary: () => `${broker.name} SIGKILLed after ${atKill}/${size} deliveries`,
      });
      const acked = () => new Set(acks.values.filter((a) => a.clientId === clientId).map((a) => a.messageId)).size;
      await eventually(() => Promise.resolve(acked() === size ? true : undefined), `${size} acks`, 120_000);
      await startServer(broker);
    } finally {
      await acks.stop();
    }
  });

  it('SIGKILL one bridge: the other takes its partitions over, every record one workflow', async () => {
    const { clientId } = await createEmailClient();
    const batch = emailBatch(runPrefix('bridge-kill'), size, 'production.example');
    await produce(deployment.topics.messages, asRecords(clientId, batch));
    await whenDelivered(batch, size * 0.3);
    await instance('bridge-1').kill('SIGKILL');
    const atKill = await delivered(batch);
    await assertDeliveredExactlyOnce(clientId, batch, {
      summary: () => `bridge-1 SIGKILLed after ${atKill}/${size} deliveries`,
    });
    await restart('bridge-1');
  });

  it('SIGKILL the workflow worker and start it again: every message delivered once', async () => {
    const { clientId, batch, sent } = await viaApi('worker-kill');
    await whenDelivered(batch, size * 0.3);
    await instance('worker-workflows').kill('SIGKILL');
    const atKill = await delivered(batch);
    await new Promise((r) => setTimeout(r, 5_000));
    await restart('worker-workflows');
    assert.equal((await sent).accepted, size);
    await assertDeliveredExactlyOnce(clientId, batch, {
      summary: () => `workflow worker SIGKILLed after ${atKill}/${size} deliveries, back 5 s later`,
    });
  });

  for (const [what, server, repeatsAllowed] of [
    ['the Temporal server', () => profileParts.temporal, 20],
    ['PostgreSQL', () => profileParts.postgres!, 20],
  ] as const) {
    it(`restart ${what} mid-run: every message delivered, repeated provider calls counted`, async () => {
      const { clientId, apiKey, batch, sent } = await viaApi(`restart-${server().name.replace('/', '-')}`);
      await whenDelivered(batch, size * 0.3);
      await restartStackServer(server(), 5_000);
      const atRestart = await delivered(batch);
      const { answers, others } = await sent;
      // A request that met the outage is refused with a 503, never a 500; the client sends it again.
      assert.deepEqual(
        Object.keys(others).filter((status) => status !== '503'),
        [],
        JSON.stringify(others),
      );
      const refused = batch.messages.filter((_, i) => answers[i]!.status !== 202);
      const retried = await sendBatch(deployment.topology.apis[1]!.url, apiKey, refused, { concurrency: 5 });
      assert.equal(retried.accepted, refused.length);
      await assertDeliveredExactlyOnce(clientId, batch, {
        repeatsAllowed,
        summary: () => `${what} restarted after ${atRestart}/${size} deliveries`,
      });
    });
  }
});
