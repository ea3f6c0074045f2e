import assert from 'node:assert/strict';
import { emailBatch, runPrefix } from '../../scripts/load/batches';
import { sendBatch } from '../../scripts/load/send';
import { startApi } from '../../src/api/main';
import type { ApiServer } from '../../src/api/server';
import { createEmailClient } from '../support/clients';
import { assertDeliveredExactlyOnce } from '../support/exactly-once';
import { harness } from '../support/harness';
import { eventually } from '../support/http';
import { loadEnv } from '../support/load';
import { sandbox } from '../support/sandbox';
import { spawnService, type ServiceProcess } from '../support/service-process';

/**
 * A worker of every role, so provider calls are in flight at the kill. The 1,000-message kill of the workflow
 * worker runs on the production profile (test/production/faults.test.ts).
 */
const size = 300;

describe(`fault: the worker process is SIGKILLed mid-run (${size} emails)`, () => {
  const env = loadEnv();
  let api: ApiServer | undefined;
  let worker: ServiceProcess | undefined;
  after(async () => {
    await worker?.kill('SIGTERM');
    await api?.stop();
  });

  it('loses nothing, and repeats only provider calls that were in flight at the kill', async function () {
    this.timeout(900_000);
    await harness(); // the shared deployment first: it resets the test database
    api = await startApi(env);
    worker = await spawnService('worker', env);
    const { clientId, apiKey } = await createEmailClient();
    const batch = emailBatch(runPrefix('worker-kill'), size, 'faults.example');
    const sending = sendBatch(() => api!.url, apiKey, batch.messages, { concurrency: 20, timeoutMs: 30_000 });

    const delivered = async () => Object.keys((await sandbox.tally('email', batch.prefix)).accepted).length;
    await eventually(async () => ((await delivered()) >= size * 0.3 ? true : undefined), '30% delivered', 300_000);
    await worker.kill('SIGKILL');
    const atKill = await delivered();
    worker = await spawnService('worker', env);

    const { answers } = await sending;
    assert.deepEqual(
      answers.filter((a) => a.status !== 202),
      [],
      'every request accepted',
    );
    await assertDeliveredExactlyOnce(clientId, batch, {
      // A call repeats only if the provider took it and the worker died before reporting it: at most the
      // provider calls running at that instant, which the provider queue's concurrency bounds.
      repeatsAllowed: 20,
      summary: () => `worker SIGKILL after ${atKill}/${size} deliveries`,
    });
  });
});
