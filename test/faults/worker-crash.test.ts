import assert from 'node:assert/strict';
import { startApi } from '../../src/api/main';
import type { ApiServer } from '../../src/api/server';
import { createEmailClient } from '../support/clients';
import { harness } from '../support/harness';
import { eventually } from '../support/http';
import { loadEnv, completedWorkflows, deliveryStatusCounts, emailBatch, sendAll } from '../support/load';
import { sandbox } from '../support/sandbox';
import { spawnService, type ServiceProcess } from '../support/service-process';

const size = 1_000;

describe('fault: the worker process is SIGKILLed mid-run (1,000 emails)', () => {
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
    const { prefix, messages } = emailBatch(size, 'worker-kill');
    const sending = sendAll(() => api!.url, apiKey, messages, 20);

    const delivered = async () => Object.keys((await sandbox.tally('email', prefix)).accepted).length;
    await eventually(async () => ((await delivered()) >= size * 0.3 ? true : undefined), '300 deliveries', 300_000);
    await worker.kill('SIGKILL');
    const atKill = await delivered();
    worker = await spawnService('worker', env);

    const outcomes = await sending;
    assert.deepEqual(
      [...outcomes.values()].filter((o) => !('status' in o) || o.status !== 202),
      [],
      'every request accepted',
    );
    await completedWorkflows(clientId, size, 600_000);
    const audit = await sandbox.audit(
      'email',
      prefix,
      messages.map((m) => m.recipient.email),
    );
    console.log(
      `      worker SIGKILL after ${atKill}/${size} deliveries: ${audit.duplicates} provider call(s) repeated, ${audit.missing.length} missing`,
    );
    assert.deepEqual(audit.missing, []);
    assert.deepEqual(await deliveryStatusCounts(clientId), { sent: size });
    // A call repeats only if the provider took it and the worker died before reporting it: at most the
    // provider calls running at that instant, which the provider queue's concurrency bounds.
    assert.ok(audit.duplicates <= 20, `${audit.duplicates} repeated provider calls`);
  });
});
