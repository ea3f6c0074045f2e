import { randomBytes } from 'node:crypto';
import { startApi } from '../../src/api/main';
import { startWorkers } from '../../src/worker/main';
import { harness, testEnv, testWorkflowBundle } from './harness';

/** The environment of a deployment of its own: its task queues, and no per-key limit in the way of a burst. */
export const loadEnv = (env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...testEnv,
  TEMPORAL_TASK_QUEUE: `load-${randomBytes(4).toString('hex')}`,
  RATE_LIMIT_PER_MINUTE: '1000000',
  ...env,
});

/**
 * A deployment of its own (task queues, no receipts: a sent email ends `sent`) for load and fault tests; the
 * shared one is started first, since it resets the test database.
 */
export async function loadDeployment(env: NodeJS.ProcessEnv = {}) {
  await harness();
  const full = loadEnv(env);
  const workers = await startWorkers(full, await testWorkflowBundle());
  const api = await startApi(full);
  return {
    env: full,
    api,
    workers,
    stop: async () => {
      await api.stop();
      await workers.stop();
    },
  };
}
