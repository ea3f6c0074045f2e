import assert from 'node:assert/strict';
import { kafkaServer } from '../../scripts/stack/kafka';
import { createEmailClient } from '../support/clients';
import { eventually } from '../support/http';
import { bridgeEnv, bridgeTopics, produce } from '../support/kafka';
import { completedWorkflows, deliveryStatusCounts, emailBatch, loadDeployment } from '../support/load';
import { sandbox } from '../support/sandbox';
import { counterOf, spawnService, type ServiceProcess } from '../support/service-process';
import { restartStackServer } from '../support/stack-restart';

const size = 1_000;

describe('fault: the Kafka broker restarts mid-run (1,000 records)', () => {
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
    const { prefix, messages } = emailBatch(size, 'kafka-restart');
    await produce(
      topics.email,
      messages.map((m) => ({ key: m.messageId, value: JSON.stringify({ clientId, ...m }) })),
    );
    bridge = await spawnService('bridge', { ...deployment.env, ...bridgeEnv(topics) });
    const started = () => counterOf(bridge!.url, 'bridge_records_total', 'outcome="started"');
    const atRestart = await eventually(
      async () => {
        const count = await started();
        return count >= size * 0.3 ? count : undefined;
      },
      '300 starts',
      300_000,
    );
    await restartStackServer(kafkaServer, 5_000);

    await completedWorkflows(clientId, size, 600_000);
    assert.ok(bridge.alive(), `the bridge died:\n${bridge.output().slice(-3_000)}`);
    assert.equal(await counterOf(bridge.url, 'bridge_records_total', 'outcome="dead_lettered"'), 0);
    const audit = await sandbox.audit(
      'email',
      prefix,
      messages.map((m) => m.recipient.email),
    );
    console.log(
      `      Kafka restarted after ${atRestart}/${size} starts (${await started()} after): ${audit.duplicates} doubled, ${audit.missing.length} missing`,
    );
    assert.deepEqual(audit.missing, []);
    assert.equal(audit.duplicates, 0);
    assert.deepEqual(await deliveryStatusCounts(clientId), { sent: size });
  });
});
