import { randomBytes } from 'node:crypto';
import type { ServiceOrigin } from '../../scripts/load/service-process';
import { startTopology, type Topology } from '../../scripts/topology/services';
import { bridgeEnv, bridgeTopics, type TestTopics } from './kafka';
import { harness, testEnv } from './harness';

export interface TestTopology {
  topology: Topology;
  env: NodeJS.ProcessEnv;
  topics: TestTopics;
}

/**
 * The production topology from `dist/` or an image (two APIs, a workflow worker, a provider worker, two bridges in one group),
 * with task queues and topics of its own, so that only its processes serve its messages. The shared in-process
 * deployment starts first: it resets the test database and answers the admin calls that create clients.
 */
export async function startTestTopology(
  overrides: NodeJS.ProcessEnv = {},
  from: ServiceOrigin = 'dist',
): Promise<TestTopology> {
  await harness();
  const topics = bridgeTopics();
  const env: NodeJS.ProcessEnv = {
    ...testEnv,
    ...bridgeEnv(topics),
    TEMPORAL_TASK_QUEUE: `topology-${randomBytes(4).toString('hex')}`,
    CHANNELS: 'sms,email,push',
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...overrides,
  };
  const topology = await startTopology(env, { from, anyPort: true });
  return { topology, env, topics };
}
