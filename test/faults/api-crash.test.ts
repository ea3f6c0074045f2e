import assert from 'node:assert/strict';
import { startWorkers, type RunningWorkers } from '../../src/worker/main';
import { createEmailClient } from '../support/clients';
import { harness, testWorkflowBundle } from '../support/harness';
import { loadEnv, completedWorkflows, deliveryStatusCounts, emailBatch, sendAll } from '../support/load';
import { sandbox } from '../support/sandbox';
import { spawnService, type ServiceProcess } from '../support/service-process';

const size = 1_000;

describe('fault: the API process is SIGKILLed mid-burst (1,000 emails)', () => {
  const env = loadEnv();
  let api: ServiceProcess | undefined;
  let workers: RunningWorkers | undefined;
  after(async () => {
    await api?.kill('SIGTERM');
    await workers?.stop();
  });

  it('delivers every 202 once; unanswered requests retried with their messageId are not doubled', async function () {
    this.timeout(900_000);
    await harness(); // the shared deployment first: it resets the test database
    workers = await startWorkers(env, await testWorkflowBundle());
    api = await spawnService('api', env);
    const { clientId, apiKey } = await createEmailClient();
    const { prefix, messages } = emailBatch(size, 'api-kill');

    let crash: Promise<void> | undefined;
    const first = await sendAll(
      () => api!.url,
      apiKey,
      messages,
      20,
      (answered) => void (answered === size * 0.3 && (crash = api!.kill('SIGKILL'))),
    );
    await crash;
    const accepted = [...first].filter(([, o]) => 'status' in o && o.status === 202).map(([id]) => id);
    const unanswered = messages.filter((m) => !accepted.includes(m.messageId));
    assert.ok(accepted.length >= size * 0.3 && unanswered.length > 0, `${accepted.length} accepted before the kill`);

    // The client retries what got no answer, same messageId and body, once the API is back.
    api = await spawnService('api', env);
    const retried = await sendAll(() => api!.url, apiKey, unanswered, 20);
    assert.deepEqual(
      [...retried.values()].filter((o) => !('status' in o) || o.status !== 202),
      [],
      'every retry accepted',
    );

    await completedWorkflows(clientId, size, 600_000);
    const audit = await sandbox.audit(
      'email',
      prefix,
      messages.map((m) => m.recipient.email),
    );
    console.log(
      `      API SIGKILL after ${accepted.length} answers: ${unanswered.length} retried, ${audit.duplicates} doubled, ${audit.missing.length} missing`,
    );
    assert.deepEqual(audit.missing, []);
    assert.equal(audit.duplicates, 0);
    assert.deepEqual(await deliveryStatusCounts(clientId), { sent: size });
  });
});
