import assert from 'node:assert/strict';
import { emailBatch, runPrefix } from '../../scripts/load/batches';
import { sendBatch } from '../../scripts/load/send';
import { startWorkers, type RunningWorkers } from '../../src/worker/main';
import { createEmailClient } from '../support/clients';
import { assertDeliveredExactlyOnce } from '../support/exactly-once';
import { harness, testWorkflowBundle } from '../support/harness';
import { loadEnv } from '../support/load';
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
    const batch = emailBatch(runPrefix('api-kill'), size, 'faults.example');
    const { messages } = batch;

    let crash: Promise<void> | undefined;
    const first = await sendBatch(() => api!.url, apiKey, messages, {
      concurrency: 20,
      timeoutMs: 30_000,
      onAnswer: (answered) => void (answered === size * 0.3 && (crash = api!.kill('SIGKILL'))),
    });
    await crash;
    const accepted = messages.filter((_, i) => first.answers[i]!.status === 202);
    const unanswered = messages.filter((m) => !accepted.includes(m));
    assert.ok(accepted.length >= size * 0.3 && unanswered.length > 0, `${accepted.length} accepted before the kill`);

    // The client retries what got no answer, same messageId and body, once the API is back.
    api = await spawnService('api', env);
    const retried = await sendBatch(() => api!.url, apiKey, unanswered, { concurrency: 20, timeoutMs: 30_000 });
    assert.deepEqual(
      retried.answers.filter((a) => a.status !== 202),
      [],
      'every retry accepted',
    );

    await assertDeliveredExactlyOnce(clientId, batch, {
      summary: () => `API SIGKILL after ${accepted.length} answers, ${unanswered.length} retried`,
    });
  });
});
