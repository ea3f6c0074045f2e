import assert from 'node:assert/strict';
import { createEmailClient } from '../support/clients';
import { clearFaults, planFault } from '../support/faults';
import { completedWorkflows, deliveryStatusCounts, emailBatch, loadDeployment, sendAll } from '../support/load';
import { sandbox } from '../support/sandbox';

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
    const { prefix, messages } = emailBatch(size, 'outage');
    await planFault({ channel: 'email', status: 503, count: 100_000 });
    const outageEnds = Date.now() + outageMs;
    const outcomes = await sendAll(() => deployment!.api.url, apiKey, messages, 20);
    assert.equal([...outcomes.values()].filter((o) => 'status' in o && o.status === 202).length, size);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageEnds - Date.now())));
    const duringOutage = await sandbox.audit(
      'email',
      prefix,
      messages.map((m) => m.recipient.email),
    );
    assert.equal(duringOutage.delivered, 0, 'nothing got through the outage');
    await clearFaults();

    await completedWorkflows(clientId, size, 600_000);
    const audit = await sandbox.audit(
      'email',
      prefix,
      messages.map((m) => m.recipient.email),
    );
    assert.deepEqual(audit.missing, []);
    assert.equal(audit.duplicates, 0);
    assert.deepEqual(await deliveryStatusCounts(clientId), { sent: size });
  });
});
