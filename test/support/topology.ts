import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ServiceOrigin } from '../../scripts/load/service-process';
import { startTopology, type Topology } from '../../scripts/topology/services';
import { bridgeEnv, bridgeTopics, type TestTopics } from './kafka';
import { emailMessage } from './clients';
import { harness, testEnv } from './harness';
import { eventually } from './http';

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

/** Sends an email to one API instance of a topology, as a caller does; fails unless it is accepted. */
export async function postEmailTo(apiUrl: string, apiKey: string, to: string, messageId: string): Promise<void> {
  const accepted = await fetch(`${apiUrl}/v1/messages/email`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(emailMessage(to, messageId)),
  });
  assert.equal(accepted.status, 202, await accepted.text());
}

/** Resolves with the message's status once an API instance (maybe another than the one it was sent to) reads it delivered. */
export const deliveredThrough = (apiUrl: string, apiKey: string, messageId: string, timeoutMs: number) =>
  eventually(
    async () => {
      const response = await fetch(`${apiUrl}/v1/messages/${messageId}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      const body = (await response.json()) as { state?: string };
      return body.state === 'delivered' ? body : undefined;
    },
    `${messageId} delivered, read through ${apiUrl}`,
    timeoutMs,
  );
