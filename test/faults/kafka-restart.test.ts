import assert from 'node:assert/strict';
import { emailBatch, runPrefix } from '../../scripts/load/batches';
import { kafkaServer } from '../../scripts/stack/kafka';
import { createEmailClient } from '../support/clients';
import { eventually } from '../support/http';
import { bridgeEnv, bridgeTopics, produce } from '../support/kafka';
import { allCompleted, assertDeliveredExactlyOnce } from '../support/exactly-once';
import { loadDeployment } from '../support/load';
import { counterOf, spawnService, type ServiceProcess } from '../support/service-process';
import { restartStackServer } from '../support/stack-restart';

/** The only broker, so all of Kafka is gone for a while; the 1,000-record broker kill runs on the production profile. */
const size = 300;

describe(`fault: the Kafka broker restarts mid-run (${size} records)`, () => {
  let deployment: Awaited<ReturnType<typeof loadDeployment>> | undefined;
  let bridge: ServiceProcess | undefined;
  after(async () => {
    await bridge?.kill('SIGTERM');
    await deployment?.stop();
  });

  it('the bridge recovers by itself: every record delivered once, none dead-lettered', async function () {
    this.timeout(900_000);
    deployment = await loadDeployment();
    const topics = bridgeTopics();
    const { clientId } = await createEmailClient();
    const batch = emailBatch(runPrefix('kafka-restart'), size, 'faults.example');
    await produce(
      topics.email,
      batch.messages.map((m) => ({ key: m.messageId, value: JSON.stringify({ clientId, ...m }) })),
    );
    bridge = await spawnService('bridge', { ...deployment.env, ...bridgeEnv(topics) });
    const started = () => counterOf(bridge!.url, 'bridge_records_total', 'outcome="started"');
    const atRestart = await eventually(
      async () => {
        const count = await started();
        return count >= size * 0.3 ? count : undefined;
      },
      '30% started',
      300_000,
    );
    await restartStackServer(kafkaServer, 5_000);

    await allCompleted(clientId, size);
    assert.ok(bridge.alive(), `the bridge died:\n${bridge.output().slice(-3_000)}`);
    assert.equal(await counterOf(bridge.url, 'bridge_records_total', 'outcome="dead_lettered"'), 0);
    await assertDeliveredExactlyOnce(clientId, batch, {
      summary: async () => `Kafka restarted after ${atRestart}/${size} starts (${await started()} after)`,
    });
  });
});
