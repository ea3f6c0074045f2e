import assert from 'node:assert/strict';
import { emailBatch, runPrefix } from '../../scripts/load/batches';
import { sendBatch } from '../../scripts/load/send';
import { createEmailClient } from '../support/clients';
import { assertDeliveredExactlyOnce, auditBatch } from '../support/exactly-once';
import { clearFaults, planFault } from '../support/faults';
import { loadDeployment } from '../support/load';

const size = 1_000;
const outageMs = 60_000;

describe('fault: the email provider answers 503 for 60 s (1,000 emails)', () => {
  let deployment: Awaited<ReturnType<typeof loadDeployment>> | undefined;
  after(async () => {
    await clearFaults();
    await deployment?.stop();
  });

  it('delivers every message once the provider recovers, and fails none', async function () {
    this.timeout(900_000);
    deployment = await loadDeployment();
    const { clientId, apiKey } = await createEmailClient();
    const batch = emailBatch(runPrefix('outage'), size, 'faults.example');
    await planFault({ channel: 'email', status: 503, count: 100_000 });
    const outageEnds = Date.now() + outageMs;
    const sent = await sendBatch(deployment.api.url, apiKey, batch.messages, { concurrency: 20, timeoutMs: 30_000 });
    assert.equal(sent.accepted, size);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageEnds - Date.now())));
    const duringOutage = await auditBatch(batch);
    assert.equal(duringOutage.delivered, 0, 'nothing got through the outage');
    await clearFaults();

    await assertDeliveredExactlyOnce(clientId, batch);
  });
});
