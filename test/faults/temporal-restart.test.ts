import assert from 'node:assert/strict';
import { temporalServer } from '../../scripts/stack/temporal';
import { createEmailClient } from '../support/clients';
import { eventually } from '../support/http';
import { completedWorkflows, deliveryStatusCounts, emailBatch, loadDeployment, sendAll } from '../support/load';
import { sandbox } from '../support/sandbox';
import { restartStackServer } from '../support/stack-restart';

const size = 1_000;

describe('fault: the Temporal server restarts mid-run (1,000 emails)', () => {
  let deployment: Awaited<ReturnType<typeof loadDeployment>> | undefined;
  after(async () => deployment?.stop());

  it('every workflow completes after it returns, each message sent once', async function () {
    this.timeout(900_000);
    deployment = await loadDeployment();
    const { clientId, apiKey } = await createEmailClient();
    const { prefix, messages } = emailBatch(size, 'temporal-restart');
    const outcomes = await sendAll(() => deployment!.api.url, apiKey, messages, 20);
    assert.equal([...outcomes.values()].filter((o) => 'status' in o && o.status === 202).length, size);

    const delivered = async () => Object.keys((await sandbox.tally('email', prefix)).accepted).length;
    await eventually(async () => ((await delivered()) >= size * 0.3 ? true : undefined), '300 deliveries', 300_000);
    await restartStackServer(temporalServer, 5_000);
    const atRestart = await delivered();

    await completedWorkflows(clientId, size, 600_000);
    const audit = await sandbox.audit(
      'email',
      prefix,
      messages.map((m) => m.recipient.email),
    );
    console.log(
      `      Temporal restarted after ${atRestart}/${size} deliveries: ${audit.duplicates} repeated, ${audit.missing.length} missing`,
    );
    assert.deepEqual(audit.missing, []);
    assert.deepEqual(await deliveryStatusCounts(clientId), { sent: size });
    // A provider call whose completion the stopping server never recorded is retried: a handful at most.
    assert.ok(audit.duplicates <= 20, `${audit.duplicates} repeated provider calls`);
  });
});
