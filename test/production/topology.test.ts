import assert from 'node:assert/strict';
import { ConfigResourceTypes } from 'kafkajs';
import { temporalMtlsClientEnv } from '../../scripts/stack/temporal-mtls-frontend';
import type { Ack } from '../../src/acks/ack';
import { createEmailClient, uniqueId } from '../support/clients';
import { harness, testEnv } from '../support/harness';
import { eventually } from '../support/http';
import { collectTopic, produce, testKafka } from '../support/kafka';
import { register } from '../support/register-cli';
import { sandbox } from '../support/sandbox';
import { deliveredThrough, postEmailTo, startTestTopology, type TestTopology } from '../support/topology';

describe('the production topology: every role a process of its own, from the build, on Temporal through mTLS', () => {
  let deployment: TestTopology;
  before(async function () {
    this.timeout(180_000);
    // Every process of the topology reaches Temporal through the frontend that demands a client certificate.
    deployment = await startTestTopology(temporalMtlsClientEnv);
  });
  after(async function () {
    this.timeout(60_000);
    await deployment?.topology.stop();
  });

  it('a message accepted by API A is read back through API B, delivered by the worker processes, acked on Kafka', async function () {
    this.timeout(120_000);
    const [apiA, apiB] = deployment.topology.apis;
    const { clientId, apiKey } = await createEmailClient();
    const acks = await collectTopic<Ack>(testEnv.KAFKA_ACK_TOPIC ?? 'channels.acks');
    try {
      const to = `${uniqueId('topology')}@example.com`;
      const messageId = uniqueId('m');
      await postEmailTo(apiA!.url, apiKey, to, messageId);
      const status = await deliveredThrough(apiB!.url, apiKey, messageId, 90_000);
      assert.equal(status.state, 'delivered');
      assert.equal(Object.keys((await sandbox.tally('email', to)).accepted).length, 1);
      const ack = await eventually(
        () => Promise.resolve(acks.values.find((a) => a.clientId === clientId && a.messageId === messageId)),
        'the ack on channels.acks',
        60_000,
      );
      assert.equal(ack.channel, 'email');
      // Only the topology's processes poll its queues: the worker processes did the work.
      const workflowsLog = deployment.topology.workers.find((w) => w.instance.name === 'worker-workflows')!.output();
      assert.match(workflowsLog, /"roles":\["workflows"\]/);
      // Started from the build, it loaded the prebuilt workflow bundle instead of bundling at start.
      assert.match(workflowsLog, /"bundle":"prebuilt"/);
    } finally {
      await acks.stop();
    }
  });

  it('a record published with acks=all to the three-broker cluster becomes exactly one workflow', async function () {
    this.timeout(120_000);
    const { clientId } = await createEmailClient();
    const messageId = uniqueId('k');
    await produce(deployment.topics.messages, [
      {
        key: messageId,
        value: JSON.stringify({
          clientId,
          messageId,
          recipient: { email: `${messageId}@example.com` },
          content: { email: { subject: 'Hello', text: 'From Kafka' } },
        }),
      },
    ]);
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [deployment.topics.messages] });
      for (const partition of topics[0]!.partitions) assert.equal(partition.replicas.length, 3);
      const described = await admin.describeConfigs({
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: deployment.topics.messages, configNames: ['min.insync.replicas'] },
        ],
        includeSynonyms: false,
      });
      assert.equal(described.resources[0]!.configEntries[0]!.configValue, '2');
    } finally {
      await admin.disconnect();
    }
    const { temporal } = await harness();
    const count = () => temporal.workflow.count(`ClientId = '${clientId}' AND ExecutionStatus = 'Completed'`);
    await eventually(async () => ((await count()).count >= 1 ? true : undefined), 'the workflow completed', 90_000);
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal((await temporal.workflow.count(`ClientId = '${clientId}'`)).count, 1);
  });

  it('the mTLS frontend serves the registration command with the client certificate, and refuses it without', async function () {
    this.timeout(120_000);
    const env = temporalMtlsClientEnv;
    const trustingServer = [
      ...['--address', env.TEMPORAL_ADDRESS, '--namespace', 'default'],
      ...['--tls-ca', env.TEMPORAL_TLS_CA_FILE, '--tls-server-name', env.TEMPORAL_TLS_SERVER_NAME],
    ];
    const certified = await register(
      ...trustingServer,
      ...['--tls-cert', env.TEMPORAL_TLS_CERT_FILE, '--tls-key', env.TEMPORAL_TLS_KEY_FILE],
    );
    assert.equal(certified.code, 0, certified.output);
    assert.match(certified.output, /already there ClientId, MessageId, Channels, DeliveryStatus/);

    const anonymous = await register(...trustingServer);
    assert.notEqual(anonymous.code, 0, anonymous.output);
    assert.match(anonymous.output, /Temporal at 127\.0\.0\.1:7223 unreachable/);
  });
});
