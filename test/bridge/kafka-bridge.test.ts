import assert from 'node:assert/strict';
import type { Message } from 'kafkajs';
import type { Ack } from '../../src/acks/ack';
import { consumerLag } from '../../src/kafka-bridge/bridge-metrics';
import { startBridge, type RunningBridge } from '../../src/kafka-bridge/main';
import { counterOf, spawnService } from '../support/service-process';
import { createEmailClient } from '../support/clients';
import { harness, testEnv } from '../support/harness';
import { eventually } from '../support/http';
import {
  bridgeEnv,
  bridgeTopics,
  collectRecords,
  collectTopic,
  produce,
  testKafka,
  type TestTopics,
} from '../support/kafka';
import { tcpProxy } from '../support/tcp-proxy';

/** Record i of a run: an email to its own address; every tenth without messageId (named by its coordinates). */
const emailRecord = (clientId: string, run: string, i: number): Message => ({
  key: `${run}-${i}`,
  value: JSON.stringify({
    clientId,
    ...(i % 10 === 0 ? {} : { messageId: `${run}-${i}` }),
    recipient: { email: `${run}-${i}@example.com` },
    content: { email: { subject: 'Shipped', text: `Order ${i} shipped` } },
  }),
});

const records = (clientId: string, run: string, count: number) =>
  Array.from({ length: count }, (_, i) => emailRecord(clientId, run, i));

async function workflowCount(clientId: string): Promise<number> {
  const { temporal } = await harness();
  return (await temporal.workflow.count(`ClientId = "${clientId}"`)).count;
}

/** Waits until the client has `expected` workflows, then a little longer to see that no more appear. */
async function settledWorkflowCount(clientId: string, expected: number, timeoutMs = 200_000): Promise<number> {
  await eventually(
    async () => ((await workflowCount(clientId)) >= expected ? true : undefined),
    `${expected} workflows for ${clientId}`,
    timeoutMs,
  );
  await new Promise((r) => setTimeout(r, 2_000));
  return workflowCount(clientId);
}

const inProcessBridge = (topics: TestTopics, env: NodeJS.ProcessEnv = {}) =>
  startBridge({ ...testEnv, ...bridgeEnv(topics), ...env });

/**
 * Waits until none of the client's workflows still runs. The tests assert on workflows *started*; without this,
 * a few hundred deliveries spill into the next file and, on a grown dev database, outlast its timeouts.
 */
