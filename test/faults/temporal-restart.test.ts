import assert from 'node:assert/strict';
import { emailBatch, runPrefix } from '../../scripts/load/batches';
import { sendBatch } from '../../scripts/load/send';
import { temporalServer } from '../../scripts/stack/temporal';
import { createEmailClient } from '../support/clients';
import { assertDeliveredExactlyOnce } from '../support/exactly-once';
import { eventually } from '../support/http';
import { loadDeployment } from '../support/load';
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
    const batch = emailBatch(runPrefix('temporal-restart'), size, 'faults.example');
    const sent = await sendBatch(deployment.api.url, apiKey, batch.messages, { concurrency: 20, timeoutMs: 30_000 });
    assert.equal(sent.accepted, size);

    const delivered = async () => Object.keys((await sandbox.tally('email', batch.prefix)).accepted).length;
    await eventually(async () => ((await delivered()) >= size * 0.3 ? true : undefined), '300 deliveries', 300_000);
    await restartStackServer(temporalServer, 5_000);
    const atRestart = await delivered();

    await assertDeliveredExactlyOnce(clientId, batch, {
      // A provider call whose completion the stopping server never recorded is retried: a handful at most.
      repeatsAllowed: 20,
      summary: () => `Temporal restarted after ${atRestart}/${size} deliveries`,
    });
  });
});
