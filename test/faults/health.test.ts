import assert from 'node:assert/strict';
import { stackDown, stackUp } from '../../scripts/stack';
import { createEmailClient, emailMessage, uniqueId } from '../support/clients';
import { clearFaults, planFault } from '../support/faults';
import { harness } from '../support/harness';
import { loadDeployment } from '../support/load';
import { profileParts } from '../support/profile';

const readiness = async (url: string) => {
  const response = await fetch(`${url}/health/ready`);
  return {
    status: response.status,
    body: (await response.json()) as { checks: Record<string, { status: string; error?: string }> },
  };
};

describe('health that means what it says', () => {
  it('with Kafka stopped the API stays ready, and the worker that publishes acks is not', async function () {
    this.timeout(240_000);
    const { api, workers } = await harness();
    await stackDown(profileParts.brokers);
    try {
      const apiReady = await readiness(api.url);
      assert.equal(apiReady.status, 200, JSON.stringify(apiReady.body));
      assert.deepEqual(Object.keys(apiReady.body.checks).sort(), ['mongodb', 'temporal']);
      const workerReady = await readiness(workers.url);
      assert.equal(workerReady.status, 503);
      assert.equal(workerReady.body.checks.kafka?.status, 'down');
      assert.equal(workerReady.body.checks.temporal?.status, 'ok');
    } finally {
      await stackUp(profileParts.brokers);
    }
  });

  it('a worker whose pollers have stopped is not ready while it finishes what it holds', async function () {
    this.timeout(120_000);
    const deployment = await loadDeployment();
    try {
      const before = await readiness(deployment.workers.url);
      assert.equal(before.status, 200, JSON.stringify(before.body));
      assert.deepEqual(Object.keys(before.body.checks).sort(), ['kafka', 'mongodb', 'pollers', 'temporal']);

      // An email the sandbox holds for 8 s keeps the worker busy while it shuts down.
      const { apiKey } = await createEmailClient();
      const to = `${uniqueId('slow')}@example.com`;
      await planFault({ channel: 'email', latencyMs: 8_000, count: 1, to });
      const sent = await fetch(`${deployment.api.url}/v1/messages/email`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(emailMessage(to)),
      });
      assert.equal(sent.status, 202);
      await new Promise((r) => setTimeout(r, 2_000));
      const stopping = deployment.workers.stop();
      const during = await readiness(deployment.workers.url);
      assert.equal(during.status, 503);
      assert.match(during.body.checks.pollers?.error ?? '', /not polling: workflows, email, sms, push/);
      await stopping;
    } finally {
      await clearFaults();
      await deployment.stop();
    }
  });
});