async function drained(clientId: string, timeoutMs = 600_000): Promise<void> {
  const { temporal } = await harness();
  const query = `ClientId = "${clientId}" AND ExecutionStatus = "Running"`;
  const deadline = Date.now() + timeoutMs;
  // Sparse polling: each count scans the dev server's visibility table, CPU the draining workflows need.
  while ((await temporal.workflow.count(query)).count > 0) {
    if (Date.now() > deadline) throw new Error(`${clientId} still has running workflows after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

/**
 * Records per test here: enough for every partition, a kill mid-stream and a hand-over. The 1,000-record versions
 * of the kill and the hand-over run on the production profile (test/production/faults.test.ts), where they say more.
 */
const batch = 300;

describe('the Kafka bridge on the real broker and Temporal', () => {
  const running: RunningBridge[] = [];
  const clients: string[] = [];
  const emailClient = async () => {
    const client = await createEmailClient();
    clients.push(client.clientId);
    return client;
  };
  afterEach(async function () {
    this.timeout(620_000);
    await Promise.allSettled(running.splice(0).map((b) => b.stop()));
    for (const clientId of clients.splice(0)) await drained(clientId);
  });

  it(`${batch} records across 3 partitions start ${batch} workflows, each once; acks carry the source coordinates`, async function () {
    this.timeout(300_000);
    await harness();
    const topics = bridgeTopics();
    const { clientId } = await emailClient();
    const acks = await collectTopic<Ack>(testEnv.KAFKA_ACK_TOPIC ?? 'channels.acks');
    try {
      const run = topics.groupId;
      // Most on the any-channel topic, some on the email topic where the channel is implied.
      await produce(topics.messages, records(clientId, `${run}-m`, batch - batch / 10));
      await produce(topics.email, records(clientId, `${run}-e`, batch / 10));
      const admin = testKafka().admin();
      await admin.connect();
      const lagBefore = await consumerLag({ admin, groupId: topics.groupId, topics: [topics.messages, topics.email] });
      await admin.disconnect();
      assert.equal(
        [...lagBefore.values()].reduce((a, b) => a + b, 0),
        batch,
        'a new group lags by every record',
      );
      const bridge = await inProcessBridge(topics);
      running.push(bridge);

      assert.equal(await settledWorkflowCount(clientId, batch), batch);
      const mine = await eventually(
        () => {
          const ours = acks.values.filter((a) => a.clientId === clientId);
          return Promise.resolve(new Set(ours.map((a) => a.messageId)).size === batch ? ours : undefined);
        },
        `${batch} acks`,
        120_000,
      );
      const coordinates = new Set(mine.map((a) => `${a.source?.topic}/${a.source?.partition}/${a.source?.offset}`));
      assert.equal(coordinates.size, batch, 'every ack names its own record');
      assert.deepEqual(new Set(mine.map((a) => a.source?.partition)), new Set([0, 1, 2]));
      assert.deepEqual(new Set(mine.map((a) => a.source?.topic)), new Set([topics.messages, topics.email]));
      const derived = mine.find((a) => a.messageId.startsWith('kafka.'));
      assert.ok(derived, 'records without messageId are named by their coordinates');
      assert.equal(
        derived.messageId,
        `kafka.${derived.source?.topic}.${derived.source?.partition}.${derived.source?.offset}`,
      );
      assert.equal((await fetch(`${bridge.url}/health/ready`)).status, 200);
      await eventually(
        async () => ((await counterOf(bridge.url, 'bridge_consumer_lag')) === 0 ? true : undefined),
        'the lag metric to reach 0 once everything is committed',
        30_000,
      );
      const metricsText = await (await fetch(`${bridge.url}/metrics`)).text();
      assert.ok(metricsText.includes(`bridge_consumer_lag{topic="${topics.messages}",partition="2"} 0`));
    } finally {
      await acks.stop();
    }
  });

  it(`SIGKILL in the middle of ${batch} records and a restart: every record ends with exactly one workflow`, async function () {
    this.timeout(300_000);
    await harness();
    const topics = bridgeTopics();
    const { clientId } = await emailClient();
    await produce(topics.messages, records(clientId, topics.groupId, batch));
    const first = await spawnService('bridge', bridgeEnv(topics));
    await eventually(
      async () => ((await workflowCount(clientId)) >= batch * 0.3 ? true : undefined),
      '30% of the workflows before the kill',
      120_000,
    );
    await first.kill('SIGKILL');
    const startedBeforeKill = await workflowCount(clientId);
    const second = await spawnService('bridge', bridgeEnv(topics));
    try {
      assert.equal(await settledWorkflowCount(clientId, batch), batch);
      const repeated = await counterOf(second.url, 'bridge_records_total', 'outcome="already_started"');
      // Records started but not yet committed at the kill come again; their start is answered "already started".
      console.log(
        `      killed after ${startedBeforeKill} starts; ${repeated} records redelivered and recognised as started`,
      );
      assert.equal(await counterOf(second.url, 'bridge_records_total', 'outcome="dead_lettered"'), 0);
    } finally {
      await second.kill('SIGTERM');
    }
  });

  it('two bridges in one group share the partitions; stopping one hands them over with nothing lost or doubled', async function () {
    this.timeout(300_000);
    await harness();
    const topics = bridgeTopics();
    const { clientId } = await emailClient();
    const a = await inProcessBridge(topics);
    const b = await inProcessBridge(topics);
    running.push(b);
    const run = topics.groupId;
    await produce(topics.messages, records(clientId, `${run}-1`, batch / 2));
    await eventually(
      async () => ((await workflowCount(clientId)) >= batch / 4 ? true : undefined),
      'half of the first batch',
      120_000,
    );
    await a.stop();
    await produce(topics.messages, records(clientId, `${run}-2`, batch / 2));
    assert.equal(await settledWorkflowCount(clientId, batch), batch);

    const startedBy = async (bridge: RunningBridge) =>
      counterOf(bridge.url, 'bridge_records_total', 'outcome="started"').catch(() => 0);
    const startedByB = await startedBy(b);
    assert.ok(startedByB > batch / 2, `the remaining bridge took over (it started ${startedByB})`);
    assert.ok(startedByB < batch, 'the stopped bridge had its share before it stopped');
    // A graceful hand-over commits what was started: nothing is redelivered.
    assert.equal(await counterOf(b.url, 'bridge_records_total', 'outcome="already_started"'), 0);
  });

  it('30+ bad records land in the DLQ with a reason and their coordinates; good ones between them are delivered', async function () {
    this.timeout(180_000);
    await harness();
    const topics = bridgeTopics();
    const { clientId } = await emailClient();
    const good = (i: number) => emailRecord(clientId, `${topics.groupId}-good`, i + 1);
    const valid = {
      clientId,
      recipient: { email: 'dana@example.com' },
      content: { email: { subject: 'Hi', text: 'Hi' } },
    };
    const json = (value: unknown) => JSON.stringify(value);
    const bad: [reason: string, value: Buffer | string | null, topic?: string][] = [
      ['invalid-json', '{"clientId": "acme", "recipient": {'],
      ['invalid-json', '{'],
      ['invalid-json', 'not json at all'],
      ['invalid-json', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81])],
      ['invalid-json', Buffer.from([0xc3, 0x28, 0x7b, 0x7d])],
      // V8 parses deep nesting without recursion: it is valid JSON, just not an object.
      ['schema-violation', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
      ['invalid-json', "{'single': 'quotes'}"],
      ['invalid-json', '{"a":1}{"b":2}'],
      ['empty-record', null],
      ['empty-record', ''],
      ['schema-violation', 'null'],
      ['schema-violation', '42'],
      ['schema-violation', '"a string"'],
      ['schema-violation', json([valid])],
      ['schema-violation', json({ ...valid, clientId: 42 })],
      ['schema-violation', json({ ...valid, clientId: undefined })],
      ['schema-violation', json({ ...valid, clientId: 'bad id with spaces' })],
      ['schema-violation', json({ ...valid, recipient: undefined })],
      ['schema-violation', json({ ...valid, recipient: { email: 'not-an-email' } })],
      ['schema-violation', json({ ...valid, recipient: { email: 'd@example.com', timezone: 'Mars/Olympus' } })],
      ['schema-violation', json({ ...valid, recipient: { phone: '0501234567' } })],
      ['schema-violation', json({ ...valid, content: { email: { subject: 'x'.repeat(5_000), text: 'Hi' } } })],
      ['schema-violation', json({ ...valid, content: { email: { subject: 'Hi', text: 'x'.repeat(200_000) } } })],
      ['schema-violation', json({ ...valid, messageId: 'm'.repeat(500) })],
      ['schema-violation', json({ ...valid, channels: ['fax'] })],
      ['schema-violation', json({ ...valid, channels: 'email' })],
      ['schema-violation', json({ ...valid, priority: 'highest' })],
      ['schema-violation', json({ ...valid, expiresAt: 'tomorrow' })],
      ['schema-violation', json({ ...valid, unexpected: true })],
      ['schema-violation', json({ ...valid, metadata: { nested: { deep: true } } })],
      ['schema-violation', json(valid).replace(/^{/, '{"__proto__":{"admin":true},')],
      ['schema-violation', json({ ...valid, channels: ['sms'] }), topics.email],
      ['unknown-client', json({ ...valid, clientId: 'no-such-client-anywhere' })],
      ['not-deliverable', json({ ...valid, channels: ['sms'], recipient: { phone: '+15550001234' } })],
      ['not-deliverable', json({ ...valid, recipient: { phone: '+15550001234' } })],
    ];
    const messages: Message[] = [];
    bad.forEach(([, value, topic], i) => {
      if (topic === undefined) messages.push({ key: null, value }, good(i));
    });
    const dlq = await collectRecords(topics.dlq);
    try {
      await produce(topics.messages, messages);
      await produce(
        topics.email,
        bad.filter(([, , topic]) => topic === topics.email).map(([, value]) => ({ key: 'k', value })),
      );
      running.push(await inProcessBridge(topics));

      const letters = await eventually(
        () => Promise.resolve(dlq.records.length >= bad.length ? dlq.records : undefined),
        `${bad.length} dead letters`,
        120_000,
      );
      assert.equal(letters.length, bad.length);
      const reasons = letters.map((l) => l.headers['dlq-reason']).sort();
      assert.deepEqual(reasons, bad.map(([reason]) => reason).sort());
      for (const letter of letters) {
        assert.ok(letter.headers['dlq-detail'], 'a detail for every reason');
        assert.ok([topics.messages, topics.email].includes(letter.headers['dlq-source-topic']!));
        assert.match(letter.headers['dlq-source-partition']!, /^[0-2]$/);
        assert.match(letter.headers['dlq-source-offset']!, /^\d+$/);
      }
      const goodCount = messages.length - bad.length + 1;
      assert.equal(await settledWorkflowCount(clientId, goodCount), goodCount);
    } finally {
      await dlq.stop();
    }
  });

  it('Temporal unreachable for 20 s: nothing is dead-lettered, everything is delivered after it returns', async function () {
    this.timeout(300_000);
    await harness();
    const topics = bridgeTopics();
    const { clientId } = await emailClient();
    const [host = '127.0.0.1', port = '7233'] = testEnv.TEMPORAL_ADDRESS!.split(':');
    const proxy = await tcpProxy({ host, port: Number(port) });
    const dlq = await collectRecords(topics.dlq);
    try {
      const bridge = await inProcessBridge(topics, { TEMPORAL_ADDRESS: proxy.address });
      running.push(bridge);
      await produce(topics.messages, records(clientId, `${topics.groupId}-a`, 100));
      await settledWorkflowCount(clientId, 100);
      proxy.cut();
      await produce(topics.messages, records(clientId, `${topics.groupId}-b`, 200));
      await new Promise((r) => setTimeout(r, 20_000));
      assert.equal(await workflowCount(clientId), 100, 'nothing could start while Temporal was unreachable');
      const retries = await counterOf(bridge.url, 'bridge_record_retries_total');
      assert.ok(retries > 0, 'the bridge kept trying while Temporal was away');
      proxy.restore();
      assert.equal(await settledWorkflowCount(clientId, 300), 300);
      assert.equal(dlq.records.length, 0);
    } finally {
      await dlq.stop();
      await proxy.close();
    }
  });
});
